"""What one counted fact, or a recorded diagnosis, says about each condition.

Its likelihood ratio for a condition against the rivals still standing, whether that argues
for or against the condition, and whether it counts as independent support depend only on the
knowledge base, the fact's state and which conditions are still standing. So they are worked
out once per such combination and kept on the knowledge base's table: an evaluation looks them
up instead of redoing the arithmetic and rebuilding the same Evidence for every condition.
"""

from __future__ import annotations

import math

from differential._reading import Reading
from differential.model import Evidence, EvidenceKind
from differential.posterior import Distribution, Table
from differential.schema import KnowledgeBase

__all__ = ["Standing", "diagnosis_readings", "fact_readings"]

# The indices of the conditions still standing (not unlikely), in the knowledge base's order.
Standing = tuple[int, ...]


def fact_readings(
    kb: KnowledgeBase, table: Table, code: str, state: bool, standing: Standing
) -> tuple[Reading, ...]:
    """Per condition of ``kb``, what finding ``code`` recorded in ``state`` says about it."""
    key = ("finding", code, state, standing)
    known = table.readings.get(key)
    if known is None:
        known = _read_fact(kb, table, code, state, standing)
        table.readings[key] = known
    return known


def diagnosis_readings(
    kb: KnowledgeBase, table: Table, condition: str, standing: Standing
) -> tuple[Reading, ...]:
    """Per condition of ``kb``, what a recorded diagnosis of ``condition`` says about it."""
    key = ("diagnosis", condition, True, standing)
    known = table.readings.get(key)
    if known is None:
        known = _read_diagnosis(kb, table, condition, standing)
        table.readings[key] = known
    return known


def _read_fact(
    kb: KnowledgeBase, table: Table, code: str, state: bool, standing: Standing
) -> tuple[Reading, ...]:
    finding = kb.finding_by_code[code]
    kind: EvidenceKind = "patient" if finding.derived_from_patient else "finding"
    row = table.likelihood(code, state)
    group_of = {member: group.id for group in kb.groups for member in group.findings}
    readings = []
    causes = len(table.conditions)  # the seven and another cause
    for index in range(causes):
        ratio = _ratio(table, row, index, _rivals(index, standing, causes))
        evidence = Evidence(
            code, finding.label, state, ratio, finding.rationale, finding.cite[0], kind
        )
        # Independent support is judged against every alternative (other causes included),
        # not only the rivals still standing.
        # A risk factor or the patient's sex re-orders conditions; it is no finding about the
        # pain, so it never counts towards "likely".
        independent = (
            state
            and kind == "finding"
            and finding.group != "risk-factor"
            and table.ratios(code, True)[index] >= kb.reasoning.evidence_ratio
        )
        readings.append(
            _reading(kb, table, evidence, index, group_of.get(code, code) if independent else None)
        )
    return tuple(readings)


def _read_diagnosis(
    kb: KnowledgeBase, table: Table, condition: str, standing: Standing
) -> tuple[Reading, ...]:
    weight = kb.reasoning.diagnosis
    label = f"{kb.condition_by_code[condition].name} already diagnosed"
    row = table.diagnosis_likelihood(condition)
    readings = []
    causes = len(table.conditions)
    for index in range(causes):
        ratio = _ratio(table, row, index, _rivals(index, standing, causes))
        evidence = Evidence(
            condition, label, True, ratio, weight.rationale, weight.cite[0], "diagnosis"
        )
        readings.append(_reading(kb, table, evidence, index, None))
    return tuple(readings)


def _reading(
    kb: KnowledgeBase, table: Table, evidence: Evidence, index: int, piece: str | None
) -> Reading:
    threshold = kb.reasoning.evidence_ratio
    return Reading(
        evidence,
        strength=(-abs(math.log(evidence.likelihood_ratio)), evidence.finding),
        # A finding that counts towards the condition's status is always shown as a reason
        # for it, even where a rival still standing shares it (pain on impact beside lateral
        # hip pain: both the bursitis and the fracture; 1.24.0, before neither listed it
        # while it made the bursitis "likely").
        supports=evidence.present and (evidence.likelihood_ratio >= threshold or piece is not None),
        opposes=_against(kb, table, evidence, index, threshold),
        piece=piece,
    )


def _rivals(index: int, standing: Standing, count: int) -> list[int]:
    """The conditions a condition is weighed against: the others still standing, else all
    the others."""
    return [i for i in standing if i != index] or [i for i in range(count) if i != index]


def _ratio(table: Table, row: Distribution, index: int, rivals: list[int]) -> float:
    """How much more often the fact is seen with this condition than with its rivals,
    weighted by their priors."""
    weights = [table.priors[i] for i in rivals]
    against = sum(w * row[i] for w, i in zip(weights, rivals, strict=True)) / sum(weights)
    return row[index] / against


def _against(kb: KnowledgeBase, table: Table, evidence: Evidence, index: int, ratio: float) -> bool:
    """A reason against: a finding atypical for this condition itself (contract section 4).
    A present finding counts only when the knowledge base names it as uncommon in this very
    condition (a finding typical of a rival, which this condition merely does not cause, is
    no reason against it: both can be there); an absent one only when it is a hallmark of
    this condition (present in most who have it)."""
    if evidence.likelihood_ratio > 1.0 / ratio or evidence.kind == "patient":
        return False  # sex re-orders conditions, it argues none away
    if evidence.kind != "finding":
        return True
    # A red flag says what to do now, and a risk factor re-orders: neither argues it away.
    if kb.finding_by_code[evidence.finding].group in {"red-flag", "risk-factor"}:
        return False
    chance = table.present[evidence.finding][index]
    if not evidence.present:
        return chance >= 0.5
    named = index < len(kb.conditions) and (
        kb.conditions[index].code in kb.finding_by_code[evidence.finding].likelihood
    )
    return named and chance < kb.reasoning.uncommon_below
