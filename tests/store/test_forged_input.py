"""Issue 15, items 5 and 6: one caller cannot erase others' records nor forge the report.

Against SQLite and a real PostgreSQL (the ``database_url`` fixture runs both).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from cds_service.store import Feedback, FeedbackStore, store_of
from cds_service.store.models import FeedbackEntry, ShownCard
from cds_service.store.report import render_report
from tests.support.clock import FakeClock
from tests.support.shown import DIFFERENTIAL, ShownEvent, card

URL = "/cds-services/gluteal-pain-differential/feedback"


def _event(hook_instance: str, *cards: dict[str, object]) -> ShownEvent:
    return ShownEvent(
        service_id="gluteal-pain-differential",
        hook="patient-view",
        hook_instance=hook_instance,
        patient_id="p-1",
        cards=list(cards),
        differential=DIFFERENTIAL,
    )


def _shown(store: FeedbackStore) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(ShownCard)) or 0


def test_one_bad_hook_instance_does_not_lose_the_other_calls_cards(store: FeedbackStore) -> None:
    for call in range(60):
        instance = "x" * 101 if call == 30 else str(uuid.uuid4())
        store.queue_shown_cards(
            _event(instance, *(card(f"c-{call}-{n}", "differential") for n in range(3)))
        )
    store.queue_shown_cards(_event("nul\x00byte", card("c-nul", "differential")))

    assert _shown(store) == 181  # all of them: the bad values were dropped, not the rows


def test_a_card_id_the_column_cannot_hold_is_left_out_alone(store: FeedbackStore) -> None:
    store.queue_shown_cards(_event("h", card("u" * 65, "differential"), card("ok", "next-test")))

    assert _shown(store) == 1


def _override(clock: FakeClock, card_id: str, display: str = "", comment: str = "") -> Feedback:
    return Feedback(
        card_uuid=card_id,
        outcome="overridden",
        outcome_timestamp=clock(),
        override_reason_code="other",
        override_reason_display=display or None,
        user_comment=comment or None,
    )


def test_a_repeated_outcome_counts_once(store: FeedbackStore, clock: FakeClock) -> None:
    store.queue_shown_cards(_event("h", card("c-1", "differential")))
    store.save_feedback("gluteal-pain-differential", [_override(clock, "c-1")] * 50)
    store.save_feedback("gluteal-pain-differential", [_override(clock, "c-1")])

    assert store.report().by_topic["differential"].overridden == 1


def test_feedback_for_a_card_never_shown_is_not_counted(
    store: FeedbackStore, clock: FakeClock
) -> None:
    store.queue_shown_cards(_event("h", card("c-1", "differential")))
    store.save_feedback("gluteal-pain-differential", [_override(clock, "never-shown")])
    report = store.report()

    assert report.by_topic["differential"].overridden == 0
    assert report.unmatched_feedback == 1


def test_the_report_table_cannot_be_forged_by_override_text(
    store: FeedbackStore, clock: FakeClock
) -> None:
    store.queue_shown_cards(_event("h", card("c-1", "differential"), card("c-2", "next-test")))
    forged_row = "x\n  next-test        999       0         999"
    store.save_feedback(
        "gluteal-pain-differential",
        [
            _override(clock, "c-1", display=forged_row, comment="\x1b[2J\x1b[31mred\u202e"),
            _override(clock, "c-2", comment="two\r\nlines"),
        ],
    )
    text = render_report(store.report())

    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\r" not in text
    assert "999" not in text.split("override reason")[0]  # no forged table row
    assert all(not line.startswith("  next-test        999") for line in text.splitlines())
    assert "\\x1b[2J" in text  # shown, escaped, not executed


def test_more_than_100_entries_are_refused(make_app: Callable[[], Flask]) -> None:
    app = make_app()
    entry = {
        "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
        "outcome": "overridden",
        "outcomeTimestamp": "2025-11-25T08:00:00Z",
    }
    response = app.test_client().post(URL, json={"feedback": [entry] * 101})

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("feedback: ")
    with store_of(app).session() as session:
        assert not session.scalar(select(func.count()).select_from(FeedbackEntry))


def test_repeats_in_one_request_are_accepted_and_stored_once(make_app: Callable[[], Flask]) -> None:
    app = make_app()
    entry = {
        "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
        "outcome": "overridden",
        "outcomeTimestamp": "2025-11-25T08:00:00Z",
    }
    client = app.test_client()

    assert client.post(URL, json={"feedback": [entry] * 100}).status_code == 200
    assert client.post(URL, json={"feedback": [entry]}).status_code == 200
    with store_of(app).session() as session:
        assert session.scalar(select(func.count()).select_from(FeedbackEntry)) == 1
