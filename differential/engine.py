"""The reasoner: a presentation in, a ranked and explained differential out."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from operator import itemgetter

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
from differential.posterior import Distribution, Table, likelihood_ratios, posterior, table_for
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
    """
    recorded = known_facts(kb, presentation)
    diagnoses = sorted(presentation.diagnoses & set(kb.condition_by_code))
    active = bool(diagnoses) or any(recorded.get(code) for code in kb.presenting_findings)
    if not active:
        return Differential(knowledge_version=kb.version, active=False)
    counted = count_facts(kb, recorded, presentation)
    table = table_for(kb)
    rows = [table.likelihood(code, state) for code, state in counted.facts.items()]
    shares = _settle(kb, table, posterior(table, rows + _diagnosis_rows(table, diagnoses)), counted)
    candidates = _rank(kb, table, shares, counted, frozenset(diagnoses))
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
        alone = _settle(kb, table, posterior(table, rows), counted)
        findings_only = _context_of(kb, alone, context)
    return build_plan(
        kb, Situation(table, shares, counted.facts, context), findings_only, candidates
    )


def _diagnosis_rows(table: Table, diagnoses: Iterable[str]) -> list[Distribution]:
    return [table.diagnosis_likelihood(code) for code in diagnoses]


def _settle(
    kb: KnowledgeBase, table: Table, shares: Distribution, counted: Counted
) -> Distribution:
    """Decisive imaging outweighs the symptom picture: a condition it rules out keeps at most
    ``ruled_out_share``, one it confirms at least ``confirmed_share``; the others share the
    rest in proportion."""
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


def _context_of(kb: KnowledgeBase, shares: Distribution, base: RuleContext) -> RuleContext:
    order = _order(shares)
    return replace(
        base,
        statuses={kb.conditions[i].code: _status(kb, shares[i]) for i in order},
        first=kb.conditions[order[0]].code,
    )


def _order(shares: Distribution) -> list[int]:
    # Ties are broken by the order of the knowledge base (more common conditions first).
    return sorted(range(len(shares)), key=lambda i: (-round(shares[i], 12), i))


def _rank(
    kb: KnowledgeBase,
    table: Table,
    shares: Distribution,
    counted: Counted,
    diagnoses: frozenset[str],
) -> tuple[Candidate, ...]:
    ratio = kb.reasoning.evidence_ratio
    candidates = []
    for rank, index in enumerate(_order(shares), start=1):
        condition = kb.conditions[index]
        evidence = _evidence(kb, table, index, counted.facts, diagnoses)
        evidence = _mark_decisive(evidence, counted, condition.code)
        candidates.append(
            Candidate(
                code=condition.code,
                name=condition.name,
                rank=rank,
                status=_status(kb, shares[index]),
                probability=shares[index],
                supporting=tuple(e for e in evidence if e.likelihood_ratio >= ratio),
                opposing=tuple(e for e in evidence if e.likelihood_ratio <= 1.0 / ratio),
                already_diagnosed=condition.code in diagnoses,
            )
        )
    return tuple(candidates)


def _status(kb: KnowledgeBase, share: float) -> Status:
    if share >= kb.reasoning.likely_at:
        return Status.LIKELY
    if share < kb.reasoning.unlikely_below:
        return Status.UNLIKELY
    return Status.POSSIBLE


def _evidence(
    kb: KnowledgeBase,
    table: Table,
    index: int,
    facts: Mapping[str, bool],
    diagnoses: frozenset[str],
) -> list[Evidence]:
    """Each recorded fact with its likelihood ratio for this condition against the rest,
    strongest first (the finding code breaks ties so the order is stable)."""
    ranked = [_finding_evidence(kb, table, code, state)[index] for code, state in facts.items()]
    weight = kb.reasoning.diagnosis
    for code in sorted(diagnoses):
        ratio = likelihood_ratios(table.priors, table.diagnosis_likelihood(code))[index]
        label = f"{kb.condition_by_code[code].name} already diagnosed"
        evidence = Evidence(code, label, True, ratio, weight.rationale, weight.cite[0], "diagnosis")
        ranked.append((_strength_key(evidence), evidence))
    ranked.sort(key=itemgetter(0))
    return [evidence for _, evidence in ranked]


def _mark_decisive(evidence: list[Evidence], counted: Counted, condition: str) -> list[Evidence]:
    """The imaging result that settles ``condition`` comes first, marked as deciding it."""
    result = counted.confirmed.get(condition) or counted.ruled_out.get(condition)
    if result is None:
        return evidence
    marked = [replace(e, decisive=True) for e in evidence if e.finding == result.finding]
    return marked + [e for e in evidence if e.finding != result.finding]


def _strength_key(evidence: Evidence) -> tuple[float, str]:
    return (-abs(math.log(evidence.likelihood_ratio)), evidence.finding)


# Per condition, the Evidence of one finding state and its sort key. Evidence is immutable and
# depends on nothing else, so it is built once and kept on the knowledge base's table.
_Ranked = tuple[tuple[float, str], Evidence]


def _finding_evidence(
    kb: KnowledgeBase, table: Table, code: str, state: bool
) -> tuple[_Ranked, ...]:
    cached = table.derived_rows.get((code, state))
    if cached is not None:
        return cached  # type: ignore[return-value]
    finding = kb.finding_by_code[code]
    kind: EvidenceKind = "patient" if finding.derived_from_patient else "finding"
    row = tuple(
        Evidence(code, finding.label, state, ratio, finding.rationale, finding.cite[0], kind)
        for ratio in table.ratios(code, state)
    )
    ranked = tuple((_strength_key(evidence), evidence) for evidence in row)
    table.derived_rows[(code, state)] = ranked
    return ranked
