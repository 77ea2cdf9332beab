"""Rate every imaging study 1-9 against the plan (order-select / order-sign).

The score follows from where the study stands in the plan the cards are rendered from: called
for by a red flag, asked for now, put forward for the question at hand, made usually
appropriate by a guideline, standing in for a better study, avoided, already done, or barely
informative. The scores themselves are knowledge-base data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from differential.errors import DifferentialError
from differential.guidance import Situation
from differential.model import Differential, OrderRating, RatingCategory, RedFlag, TestAdvice
from differential.schema import KnowledgeBase, StandIn

__all__ = ["rate_order", "rate_studies"]


def rate_order(differential: Differential, test: str) -> OrderRating:
    """The rating of an order for ``test`` (an imaging test code) in ``differential``'s plan."""
    if not differential.active:
        raise DifferentialError("no differential is active: nothing to rate against")
    try:
        return differential.ratings[test]
    except KeyError:
        raise DifferentialError(f"no imaging study {test!r} to rate") from None


def rate_studies(
    kb: KnowledgeBase,
    situation: Situation,
    *,
    flags: Iterable[RedFlag],
    next_tests: Sequence[TestAdvice],
    avoided: Sequence[TestAdvice],
    indicated: Sequence[TestAdvice],
) -> Mapping[str, OrderRating]:
    """Every imaging study of ``kb`` rated for this plan."""
    rater = _Rater(
        kb,
        situation,
        flags=tuple(flags),
        next_tests=next_tests,
        avoided=avoided,
        indicated=indicated,
    )
    return {test.code: rater.rate(test.code) for test in kb.tests if test.kind == "imaging"}


class _Rater:
    def __init__(
        self,
        kb: KnowledgeBase,
        situation: Situation,
        *,
        flags: tuple[RedFlag, ...],
        next_tests: Sequence[TestAdvice],
        avoided: Sequence[TestAdvice],
        indicated: Sequence[TestAdvice],
    ) -> None:
        self.kb, self.situation = kb, situation
        self.flag_of = {code: flag for flag in reversed(flags) for code in flag.calls_for}
        self.next = {a.code: a for a in next_tests}
        self.avoided = {a.code: a for a in avoided}
        self.indicated = {a.code: a for a in indicated}
        self.stand_in = {s.test: s for s in kb.stand_ins}
        self.alternatives = [a for a in next_tests if a.kind != "lab"]

    def rate(self, test: str) -> OrderRating:
        """Where the study stands in the plan decides its score, first match wins."""
        scores = self.kb.appropriateness
        if flag := self.flag_of.get(test):
            # The service never suggests cancelling what its own red flag asks for.
            return _rating(test, scores.red_flag, f"{flag.concern}: {flag.action}", None)
        if advice := self.next.get(test):
            score = scores.urgent if advice.urgent else scores.workup if advice.rule else None
            return _rating(test, score or scores.suggested, advice.reason, None)
        if advice := self.indicated.get(test):
            score = next(i.score for i in self.kb.indications if i.id == advice.rule)
            return _rating(test, score, advice.reason, None)
        if stand_in := self.stand_in.get(test):
            return self._stand_in(stand_in)
        if advice := self.avoided.get(test):
            return _rating(test, scores.avoided, advice.reason, self._instead(test))
        return self._by_information(test)

    def _stand_in(self, stand_in: StandIn) -> OrderRating:
        test = stand_in.test
        if self.rate(stand_in.stands_for).score >= self.kb.appropriateness.workup:
            reason = stand_in.reason_when_needed
            return _rating(test, stand_in.score_when_needed, reason, stand_in.stands_for)
        avoided = self.kb.appropriateness.avoided
        return _rating(test, avoided, stand_in.reason_otherwise, self._instead(test))

    def _by_information(self, test: str) -> OrderRating:
        scores, definition = self.kb.appropriateness, self.kb.test_by_code[test]
        if test in self.situation.context.done:
            reason = f"{definition.name}: result already recorded; repeat only if things changed."
            return _rating(test, scores.already_done, reason, None)
        gain = self.situation.gain(definition.reveals) if definition.reveals else 0.0
        if gain >= scores.min_informative_gain:
            reason = f"{definition.name} would add some information, but other tests come first."
            return _rating(test, scores.informative, reason, self._instead(test))
        reason = f"{definition.name} would barely change the differential for this picture."
        return _rating(test, scores.uninformative, reason, self._instead(test))

    def _instead(self, ordered: str) -> str | None:
        """The study to offer instead: imaging the plan asks for, else the first test.

        Imaging is offered only when the plan itself puts it forward for the question (a
        workup rule or a red flag) or ranks it first; otherwise the bedside test that
        separates the candidates.
        """
        options = [a for a in self.alternatives if a.code != ordered]
        for advice in options:
            if advice.kind == "imaging" and (advice.rule or advice.urgent or advice is options[0]):
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
