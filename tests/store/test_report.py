"""gluteal-cds feedback-report: shown / accepted / overridden per topic and per test."""

from __future__ import annotations

from cds_service.settings import Settings
from cds_service.store import Feedback, FeedbackStore, feedback_report
from tests.store.conftest import FakeClock, ShownEvent
from tests.store.test_store import DIFFERENTIAL, card


def show(store: FeedbackStore, *cards: tuple[str, str, str]) -> None:
    """Record cards given as (uuid, topic, test code or "")."""
    store.record_shown_cards(
        ShownEvent(
            service_id="gluteal-pain-differential",
            hook="patient-view",
            hook_instance="h-1",
            patient_id="p-1",
            cards=[card(uuid, topic, tests=(test,) if test else ()) for uuid, topic, test in cards],
            differential=DIFFERENTIAL,
        )
    )


def overridden(
    clock: FakeClock, uuid: str, code: str | None, comment: str | None = None
) -> Feedback:
    return Feedback(
        card_uuid=uuid,
        outcome="overridden",
        outcome_timestamp=clock(),
        override_reason_code=code,
        override_reason_system="https://example.org/reasons" if code else None,
        user_comment=comment,
    )


def accepted(clock: FakeClock, uuid: str) -> Feedback:
    return Feedback(uuid, "accepted", clock(), accepted_suggestions=("s-1",))


def populate(store: FeedbackStore, clock: FakeClock) -> None:
    show(store, ("d-1", "differential", ""), ("n-1", "next-test", "mri-lumbar-spine"))
    show(store, ("d-2", "differential", ""), ("n-2", "next-test", "mri-lumbar-spine"))
    show(store, ("d-3", "differential", ""), ("n-3", "next-test", "exam-piriformis"))
    store.save_feedback(
        "gluteal-pain-differential",
        [
            accepted(clock, "n-1"),
            overridden(clock, "n-2", "already-done", "MRI was done last week elsewhere"),
            overridden(clock, "n-3", "already-done"),
            overridden(clock, "d-1", None),
            overridden(clock, "unknown-card", "x"),
        ],
    )


def test_report_counts_per_topic_and_per_test(store: FeedbackStore, clock: FakeClock) -> None:
    populate(store, clock)

    report = store.report()

    topic = report.by_topic
    assert (topic["differential"].shown, topic["differential"].overridden) == (3, 1)
    assert (topic["next-test"].shown, topic["next-test"].accepted) == (3, 1)
    assert topic["next-test"].overridden == 2
    mri = report.by_test[("mri-lumbar-spine", "next-test")]
    assert (mri.shown, mri.accepted, mri.overridden) == (2, 1, 1)
    piriformis = report.by_test[("exam-piriformis", "next-test")]
    assert (piriformis.shown, piriformis.accepted, piriformis.overridden) == (1, 0, 1)
    assert topic["next-test"].reasons == {"already-done [https://example.org/reasons]": 2}
    assert report.unmatched_feedback == 1


def test_report_text_names_topics_tests_and_reasons(
    store: FeedbackStore, clock: FakeClock, settings: Settings
) -> None:
    populate(store, clock)

    text = feedback_report(settings)

    assert "knowledge versions: 1.2.3" in text
    lines = text.splitlines()
    row = next(line for line in lines if line.strip().startswith("mri-lumbar-spine / next-test"))
    assert row.split()[-3:] == ["2", "1", "1"]
    assert "override reason: already-done [https://example.org/reasons]: 2" in text
    assert "comment: MRI was done last week elsewhere" in text
    assert "(no reason given): 1" in text


def test_empty_report_says_nothing_was_recorded(settings: Settings) -> None:
    assert "(nothing recorded)" in feedback_report(settings)
