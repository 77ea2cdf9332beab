"""Feedback stored once per card and outcome, whether repeated in a request or across requests."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select

from cds_service.store import FeedbackStore, store_of
from cds_service.store.models import FeedbackEntry
from tests.support.clock import FakeClock
from tests.support.shown import card, overridden_card, shown_in_call

URL = "/cds-services/gluteal-pain-differential/feedback"


def test_a_repeated_outcome_counts_once(store: FeedbackStore, clock: FakeClock) -> None:
    store.queue_shown_cards(shown_in_call("h", card("c-1", "differential")))
    store.save_feedback("gluteal-pain-differential", [overridden_card(clock, "c-1")] * 50)
    store.save_feedback("gluteal-pain-differential", [overridden_card(clock, "c-1")])

    assert store.report().by_topic["differential"].overridden == 1


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
