"""Which recorded findings count as evidence, and which imaging results settle a condition.

Three rules of the knowledge base decide it, before any arithmetic:
- a negative result the source calls too insensitive to reassure is a test done, not evidence;
- findings the source ties into one picture (the pre-stress fracture) do not argue against
  each other, and findings that measure one construct (RED-S) are counted once;
- a decisive imaging result confirms or rules out its condition, but an absent result counts
  only when it is as recent as the symptoms it is read against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from differential.model import Presentation
from differential.rules import RuleContext, holds
from differential.schema import DecisiveResult, KnowledgeBase, TestDef

__all__ = ["Counted", "count_facts", "stale", "tests_done"]


@dataclass(frozen=True)
class Counted:
    """The facts the arithmetic counts, and what decisive imaging settles."""

    facts: Mapping[str, bool]
    confirmed: Mapping[str, DecisiveResult]  # condition -> the result that confirms it
    ruled_out: Mapping[str, DecisiveResult]  # condition -> the result that rules it out
    weights: Mapping[str, float] = field(default_factory=dict)  # a repeated construct's weight


def count_facts(
    kb: KnowledgeBase, recorded: Mapping[str, bool], presentation: Presentation
) -> Counted:
    """The subset of ``recorded`` that counts as evidence, and the settled conditions."""
    dropped = {
        code
        for code, state in recorded.items()
        if not state and kb.finding_by_code[code].negative_uninformative
    }
    dropped |= _explained_absences(kb, recorded)
    weights = _repeated_constructs(kb, recorded)
    dropped |= {code for code, weight in weights.items() if weight == 0.0}
    confirmed: dict[str, DecisiveResult] = {}
    ruled_out: dict[str, DecisiveResult] = {}
    for result in kb.decisive_results:
        state = recorded.get(result.finding)
        if state is True and result.present == "confirms":
            confirmed[result.condition] = result
        elif state is False and result.absent == "rules-out":
            if _current(kb, result, recorded, presentation):
                ruled_out[result.condition] = result
            else:
                dropped.add(result.finding)  # older than the symptoms: says nothing of them
    facts = {code: state for code, state in recorded.items() if code not in dropped}
    return Counted(facts, confirmed, ruled_out, weights)


def tests_done(
    kb: KnowledgeBase, recorded: Mapping[str, bool], presentation: Presentation
) -> frozenset[str]:
    """Tests with a result on record, present or absent, that is not stale (contract section
    5, "done means dated"): a stale result does not keep the test from being asked again."""
    return frozenset(
        test.code
        for test in kb.tests
        if any(
            code in recorded and not stale(test, code, recorded, presentation)
            for code in test.reveals
        )
    )


def stale(
    test: TestDef, finding: str, recorded: Mapping[str, bool], presentation: Presentation
) -> bool:
    """Whether the result ``finding`` of ``test`` is stale (contract 5, "done means dated"):
    a result its first-present rule covers (a hip MRI without a bone stress injury) once one
    of its findings is first recorded present after it; any other once a complaint of the
    test's ``stale_after`` is new since it. Recording a complaint again never counts."""
    taken = presentation.recorded_at.get(finding)
    if taken is None:
        return False  # an undated result (entered at the bedside) is current
    rule = next((r for r in test.stale_first_present if r.result == finding), None)
    if rule is not None and recorded.get(finding) is False:
        return any(
            _first_present_after(code, taken, recorded, presentation) for code in rule.findings
        )
    return any(_new_since(code, taken, recorded, presentation) for code in test.stale_after)


def _first_present(code: str, presentation: Presentation) -> datetime | None:
    """When ``code`` was first recorded present, or began if that is earlier; its deciding
    record's time when no earlier one is known (a caller that gives only ``recorded_at``)."""
    known = (
        presentation.first_present_at.get(code, presentation.recorded_at.get(code)),
        presentation.onset_at.get(code),
    )
    return min((when for when in known if when is not None), default=None)


def _first_present_after(
    code: str, taken: datetime, recorded: Mapping[str, bool], presentation: Presentation
) -> bool:
    """Present now, with no present record (nor onset) at or before ``taken``."""
    first = _first_present(code, presentation)
    return recorded.get(code) is True and first is not None and first > taken


def _new_since(
    code: str, taken: datetime, recorded: Mapping[str, bool], presentation: Presentation
) -> bool:
    """Present now and not at ``taken``, and either recorded absent at or before it or
    begun after it (the contract's two ways for a complaint to be new since a result)."""
    onset = presentation.onset_at.get(code)
    states = presentation.recorded_states.get(code)
    if states:
        return recorded.get(code) is True and _new_by_records(states, taken, onset)
    absent = presentation.first_absent_at.get(code)
    return _first_present_after(code, taken, recorded, presentation) and (
        (absent is not None and absent <= taken) or (onset is not None and onset > taken)
    )


def _new_by_records(
    states: tuple[tuple[datetime, bool], ...], taken: datetime, onset: datetime | None
) -> bool:
    """From every dated record: the complaint's state at ``taken`` (its newest record then;
    present on a tie) was absent, or it had no record then and began after it. Present,
    absent, present again across a result is new; present at the result is not."""
    then = max(((when, state) for when, state in states if when <= taken), default=None)
    if then is not None:
        return not then[1]
    return onset is not None and onset > taken


def _explained_absences(kb: KnowledgeBase, recorded: Mapping[str, bool]) -> set[str]:
    context = RuleContext(statuses={}, first="", findings=recorded)
    return {
        code
        for pattern in kb.patterns
        if holds(pattern.when, context)
        for code in pattern.not_against
        if recorded.get(code) is False
    }


def _repeated_constructs(kb: KnowledgeBase, recorded: Mapping[str, bool]) -> dict[str, float]:
    """The weight of each finding that repeats a construct already counted in that state."""
    weights: dict[str, float] = {}
    for group in kb.groups:
        seen: set[bool] = set()
        for code in group.findings:
            if code in recorded:
                if recorded[code] in seen:
                    weights[code] = group.weight
                seen.add(recorded[code])
    return weights


def _current(
    kb: KnowledgeBase,
    result: DecisiveResult,
    recorded: Mapping[str, bool],
    presentation: Presentation,
) -> bool:
    """An absent result counts unless a symptom it is read against was first recorded
    present after it (recording it again does not count), or the result of its test is
    stale."""
    tests = (t for t in kb.tests if result.finding in t.reveals)
    if any(stale(test, result.finding, recorded, presentation) for test in tests):
        return False
    taken = presentation.recorded_at.get(result.finding)
    return taken is None or not any(
        _first_present_after(code, taken, recorded, presentation) for code in result.current_after
    )
