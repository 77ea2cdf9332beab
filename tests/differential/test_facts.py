"""Which tests count as done: a result is, unless a complaint is new since it (done means dated)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from differential import KnowledgeBase, Presentation, facts

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)


def test_an_exam_is_done_again_only_for_a_complaint_new_since_it(kb: KnowledgeBase) -> None:
    exam, later = NOW - timedelta(weeks=4), NOW - timedelta(days=2)
    day = timedelta(days=1)
    pain = "pain-radiates-below-knee"

    def done(first_present: datetime, absent: datetime | None, began: datetime | None) -> bool:
        presentation = Presentation(
            findings={pain: True, "straight-leg-raise-positive": False},
            recorded_at={pain: later, "straight-leg-raise-positive": exam},
            first_present_at={pain: first_present},
            first_absent_at={} if absent is None else {pain: absent},
            onset_at={} if began is None else {pain: began},
        )
        return "exam-straight-leg-raise" in facts.tests_done(
            kb, presentation.findings, presentation
        )

    assert not done(later, absent=exam - day, began=None)  # absent then, present since
    assert not done(later, absent=None, began=exam + day)  # began after the exam
    assert done(later, absent=None, began=None)  # never recorded absent: not new
    assert done(later, absent=exam - day, began=exam - day)  # began before the exam
    assert done(exam - day, absent=None, began=None)  # present then, recorded again
    assert done(exam - day, absent=exam - 2 * day, began=None)  # present before the exam


def test_with_every_record_known_the_complaint_state_at_the_exam_decides(
    kb: KnowledgeBase,
) -> None:
    # Every dated record given (recorded_states): present, gone at the exam, back since is
    # new; back before the exam and recorded again is not.
    exam = NOW - timedelta(weeks=4)
    day = timedelta(days=1)
    pain = "pain-radiates-below-knee"

    def done(*states: tuple[datetime, bool]) -> bool:
        presentation = Presentation(
            findings={pain: True, "straight-leg-raise-positive": False},
            recorded_at={pain: states[-1][0], "straight-leg-raise-positive": exam},
            first_present_at={pain: min(when for when, present in states if present)},
            recorded_states={pain: states},
        )
        return "exam-straight-leg-raise" in facts.tests_done(
            kb, presentation.findings, presentation
        )

    assert not done((exam - 9 * day, True), (exam - 3 * day, False), (NOW, True))
    assert done((exam - 9 * day, True), (exam - 5 * day, False), (exam - day, True), (NOW, True))
    assert done((exam - 9 * day, True), (NOW, True))  # there at the exam, recorded again
    assert not done((exam, False), (NOW, True))  # absent at the exam's own time
