"""Issue 15, items 5 and 6: one caller cannot erase others' records nor forge the report.

Against SQLite and a real PostgreSQL (the ``database_url`` fixture runs both).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from cds_service.store import FeedbackStore, store_of
from cds_service.store.models import FeedbackEntry
from tests.support.clock import FakeClock
from tests.support.shown import card, overridden_card, shown_in_call

URL = "/cds-services/gluteal-pain-differential/feedback"


def test_feedback_for_a_card_never_shown_is_not_counted(
    store: FeedbackStore, clock: FakeClock
) -> None:
    store.queue_shown_cards(shown_in_call("h", card("c-1", "differential")))
    store.save_feedback("gluteal-pain-differential", [overridden_card(clock, "never-shown")])
    report = store.report()

    assert report.by_topic["differential"].overridden == 0
    assert report.unmatched_feedback == 1


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
