"""The reasoner: a presentation in, a ranked and explained differential out."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from operator import attrgetter

from differential.facts import Counted, count_facts, tests_done
from differential.guidance import Situation
from differential.model import Candidate, Differential, Evidence, Presentation, Status
from differential.plan import build_plan
from differential.posterior import Distribution, Table, posterior, table_for
from differential.readings import Reading, diagnosis_readings, fact_readings
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
    rows = _log_rows(table, counted, presentation.age_years)
    diagnosed = [_logs(table.diagnosis_likelihood(code)) for code in sorted(diagnoses)]
    shares = _settle(kb, table, posterior(table, rows + diagnosed), counted)
    candidates = _rank(kb, table, shares, counted, diagnoses)
    context = RuleContext(
        statuses={c.code: c.status for c in candidates},
        first=candidates[0].code,
        findings={**_rule_only_facts(kb, presentation), **recorded},
        age_years=presentation.age_years,
        done=tests_done(kb, recorded, presentation.recorded_at),
        ruled_out=frozenset(counted.ruled_out),
        confirmed=frozenset(counted.confirmed),
        supported=_supported(kb, table, counted, diagnoses),
        diagnosed=diagnoses,
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


def _supported(
    kb: KnowledgeBase, table: Table, counted: Counted, diagnoses: frozenset[str]
) -> frozenset[str]:
    """Conditions with a supporting finding: one recorded present that is at least
    ``imaging_support_ratio`` times as common with the condition as without it (pain past
    the knee supports sciatica though piriformis shares it), a decisive result confirming
    it, or its own diagnosis (imaging confirms or stages only these; contract section 5)."""
    ratio = kb.imaging_support_ratio
    found = {
        code
        for fact, state in counted.facts.items()
        if state and fact in table.ratio_present
        for code, value in zip(table.conditions, table.ratio_present[fact], strict=True)
        if value >= ratio and code in kb.condition_by_code
    }
    return frozenset(found | set(counted.confirmed) | diagnoses)


def _rule_only_facts(kb: KnowledgeBase, presentation: Presentation) -> dict[str, bool]:
    """Recorded findings the rules read that the arithmetic does not weigh (yet): risk
    factors and the symptom duration (knowledge base `rule_findings`)."""
    return {
        code: bool(state)
        for code, state in sorted(presentation.findings.items())
        if code in kb.rule_finding_codes and code not in kb.finding_by_code
    }


def _log_rows(table: Table, counted: Counted, age: int | None) -> list[Distribution]:
    """One likelihood row (in logs) per counted fact; a finding that repeats a construct
    already counted weighs only its group's weight (a power of the row)."""
    weights = counted.weights
    return [
        table.log_likelihood(code, state, age, weights.get(code, 1.0))
        for code, state in counted.facts.items()
    ]


def _logs(row: Distribution) -> Distribution:
    # A recorded diagnosis is rare enough to take its row's logs on each call.
    return tuple(math.log(p) for p in row)


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
    standing = tuple(i for i in seven if shares[i] >= kb.reasoning.unlikely_below)
    # Each fact is read once for all seven conditions (and the reading kept for the next call).
    facts = [
        fact_readings(kb, table, code, state, standing) for code, state in counted.facts.items()
    ]
    diagnosed = [diagnosis_readings(kb, table, code, standing) for code in sorted(diagnoses)]
    settled_by = _settled_by(counted)
    candidates = []
    for rank, index in enumerate(order, start=1):
        condition = kb.conditions[index]
        settling = _settling(facts, index, settled_by.get(condition.code))
        readings = _strongest_first([row[index] for row in (*facts, *diagnosed)], settling)
        supporting, opposing = _reasons(readings, settling)
        # A decisive imaging result, or a recorded diagnosis of this very condition, is
        # enough support on its own; another condition's diagnosis is no support for this one.
        decided = settling is not None or condition.code in diagnoses
        support = len(kb.findings) if decided else _support(readings)
        candidates.append(
            Candidate(
                code=condition.code,
                name=condition.name,
                rank=rank,
                status=_status(kb, shares[index], support),
                probability=shares[index],
                supporting=supporting,
                opposing=opposing,
                already_diagnosed=condition.code in diagnoses,
            )
        )
    return tuple(candidates)


def _settled_by(counted: Counted) -> dict[str, str]:
    """Condition code -> the finding whose imaging result settles it (a confirming result
    before a ruling-out one)."""
    return {
        condition: result.finding
        for condition, result in (*counted.ruled_out.items(), *counted.confirmed.items())
    }


def _settling(
    facts: Iterable[tuple[Reading, ...]], index: int, finding: str | None
) -> Reading | None:
    """The reading, for condition ``index``, of the imaging result ``finding`` that settles it."""
    if finding is None:
        return None
    return next((row[index] for row in facts if row[index].evidence.finding == finding), None)


def _strongest_first(readings: list[Reading], settling: Reading | None) -> list[Reading]:
    """The imaging result that settles the condition first, then the strongest (the finding
    code breaks ties so the order is stable)."""
    readings.sort(key=_STRENGTH)
    if settling is None:
        return readings
    return [settling, *(reading for reading in readings if reading is not settling)]


_STRENGTH = attrgetter("strength")


def _reasons(
    readings: list[Reading], settling: Reading | None
) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
    """The reasons for and against, in the order of ``readings``; the evidence that settles
    the condition is marked so."""
    if settling is None:  # the common case: the cached evidence as it is
        return (
            tuple(r.evidence for r in readings if r.supports),
            tuple(r.evidence for r in readings if r.opposes),
        )
    settles = replace(settling.evidence, decisive=True)
    supporting = tuple(settles if r is settling else r.evidence for r in readings if r.supports)
    opposing = tuple(settles if r is settling else r.evidence for r in readings if r.opposes)
    return supporting, opposing


def _support(readings: Iterable[Reading]) -> int:
    """Independent findings recorded present that point to this condition against every
    alternative (other causes included): findings of one group count once. A decisive
    imaging result, or a recorded diagnosis of the condition itself, is enough on its own
    (see ``_rank``)."""
    return len({reading.piece for reading in readings if reading.piece is not None})


def _status(kb: KnowledgeBase, share: float, support: int) -> Status:
    if share >= kb.reasoning.likely_at and support >= kb.reasoning.likely_needs:
        return Status.LIKELY
    if share < kb.reasoning.unlikely_below:
        return Status.UNLIKELY
    return Status.POSSIBLE
