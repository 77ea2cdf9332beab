"""Rate every imaging study 1-9 against the plan (order-select / order-sign).

The score follows from where the study stands in the plan the cards are rendered from: called
for by a red flag, asked for now, put forward for the question at hand, made usually
appropriate by a guideline, standing in for a better study, avoided, already done, or barely
informative. The scores themselves are knowledge-base data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from differential.errors import DifferentialError
from differential.guidance import Situation
from differential.model import Differential, OrderRating, RatingCategory, RedFlag, TestAdvice
from differential.rules import holds
from differential.schema import GuidelineRating, KnowledgeBase, StandIn

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


# A study "shows" a condition when a finding it reveals is present in this share of patients
# with it (the knowledge base's rows; e.g. MRI trochanteric bursitis in trochanteric bursitis).
_SHOWN = 0.5


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
        """Where the study stands against its indication and the plan; first match wins.

        A red flag's study is 9; a guideline's timing rule comes next (the lumbar MRI by
        symptom duration); then the plan, the guideline indications and the stand-ins; a
        study that confirms or stages a diagnosis or the order's indication is never rated
        1-3 for want of information (contract section 5).
        """
        scores = self.kb.appropriateness
        if flag := self.flag_of.get(test):
            # The service never suggests cancelling what its own red flag asks for.
            return _rating(test, scores.red_flag, f"{flag.concern}: {flag.action}", None)
        if test in self.situation.context.done:
            reason = "Its result is already recorded and current: repeat only for a new reason."
            return _rating(test, scores.already_done, reason, None)
        if rule := self._guideline(test):
            return self._by_guideline(test, rule)
        return self._by_plan(test)

    def _by_plan(self, test: str) -> OrderRating:
        scores = self.kb.appropriateness
        if advice := self.next.get(test):
            score = scores.urgent if advice.urgent else scores.workup if advice.rule else None
            return _rating(test, score or scores.suggested, advice.reason, None)
        if advice := self.indicated.get(test):
            score = next(i.score for i in self.kb.indications if i.id == advice.rule)
            return _rating(test, score, advice.reason, None)
        if stand_in := self.stand_in.get(test):
            return self._stand_in(stand_in)
        if by_indication := self._by_indication(test):
            return by_indication
        if advice := self.avoided.get(test):
            return _rating(test, scores.avoided, advice.reason, self._instead(test))
        return self._by_information(test)

    def _guideline(self, test: str) -> GuidelineRating | None:
        context = self.situation.context
        rules = (r for r in self.kb.guideline_ratings if r.test == test)
        return next((r for r in rules if holds(r.when, context)), None)

    def _by_guideline(self, test: str, rule: GuidelineRating) -> OrderRating:
        # Below 4 the study waits: the alternative is the bedside test the plan asks for,
        # else the one that shows the leading candidate (re-examined while care goes on).
        alternative = (self._bedside() or self._examines_leading()) if rule.score < 4 else None
        rating = _rating(test, rule.score, rule.reason, alternative)
        recorded = self.situation.context.findings
        read = tuple(
            (code, recorded[code]) for code in sorted(rule.when.finding_codes()) if code in recorded
        )
        return replace(rating, summary=rule.summary, ask=" ".join(rule.ask.split()), findings=read)

    def _confirms(self, test: str) -> tuple[str, ...]:
        """The diagnoses or indications on record that ``test`` confirms or stages."""
        confirms = self.kb.test_by_code[test].confirms
        return tuple(code for code in confirms if code in self.situation.context.diagnosed)

    def _by_indication(self, test: str) -> OrderRating | None:
        """The rating of a study that confirms, stages or shows the order's indication or a
        recorded diagnosis: never 1-3 for want of information (contract 5)."""
        scores = self.kb.appropriateness
        if confirmed := self._confirms(test):
            return _rating(test, scores.indicated, self._confirming(confirmed), None)
        if shown := self._shows_indication(test):
            return _rating(test, scores.shows_indication, self._showing(shown), None)
        return None

    def _shows_indication(self, test: str) -> tuple[str, ...]:
        """The diagnoses or indications on record that ``test`` shows (not confirms)."""
        shows = self.kb.test_by_code[test].shows
        return tuple(code for code in shows if code in self.situation.context.diagnosed)

    def _showing(self, conditions: tuple[str, ...]) -> str:
        names = " or ".join(self.kb.condition_by_code[code].name.lower() for code in conditions)
        return (
            f"It shows the indication, {names}, which the bedside examination diagnoses first: "
            "may be appropriate, most of all once radiographs and a course of care have not "
            "settled it (ACR Chronic Hip Pain)."
        )

    def _confirming(self, conditions: tuple[str, ...]) -> str:
        names = [self.kb.condition_by_code[code].name.lower() for code in conditions]
        return f"It confirms or stages the indication: {' or '.join(names)}."

    def _stand_in(self, stand_in: StandIn) -> OrderRating:
        test, scores = stand_in.test, self.kb.appropriateness
        wanted = self.rate(stand_in.stands_for)
        if wanted.score >= 7:
            reason = stand_in.reason_when_needed
            return _rating(test, stand_in.score_when_needed, reason, stand_in.stands_for)
        # Where the MRI is not clearly indicated, the CT (more radiation, less information)
        # is not either: rated no higher than the MRI, and as a test to avoid.
        score = min(wanted.score, scores.avoided)
        return _rating(test, score, stand_in.reason_otherwise, self._instead(test))

    def _by_information(self, test: str) -> OrderRating:
        scores, definition = self.kb.appropriateness, self.kb.test_by_code[test]
        gain = self.situation.gain(definition.reveals) if definition.reveals else 0.0
        first = self.situation.context.first
        named = self.kb.condition_by_code.get(first)
        leading = (named.name if named else self.kb.other_causes.name).lower()
        if gain >= scores.min_informative_gain:
            reason = f"Not in the plan for this picture ({leading} leads): other tests come first."
            # May be appropriate: no card, so no study is named instead.
            return _rating(test, scores.informative, reason, None)
        reason = (
            f"It could show {leading}, which already leads on the findings, but would not "
            "change the plan now nor separate the candidates still standing."
            if self._shows(test, first)
            else f"It neither confirms nor stages {leading}, the leading candidate, and would "
            "not separate the candidates still standing."
        )
        return _rating(test, scores.uninformative, reason, self._instead(test))

    def _shows(self, test: str, condition: str) -> bool:
        """Whether ``test`` reveals a finding present in most patients with ``condition``
        (a hip MRI and a trochanteric bursitis): then it is not "neither confirms nor
        stages", only not needed now."""
        table = self.situation.table
        column = table.columns.get(condition)
        return column is not None and any(
            table.present[finding][column] >= _SHOWN
            for finding in self.kb.test_by_code[test].reveals
            if finding in table.present
        )

    def _bedside(self) -> str | None:
        """The first examination the plan asks for, if any."""
        return next((a.code for a in self.alternatives if a.kind == "exam"), None)

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
        return options[0].code if options else self._examines_leading()

    def _examines_leading(self) -> str | None:
        """The examination that shows the leading candidate, for a card whose plan asks for
        no test (a diagnosis on record, everything done): every order card names what to do
        instead of the study (contract 5). Never one already done nor one to avoid. When
        every examination that shows it is done, the one not done that would most change
        the differential; None when none would (the card then only cancels the study)."""
        done, first = self.situation.context.done, self.situation.context.first
        exams = [t for t in self.kb.tests if t.kind == "exam" and t.code not in self.avoided]
        showing = [t.code for t in exams if self._shows(t.code, first)]
        if not showing:
            return None
        if open_showing := [code for code in showing if code not in done]:
            return open_showing[0]
        gains = {
            t.code: self.situation.gain(t.reveals)
            for t in exams
            if t.reveals and t.suggest and t.code not in done
        }
        best = max(gains, key=gains.__getitem__, default=None)
        floor = self.kb.appropriateness.min_informative_gain
        return best if best is not None and gains[best] >= floor else None


def _rating(test: str, score: int, reason: str, alternative: str | None) -> OrderRating:
    category: RatingCategory = (
        "usually-appropriate"
        if score >= 7
        else "may-be-appropriate"
        if score >= 4
        else "usually-not-appropriate"
    )
    return OrderRating(test, score, category, " ".join(reason.split()), alternative)
