"""The reasoner: a presentation in, a ranked and explained differential out."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from operator import attrgetter

from differential._reading import Reading
from differential.facts import Counted, count_facts, tests_done
from differential.guidance import Situation
from differential.model import (
    SUSPECTS,
    Candidate,
    Differential,
    Evidence,
    Presentation,
    Status,
)
from differential.plan import build_plan
from differential.posterior import Distribution, Table, marginals, posterior, table_for
from differential.readings import diagnosis_readings, fact_readings
from differential.rules import RuleContext, holds
from differential.schema import KnowledgeBase

__all__ = ["evaluate", "known_facts", "own_probabilities"]

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
    The seven conditions compete with another cause (ranked with them), so none is likely
    when nothing fits; each status is the condition's own, so two can both be likely.
    """
    recorded = known_facts(kb, presentation)
    diagnoses = frozenset(presentation.diagnoses & set(kb.condition_by_code))
    active = bool(diagnoses) or any(recorded.get(code) for code in kb.presenting_findings)
    if not active:
        return Differential(knowledge_version=kb.version, active=False)
    counted = count_facts(kb, recorded, presentation)
    table = table_for(kb)
    age = presentation.age_years
    lift = _age_lift(kb, table, age)
    rows = _log_rows(table, counted, age) + lift
    diagnosed = [_logs(table.diagnosis_likelihood(code)) for code in sorted(diagnoses)]
    # Which cause is the one to test for (a distribution, for information gain), and each
    # condition's own probability (for its rank and status).
    shares = _settle(kb, table, posterior(table, rows + diagnosed), counted)
    own = own_probabilities(kb, table, counted, age, diagnoses)
    context_base = RuleContext(
        statuses={},
        first="",
        findings=recorded,
        age_years=age,
        ruled_out=frozenset(counted.ruled_out),
    )
    candidates = _rank(kb, table, own, counted, context_base, diagnoses=diagnoses)
    if not any(_clinically_supported(kb, c, diagnoses) for c in candidates):
        candidates = _first_on_clinical_grounds(kb, table, candidates, counted, diagnoses)
    context = RuleContext(
        statuses={c.code: c.status for c in candidates},
        first=candidates[0].code,
        findings=recorded,
        age_years=age,
        done=tests_done(kb, recorded, presentation),
        ruled_out=frozenset(counted.ruled_out),
        confirmed=frozenset(counted.confirmed),
        supported=_supported(kb, table, counted, diagnoses),
        diagnosed=diagnoses,
    )
    # Red flags are raised from findings: a recorded diagnosis never raises one by itself.
    findings_only = context
    if diagnoses:
        alone_own = own_probabilities(kb, table, counted, age, frozenset())
        alone = _rank(kb, table, alone_own, counted, context_base)
        if not any(_clinically_supported(kb, c, frozenset()) for c in alone):
            alone = _first_on_clinical_grounds(kb, table, alone, counted, frozenset())
        findings_only = replace(
            context, statuses={c.code: c.status for c in alone}, first=alone[0].code
        )
    situation = Situation(table, shares, counted.facts, context)
    plan = build_plan(kb, situation, findings_only, candidates)
    return replace(
        plan,
        other_probability=own[table.other],
        other_label=kb.other_causes.name,
        other_code=kb.other_causes.code,
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


def own_probabilities(
    kb: KnowledgeBase,
    table: Table,
    counted: Counted,
    age: int | None,
    diagnoses: frozenset[str],
) -> Distribution:
    """Each condition's own probability (another cause last): the chance it is there, alone
    or beside another cause, settled by decisive imaging."""
    weights = counted.weights
    rows = [
        table.hypothesis_log_likelihood(code, state, age, weights.get(code, 1.0))
        for code, state in counted.facts.items()
    ]
    rows += [table.hypothesis_row(row) for row in _age_lift(kb, table, age)]
    rows += [
        table.hypothesis_row(_logs(table.diagnosis_likelihood(code))) for code in sorted(diagnoses)
    ]
    ruled_out = frozenset(table.columns[code] for code in counted.ruled_out)
    confirmed = frozenset(table.columns[code] for code in counted.confirmed)
    raw = marginals(table, rows)
    if not ruled_out and not confirmed:
        return raw
    settled = list(marginals(table, rows, ruled_out, confirmed))
    for index in ruled_out:
        settled[index] = min(raw[index], kb.reasoning.ruled_out_share)
    for index in confirmed:
        settled[index] = max(raw[index], kb.reasoning.confirmed_share)
    return tuple(settled)


def _first_on_clinical_grounds(
    kb: KnowledgeBase,
    table: Table,
    candidates: tuple[Candidate, ...],
    counted: Counted,
    diagnoses: frozenset[str],
) -> tuple[Candidate, ...]:
    """With no finding for any condition yet, sex, age and risk factors must not choose the
    first (contract section 4): it is the most probable of the seven on the findings about
    the pain alone; the others keep their order."""
    clinical = Counted(
        {code: state for code, state in counted.facts.items() if _about_the_pain(kb, code)},
        counted.confirmed,
        counted.ruled_out,
        counted.weights,
    )
    shares = own_probabilities(kb, table, clinical, None, diagnoses)
    # Another cause leads only on findings that point to it: here there are none.
    seven = range(len(kb.conditions))
    first = kb.conditions[max(seven, key=lambda i: (round(shares[i], 12), -i))].code
    lead = next(c for c in candidates if c.code == first)
    rest = [c for c in candidates if c.code != first]
    return tuple(replace(c, rank=rank) for rank, c in enumerate([lead, *rest], start=1))


def _about_the_pain(kb: KnowledgeBase, code: str) -> bool:
    """A finding that can be a condition's reason: not sex, age or a risk factor, and not a
    normal result (a normal film is no reason for a stress fracture, though it never opposes
    one)."""
    finding = kb.finding_by_code[code]
    return not (
        finding.derived_from_patient or finding.group == "risk-factor" or finding.normal_result
    )


def _age_lift(kb: KnowledgeBase, table: Table, age: int | None) -> list[Distribution]:
    """Over the ages the knowledge base names, a cause is more common (another cause: hip
    osteoarthritis, spinal stenosis; an insufficiency fracture): its prior odds are
    multiplied, as one more row."""
    if age is None:
        return []
    bands = (*(c.by_age for c in kb.conditions), kb.other_causes.by_age)
    lifts = [
        math.log(max((band.factor for band in owner if age > band.over), default=1.0))
        for owner in bands
    ]
    return [tuple(lifts)] if any(lifts) else []


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
    own: Distribution,
    counted: Counted,
    context: RuleContext,
    *,
    diagnoses: frozenset[str] = frozenset(),
) -> tuple[Candidate, ...]:
    """The seven conditions and another cause, most probable first, each with its reasons
    and its own status (which needs enough independent support to say "likely")."""
    causes = range(len(table.conditions))
    standing = tuple(i for i in causes if own[i] >= _thresholds(kb, i)[0])
    # Each fact is read once for every cause (and the reading kept for the next call).
    facts = [
        fact_readings(kb, table, code, state, standing) for code, state in counted.facts.items()
    ]
    diagnosed = [diagnosis_readings(kb, table, code, standing) for code in sorted(diagnoses)]
    settled_by = _settled_by(counted)
    most_probable = max(range(len(kb.conditions)), key=lambda i: (round(own[i], 12), -i))
    floored = {floor.condition for floor in kb.status_floors if holds(floor.when, context)}
    drafts = []
    for index in causes:
        if index == table.other:
            drafts.append(_another_cause(kb, own[index], facts, context))
            continue
        condition = kb.conditions[index]
        settling = _settling(facts, index, settled_by.get(condition.code))
        readings = _strongest_first([row[index] for row in (*facts, *diagnosed)], settling)
        supporting, opposing = _reasons(readings, settling)
        if index == most_probable:
            supporting = _leading_reason(kb, table, index, readings, supporting)
        # A decisive imaging result, or a recorded diagnosis of this very condition, is
        # enough support on its own; another condition's diagnosis is no support for this one.
        decided = settling is not None or condition.code in diagnoses
        support = len(kb.findings) if decided else _support(readings)
        drafts.append(
            Candidate(
                code=condition.code,
                name=condition.name,
                rank=0,
                status=_floored(_status(kb, index, own[index], support), condition.code in floored),
                probability=own[index],
                supporting=supporting,
                opposing=opposing,
                already_diagnosed=condition.code in diagnoses,
            )
        )
    return _ordered(kb, drafts, own, diagnoses)


def _leading_reason(
    kb: KnowledgeBase,
    table: Table,
    index: int,
    readings: list[Reading],
    supporting: tuple[Evidence, ...],
) -> tuple[Evidence, ...]:
    """The most probable of the seven shows what its lead rests on: when no finding passes
    the bar for a reason, its strongest finding about the pain that points to it against
    every alternative (likelihood ratio above 1) is named. Only when none does can another
    condition with a reason be put before it (contract section 4)."""
    if any(_about_the_pain(kb, e.finding) for e in supporting if e.kind == "finding"):
        return supporting
    pointing = (
        r.evidence
        for r in readings
        if r.evidence.present
        and r.evidence.kind == "finding"
        and _about_the_pain(kb, r.evidence.finding)
        and table.ratios(r.evidence.finding, True)[index] > 1.0
    )
    best = next(pointing, None)  # readings are strongest first
    return supporting if best is None else (best, *supporting)


def _ordered(
    kb: KnowledgeBase,
    drafts: list[Candidate],
    own: Distribution,
    diagnoses: frozenset[str],
) -> tuple[Candidate, ...]:
    """Most probable first (ties in the knowledge base's order). Sex, age and risk factors
    re-order conditions that have clinical support; they never put one without any first,
    nor make it the closest of the seven (contract 4): when the first, or the first of the
    seven, has none and another has, the most probable supported one takes its place."""
    order = sorted(range(len(drafts)), key=lambda i: (-round(own[i], 12), i))
    supported = [i for i in order if _clinically_supported(kb, drafts[i], diagnoses)]
    _lead_with_support(order, list(order), supported)
    seven = [i for i in order if drafts[i].code != kb.other_causes.code]
    _lead_with_support(order, seven, supported)
    return tuple(replace(drafts[i], rank=rank) for rank, i in enumerate(order, start=1))


def _lead_with_support(order: list[int], among: list[int], supported: list[int]) -> None:
    """In ``order``, put the most probable supported one of ``among`` where the first of
    ``among`` stands, when that one has no support."""
    candidates = [i for i in supported if i in among]
    if not among or not candidates or among[0] in candidates:
        return
    order.remove(candidates[0])
    order.insert(order.index(among[0]), candidates[0])


def _clinically_supported(
    kb: KnowledgeBase, candidate: Candidate, diagnoses: frozenset[str]
) -> bool:
    """A reason for the condition (or another cause) that is a finding about the pain itself:
    not sex, age or a risk factor such as a cancer history (a recorded diagnosis counts)."""
    if candidate.code in diagnoses:
        return True
    return any(
        e.kind == "finding" and kb.finding_by_code[e.finding].group != "risk-factor"
        for e in candidate.supporting
    )


def _another_cause(
    kb: KnowledgeBase,
    probability: float,
    facts: list[tuple[Reading, ...]],
    context: RuleContext,
) -> Candidate:
    """Another cause than the seven, with the findings that point away from them (contract
    section 4) and the kinds of cause they suggest."""
    other = kb.other_causes
    index = len(kb.conditions)
    read = {row[index].evidence.finding: row[index] for row in facts}
    pointing = [
        support
        for support in other.supporting
        if context.present(support.finding)
        and support.finding in read
        and (support.when is None or holds(support.when, context))
    ]
    # Shown with the rule's own reason and source: which finding points to which cause, and
    # who says so (a variant that holds adds its kinds of cause and its reason).
    variants = {s.finding: [v for v in s.variants if holds(v.when, context)] for s in pointing}
    supporting = tuple(
        replace(
            read[s.finding].evidence,
            rationale=" ".join(
                [s.rationale.strip(), *(v.rationale.strip() for v in variants[s.finding])]
            ),
            citation=s.cite[0],
        )
        for s in pointing
    )
    suspected = {kind for s in pointing for kind in s.suspects} | {
        kind for found in variants.values() for v in found for kind in v.suspects
    }
    support = len({read[s.finding].piece or s.finding for s in pointing})
    return Candidate(
        code=other.code,
        name=other.name,
        rank=0,
        status=_status(kb, index, probability, support),
        probability=probability,
        supporting=supporting,
        opposing=(),
        suspected=tuple(kind for kind in SUSPECTS if kind in suspected),
    )


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


def _thresholds(kb: KnowledgeBase, index: int) -> tuple[float, float]:
    """(unlikely below, likely at) for the condition at ``index`` (another cause last): its
    own where the knowledge base sets them, else the shared ones."""
    reasoning = kb.reasoning
    owner = kb.other_causes if index == len(kb.conditions) else kb.conditions[index]
    return (
        owner.unlikely_below or reasoning.unlikely_below,
        owner.likely_at or reasoning.likely_at,
    )


def _floored(status: Status, floored: bool) -> Status:
    """A status floor of the knowledge base keeps the condition in play (possible)."""
    return Status.POSSIBLE if floored and status is Status.UNLIKELY else status


def _status(kb: KnowledgeBase, index: int, share: float, support: int) -> Status:
    unlikely_below, likely_at = _thresholds(kb, index)
    if share >= likely_at and support >= kb.reasoning.likely_needs:
        return Status.LIKELY
    if share < unlikely_below:
        return Status.UNLIKELY
    return Status.POSSIBLE
