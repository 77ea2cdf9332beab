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
            if _current(kb, result, recorded, presentation.recorded_at):
                ruled_out[result.condition] = result
            else:
                dropped.add(result.finding)  # older than the symptoms: says nothing of them
    facts = {code: state for code, state in recorded.items() if code not in dropped}
    return Counted(facts, confirmed, ruled_out, weights)


def tests_done(
    kb: KnowledgeBase, recorded: Mapping[str, bool], times: Mapping[str, datetime]
) -> frozenset[str]:
    """Tests with a result on record, present or absent, that is not stale (contract section
    5, "done means dated"): a stale result does not keep the test from being asked again."""
    return frozenset(
        test.code
        for test in kb.tests
        if any(code in recorded and not stale(test, code, recorded, times) for code in test.reveals)
    )


def stale(
    test: TestDef, finding: str, recorded: Mapping[str, bool], times: Mapping[str, datetime]
) -> bool:
    """Whether the result ``finding`` of ``test`` predates a finding of its ``stale_after``
    recorded present after it (a hip MRI without bone stress, then new groin pain)."""
    taken = times.get(finding)
    if taken is None:
        return False  # an undated result (entered at the bedside) is current
    return any(
        recorded.get(code) is True and code in times and times[code] > taken
        for code in test.stale_after
    )


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
    times: Mapping[str, datetime],
) -> bool:
    """An absent result counts unless a symptom it is read against was recorded after it,
    or the result of its test is stale."""
    tests = (t for t in kb.tests if result.finding in t.reveals)
    if any(stale(test, result.finding, recorded, times) for test in tests):
        return False
    taken = times.get(result.finding)
    if taken is None:
        return True
    later = [
        times[code] for code in result.current_after if recorded.get(code) is True and code in times
    ]
    return not later or taken >= max(later)
