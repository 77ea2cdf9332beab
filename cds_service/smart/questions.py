"""Which questions the app asks first: the unknowns that would change the differential most.

The order comes from the reasoner itself (``Differential.most_informative_unknowns``,
ranked by expected information gain), never from a second model here. Red-flag questions
are always among the first shown; every other finding follows under "more questions",
each pre-filled with what the record already says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from differential.model import Differential
from differential.schema import KnowledgeBase

__all__ = ["ANSWER_STATES", "Question", "QuestionSheet", "order_questions"]

ANSWER_STATES = ("present", "absent", "unknown")


@dataclass(frozen=True)
class Question:
    """One finding to ask about, and what is shown for it."""

    code: str
    label: str
    group: str
    red_flag: bool
    recorded: bool | None  # what the EHR's record says (None: unknown)
    answer: str  # one of ANSWER_STATES: the recorded state, or the clinician's answer

    @property
    def from_record(self) -> bool:
        """The answer shown is what the record already says."""
        return self.recorded is not None and self.answer == _state(self.recorded)


@dataclass(frozen=True)
class QuestionSheet:
    """The questions that matter first, then all the others."""

    first: tuple[Question, ...]
    more: tuple[Question, ...]

    @property
    def all(self) -> tuple[Question, ...]:
        """Every question, in the order shown."""
        return (*self.first, *self.more)


def _state(recorded: bool | None) -> str:
    return {True: "present", False: "absent", None: "unknown"}[recorded]


def _askable(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    # Sex and age come from the Patient resource, not from a question.
    return {f.code: (f.label, f.group) for f in kb.findings if not f.derived_from_patient}


def order_questions(
    kb: KnowledgeBase,
    differential: Differential,
    recorded: Mapping[str, bool],
    answers: Mapping[str, bool | None] | None = None,
    hint: Iterable[object] = (),
    *,
    fixed: Sequence[str] = (),
) -> QuestionSheet:
    """The questions for this patient, in order.

    First: every red-flag question (an emergency is never below the fold), then the
    unrecorded findings the reasoner ranks most informative (when no complaint is recorded
    yet, the presenting complaints), then any finding the card's ``appContext`` named
    (``hint``: an untrusted list, kept only where it names an unrecorded finding of ours).
    Then the rest in the knowledge base's order. ``fixed``, the first questions of an
    earlier page of this session, keeps that order: an answer never moves a question.
    ``answers`` are what the clinician has entered (they win over the record's values).
    """
    askable = _askable(kb)
    leading = list(differential.most_informative_unknowns)
    if not differential.active:
        leading = [c for c in askable if c in kb.presenting_findings and c not in recorded]
    hinted = [c for c in hint if isinstance(c, str) and c in askable and c not in recorded]
    red_flags = [c for c in askable if c in kb.red_flag_findings]
    given = answers or {}
    chosen = fixed or [*red_flags, *leading, *hinted]
    first = [c for c in dict.fromkeys(chosen) if c in askable]
    more = [c for c in askable if c not in first]

    def question(code: str) -> Question:
        label, group = askable[code]
        answer = given[code] if code in given else recorded.get(code)
        return Question(
            code, label, group, code in kb.red_flag_findings, recorded.get(code), _state(answer)
        )

    return QuestionSheet(tuple(map(question, first)), tuple(map(question, more)))
