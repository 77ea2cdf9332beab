"""The reasoner: a presentation in, a ranked and explained differential out."""

from __future__ import annotations

import math
from collections.abc import Mapping
from operator import itemgetter

from differential.guidance import Situation, avoid_tests, informative_unknowns, next_tests
from differential.model import (
    Candidate,
    Caution,
    Differential,
    Evidence,
    EvidenceKind,
    Presentation,
    RedFlag,
    Status,
)
from differential.posterior import Distribution, Table, likelihood_ratios, posterior, table_for
from differential.rules import RuleContext, holds
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
    """Rank the conditions for ``presentation`` and say what to test, avoid and watch for.

    Deterministic: the same presentation always gives the same answer in the same order.
    Findings not recorded are unknown and change nothing; only recorded absence counts against.
    """
    facts = known_facts(kb, presentation)
    diagnoses = sorted(presentation.diagnoses & set(kb.condition_by_code))
    active = bool(diagnoses) or any(facts.get(code) for code in kb.presenting_findings)
    if not active:
        return Differential(knowledge_version=kb.version, active=False)
    table = table_for(kb)
    rows = [table.likelihood(code, state) for code, state in facts.items()]
    rows += [table.diagnosis_likelihood(code) for code in diagnoses]
    shares = posterior(table, rows)
    candidates = _rank(kb, table, shares, facts, frozenset(diagnoses))
    context = RuleContext(
        statuses={c.code: c.status for c in candidates},
        first=candidates[0].code,
        findings=facts,
    )
    avoided = avoid_tests(kb, context)
    situation = Situation(table, shares, facts, context)
    unknowns = informative_unknowns(kb, situation)
    return Differential(
        knowledge_version=kb.version,
        active=True,
        candidates=candidates,
        next_tests=next_tests(kb, situation, avoided),
        avoid_tests=avoided,
        cautions=_cautions(kb, context),
        red_flags=_red_flags(kb, context),
        most_informative_unknowns=unknowns,
        finding_labels={code: kb.finding_by_code[code].label for code in unknowns},
    )


def _rank(
    kb: KnowledgeBase,
    table: Table,
    shares: Distribution,
    facts: Mapping[str, bool],
    diagnoses: frozenset[str],
) -> tuple[Candidate, ...]:
    # Ties are broken by the order of the knowledge base (more common conditions first).
    order = sorted(range(len(shares)), key=lambda i: (-round(shares[i], 12), i))
    ratio = kb.reasoning.evidence_ratio
    candidates = []
    for rank, index in enumerate(order, start=1):
        condition = kb.conditions[index]
        evidence = _evidence(kb, table, index, facts, diagnoses)
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


def _cautions(kb: KnowledgeBase, context: RuleContext) -> tuple[Caution, ...]:
    rank = {code: i for i, code in enumerate(context.statuses)}
    fired = [rule for rule in kb.cautions if holds(rule.when, context)]
    fired.sort(key=lambda rule: rank.get(rule.condition, len(rank)))
    return tuple(Caution(rule.id, rule.condition, rule.text, rule.cite[0]) for rule in fired)


def _red_flags(kb: KnowledgeBase, context: RuleContext) -> tuple[RedFlag, ...]:
    return tuple(
        RedFlag(rule.code, rule.name, rule.action, rule.cite[0])
        for rule in kb.red_flags
        if holds(rule.when, context)
    )
