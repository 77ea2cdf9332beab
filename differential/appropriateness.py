"""Rate a drafted imaging order against the current differential (order-select / order-sign).

The score follows from where the study stands in the test guidance the reasoner already gave:
asked for now, put forward for the question at hand, informative, already done, barely
informative, or to be avoided. The scores themselves are knowledge-base data.
"""

from __future__ import annotations

from differential.engine import known_facts
from differential.errors import DifferentialError
from differential.model import (
    Differential,
    OrderRating,
    Presentation,
    RatingCategory,
    TestAdvice,
)
from differential.posterior import expected_information_gain, table_for
from differential.schema import KnowledgeBase

__all__ = ["rate_order"]


def rate_order(
    kb: KnowledgeBase, presentation: Presentation, differential: Differential, test: str
) -> OrderRating:
    """Score an order for ``test`` (a test code) given the differential of ``presentation``."""
    if test not in kb.test_by_code:
        raise DifferentialError(f"unknown test {test!r}")
    if not differential.active:
        raise DifferentialError("no differential is active: nothing to rate against")
    scores = kb.appropriateness
    avoided = {a.code: a for a in differential.avoid_tests}
    suggested = {a.code: a for a in differential.next_tests}
    alternative = _alternative(differential, test)
    if test in avoided:
        return _rating(test, scores.avoided, avoided[test].reason, alternative)
    if test in suggested:
        advice = suggested[test]
        score = _suggested_score(kb, advice)
        return _rating(test, score, advice.reason, None)
    facts = known_facts(kb, presentation)
    definition = kb.test_by_code[test]
    if any(code in facts for code in definition.reveals):
        reason = f"{definition.name}: result already recorded; repeat only if things changed."
        return _rating(test, scores.already_done, reason, None)
    shares = tuple(
        c.probability for c in sorted(differential.candidates, key=lambda c: _index(kb, c.code))
    )
    gain = expected_information_gain(table_for(kb), shares, definition.reveals)
    if gain >= scores.min_informative_gain:
        reason = f"{definition.name} would add some information, but other tests come first."
        return _rating(test, scores.informative, reason, alternative)
    reason = f"{definition.name} would barely change the differential for this picture."
    return _rating(test, scores.uninformative, reason, alternative)


def _suggested_score(kb: KnowledgeBase, advice: TestAdvice) -> int:
    scores = kb.appropriateness
    if advice.urgent:
        return scores.urgent
    return scores.workup if advice.rule else scores.suggested


def _alternative(differential: Differential, ordered: str) -> str | None:
    """The study to offer instead: an imaging study the guidance asks for, else the first test.

    Imaging is offered only when the guidance itself puts it forward for the question (a
    workup rule) or ranks it first; otherwise the bedside test that separates the candidates.
    """
    options = [a for a in differential.next_tests if a.code != ordered]
    for advice in options:
        if advice.kind == "imaging" and (advice.rule or advice is options[0]):
            return advice.code
    return options[0].code if options else None


def _rating(test: str, score: int, reason: str, alternative: str | None) -> OrderRating:
    category: RatingCategory = (
        "usually-appropriate"
        if score >= 7
        else "may-be-appropriate"
        if score >= 4
        else "usually-not-appropriate"
    )
    return OrderRating(test, score, category, " ".join(reason.split()), alternative)


def _index(kb: KnowledgeBase, code: str) -> int:
    return [c.code for c in kb.conditions].index(code)
