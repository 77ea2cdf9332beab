"""The reasoner: a presentation in, a ranked and explained differential out."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from differential.facts import Counted, count_facts, tests_done
from differential.guidance import Situation
from differential.model import (
    Candidate,
    Differential,
    Evidence,
    EvidenceKind,
    Presentation,
    Status,
)
from differential.plan import build_plan
from differential.posterior import Distribution, Table, posterior, table_for
from differential.rules import RuleContext
from differential.schema import KnowledgeBase

__all__ = ["evaluate", "known_facts"]

_SEX_FINDING = {"female": True, "male": False}  # other / unknown sex says nothing


def known_facts(kb: KnowledgeBase, presentation: Presentation) -> dict[str, bool]:
    """Recorded findings the knowledge base knows, plus facts derived from the patient."""
    # Sorted so that the arithmetic, and so the answer, never depends on the input's order.
    facts = {
        code: bool(presentation.findings[code])
        for code in sorted(presentation.findings)
        if code in kb.finding_by_code and not kb.finding_by_code[code].derived_from_patient
    }
    sex = _SEX_FINDING.get(presentation.sex or "")
    if sex is not None and "sex-female" in kb.finding_by_code:
        facts["sex-female"] = sex
    return facts


def evaluate(kb: KnowledgeBase, presentation: Presentation) -> Differential:
    """Rank the conditions for ``presentation`` and plan what to do: red flags, tests to do
    and avoid, treatment cautions and the rating of every imaging study.

    Deterministic: the same presentation always gives the same answer in the same order.
    Findings not recorded are unknown and change nothing; only recorded absence counts against.
    The seven conditions compete with "other causes", so none is likely when nothing fits.
    """
    recorded = known_facts(kb, presentation)
    diagnoses = frozenset(presentation.diagnoses & set(kb.condition_by_code))
    active = bool(diagnoses) or any(recorded.get(code) for code in kb.presenting_findings)
    if not active:
        return Differential(knowledge_version=kb.version, active=False)
    counted = count_facts(kb, recorded, presentation)
    table = table_for(kb)
    rows = _rows(table, counted, presentation.age_years)
    diagnosed = [table.diagnosis_likelihood(code) for code in sorted(diagnoses)]
    shares = _settle(kb, table, posterior(table, rows + diagnosed), counted)
    candidates = _rank(kb, table, shares, counted, diagnoses)
    context = RuleContext(
        statuses={c.code: c.status for c in candidates},
        first=candidates[0].code,
        findings=recorded,
        age_years=presentation.age_years,
        done=tests_done(kb, recorded),
        ruled_out=frozenset(counted.ruled_out),
        confirmed=frozenset(counted.confirmed),
    )
    # Red flags are raised from findings: a recorded diagnosis never raises one by itself.
    findings_only = context
    if diagnoses:
        alone = _rank(kb, table, _settle(kb, table, posterior(table, rows), counted), counted)
        findings_only = replace(
            context, statuses={c.code: c.status for c in alone}, first=alone[0].code
        )
    situation = Situation(table, shares, counted.facts, context)
    plan = build_plan(kb, situation, findings_only, candidates)
    return replace(
        plan,
        other_probability=shares[table.other],
        other_label=kb.other_causes.name,
        source_article=kb.source_article.label(),
    )


def _rows(table: Table, counted: Counted, age: int | None) -> list[Distribution]:
    """One likelihood row per counted fact; a finding that repeats a construct already
    counted weighs only its group's weight (a power of the row)."""
    rows = []
    for code, state in counted.facts.items():
        row = table.likelihood(code, state, age)
        weight = counted.weights.get(code, 1.0)
        rows.append(row if weight == 1.0 else tuple(p**weight for p in row))
    return rows


def _settle(
    kb: KnowledgeBase, table: Table, shares: Distribution, counted: Counted
) -> Distribution:
    """Decisive imaging outweighs the symptom picture: a condition it rules out keeps at most
    ``ruled_out_share``, one it confirms at least ``confirmed_share``; the others (other
    causes included) share the rest in proportion."""
    fixed: dict[int, float] = {}
    for code in counted.ruled_out:
        index = table.conditions.index(code)
        fixed[index] = min(shares[index], kb.reasoning.ruled_out_share)
    for code in counted.confirmed:
        index = table.conditions.index(code)
        fixed[index] = max(shares[index], kb.reasoning.confirmed_share)
    if not fixed:
        return shares
    rest = sum(share for i, share in enumerate(shares) if i not in fixed)
    scale = (1.0 - sum(fixed.values())) / rest if rest > 0.0 else 0.0
    return tuple(fixed.get(i, share * scale) for i, share in enumerate(shares))


def _rank(
    kb: KnowledgeBase,
    table: Table,
    shares: Distribution,
    counted: Counted,
    diagnoses: frozenset[str] = frozenset(),
) -> tuple[Candidate, ...]:
    """The seven conditions, most likely first, each with its reasons against the rivals
    still standing and a status that needs enough independent support to say "likely"."""
    seven = range(len(kb.conditions))
    # Ties are broken by the order of the knowledge base (more common conditions first).
    order = sorted(seven, key=lambda i: (-round(shares[i], 12), i))
    standing = [i for i in seven if shares[i] >= kb.reasoning.unlikely_below]
    ratio = kb.reasoning.evidence_ratio
    candidates = []
    for rank, index in enumerate(order, start=1):
        condition = kb.conditions[index]
        rivals = [i for i in standing if i != index] or [i for i in seven if i != index]
        evidence = _evidence(kb, table, index, rivals, counted, diagnoses=diagnoses)
        supporting = tuple(e for e in evidence if e.present and e.likelihood_ratio >= ratio)
        opposing = tuple(e for e in evidence if _against(kb, table, e, index, ratio))
        candidates.append(
            Candidate(
                code=condition.code,
                name=condition.name,
                rank=rank,
                status=_status(kb, shares[index], _support(kb, table, index, counted, evidence)),
                probability=shares[index],
                supporting=supporting,
                opposing=opposing,
                already_diagnosed=condition.code in diagnoses,
            )
        )
    return tuple(candidates)


def _support(
    kb: KnowledgeBase, table: Table, index: int, counted: Counted, evidence: Iterable[Evidence]
) -> int:
    """Independent findings recorded present that point to this condition against every
    alternative (other causes included): findings of one group count once; a decisive
    imaging result or a recorded diagnosis is enough on its own."""
    pieces: set[str] = set()
    for item in evidence:
        if item.decisive or item.kind == "diagnosis":
            return len(kb.findings)
        if item.present and table.ratios(item.finding, True)[index] >= kb.reasoning.evidence_ratio:
            pieces.add(counted.group_of.get(item.finding, item.finding))
    return len(pieces)


def _status(kb: KnowledgeBase, share: float, support: int) -> Status:
    if share >= kb.reasoning.likely_at and support >= kb.reasoning.likely_needs:
        return Status.LIKELY
    if share < kb.reasoning.unlikely_below:
        return Status.UNLIKELY
    return Status.POSSIBLE


def _against(kb: KnowledgeBase, table: Table, evidence: Evidence, index: int, ratio: float) -> bool:
    """A reason against: a finding pointing away from this condition. A present finding
    counts only when it is uncommon in this condition; an absent one only when it is a
    hallmark of it (present in most who have it): the absent hallmark of a rival is no
    reason against this one."""
    if evidence.likelihood_ratio > 1.0 / ratio:
        return False
    if evidence.kind == "finding" and kb.finding_by_code[evidence.finding].group == "red-flag":
        return False  # a red flag says what to do now, it does not argue a condition away
    if evidence.kind != "finding":
        return True
    chance = table.present[evidence.finding][index]
    if evidence.present:
        return chance < kb.reasoning.uncommon_below
    return chance >= 0.5


def _evidence(
    kb: KnowledgeBase,
    table: Table,
    index: int,
    rivals: list[int],
    counted: Counted,
    *,
    diagnoses: frozenset[str],
) -> list[Evidence]:
    """Each counted fact with its likelihood ratio for this condition against the rivals
    still standing (prior-weighted), the imaging result that settles it first, then the
    strongest (the finding code breaks ties so the order is stable)."""
    found = []
    for code, state in counted.facts.items():
        finding = kb.finding_by_code[code]
        row = table.likelihood(code, state)
        kind: EvidenceKind = "patient" if finding.derived_from_patient else "finding"
        evidence = Evidence(
            code,
            finding.label,
            state,
            _ratio(table, row, index, rivals),
            finding.rationale,
            finding.cite[0],
            kind,
            decisive=_settles(counted, code, kb.conditions[index].code),
        )
        found.append(evidence)
    weight = kb.reasoning.diagnosis
    for code in sorted(diagnoses):
        ratio = _ratio(table, table.diagnosis_likelihood(code), index, rivals)
        label = f"{kb.condition_by_code[code].name} already diagnosed"
        found.append(
            Evidence(code, label, True, ratio, weight.rationale, weight.cite[0], "diagnosis")
        )
    found.sort(key=lambda e: (not e.decisive, -abs(math.log(e.likelihood_ratio)), e.finding))
    return found


def _ratio(table: Table, row: Distribution, index: int, rivals: list[int]) -> float:
    weights = [table.priors[i] for i in rivals]
    against = sum(w * row[i] for w, i in zip(weights, rivals, strict=True)) / sum(weights)
    return row[index] / against


def _settles(counted: Counted, finding: str, condition: str) -> bool:
    result = counted.confirmed.get(condition) or counted.ruled_out.get(condition)
    return result is not None and result.finding == finding
