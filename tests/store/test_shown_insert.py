"""The multi-row INSERT of shown cards: every row written, every value read back as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from cds_service.store import FeedbackStore
from cds_service.store.models import ShownCard
from tests.support.clock import FakeClock
from tests.support.shown import card, shown_event


def test_a_batch_larger_than_one_statement_is_written_whole(store: FeedbackStore) -> None:
    # 101 calls x 4 cards: several multi-row INSERTs, the last one partly filled.
    topics = ("differential", "next-test", "avoid-test", "treatment-caution")
    for call in range(101):
        store.queue_shown_cards(shown_event(*(card(f"{t}-{call}", t) for t in topics)))

    with store.session() as session:
        rows = {(r.card_uuid, r.topic) for r in session.scalars(select(ShownCard))}
    assert rows == {(f"{t}-{call}", t) for call in range(101) for t in topics}


def test_shown_cards_are_stored_with_what_they_were_about(
    store: FeedbackStore, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 1, 10, 30, 15, 250, tzinfo=timezone(timedelta(hours=-5)))
    store.queue_shown_cards(
        shown_event(
            card("c-1", "differential", conditions=("lumbar-disc-sciatica",)),
            card(
                "c-2",
                "next-test",
                conditions=("lumbar-disc-sciatica",),
                tests=("mri-lumbar-spine",),
            ),
            card("c-3", "avoid-test", tests=("xray-hip-pelvis",)),
            {"summary": "a card without uuid cannot receive feedback"},
        )
    )

    with store.session() as session:
        rows = {r.card_uuid: r for r in session.scalars(select(ShownCard))}
    assert set(rows) == {"c-1", "c-2", "c-3"}
    assert rows["c-1"].conditions == ["lumbar-disc-sciatica"]
    assert (rows["c-2"].topic, rows["c-2"].tests) == ("next-test", ["mri-lumbar-spine"])
    assert rows["c-2"].conditions == ["lumbar-disc-sciatica"]
    assert rows["c-3"].tests == ["xray-hip-pelvis"]
    assert {r.knowledge_version for r in rows.values()} == {"1.2.3"}
    assert {r.hook for r in rows.values()} == {"patient-view"}
    # Read back as the same instant, in UTC, to the microsecond, on either database.
    assert {r.shown_at for r in rows.values()} == {clock.now.astimezone(UTC)}
