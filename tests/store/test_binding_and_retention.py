"""Issue 24: feedback bound to the caller shown the card; a committed readiness write;
shown-card drops counted and retried; shown cards kept for the retention period only."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, select
from sqlalchemy.exc import OperationalError

from cds_service.store import Feedback, FeedbackStore, ForeignCardError
from cds_service.store._batch import BatchWriter
from cds_service.store._engine import normalise_url
from cds_service.store.models import FeedbackEntry, ShownCard
from tests.support.clock import FakeClock
from tests.support.shown import SALT, ShownEvent, card, shown_event

A, B = "https://ehr-a.example.org", "https://ehr-b.example.org"


def _shown_to(issuer: str | None, *cards: dict[str, object]) -> ShownEvent:
    return dataclasses.replace(shown_event(*cards), issuer=issuer)


def _accepted(clock: FakeClock, uuid: str) -> Feedback:
    return Feedback(uuid, "accepted", clock(), accepted_suggestions=("s-1",))


def _entries(store: FeedbackStore) -> list[tuple[str, str | None]]:
    with store.session() as session:
        rows = session.execute(select(FeedbackEntry.card_uuid, FeedbackEntry.issuer))
        return [(uuid, issuer) for uuid, issuer in rows]


def test_another_issuers_feedback_is_refused_and_never_takes_the_place(
    store: FeedbackStore, clock: FakeClock
) -> None:
    store.queue_shown_cards(_shown_to(A, card("card-a", "differential")))

    with pytest.raises(ForeignCardError) as refused:
        store.save_feedback("svc", [_accepted(clock, "card-x"), _accepted(clock, "card-a")], B)
    assert refused.value.positions == [1]
    assert _entries(store) == []  # the request's other entry is not stored either

    store.save_feedback("svc", [_accepted(clock, "card-a")], A)  # the genuine one counts
    assert _entries(store) == [("card-a", A)]


def test_cards_shown_without_authentication_bind_no_one(
    store: FeedbackStore, clock: FakeClock
) -> None:
    store.queue_shown_cards(_shown_to(None, card("card-open", "differential")))
    store.save_feedback("svc", [_accepted(clock, "card-open")], None)
    assert _entries(store) == [("card-open", None)]


def test_readiness_commits_a_write(tmp_path: Path, clock: FakeClock) -> None:
    """A full disk fails at the commit: a probe that rolls back says "ready" regardless."""
    store = FeedbackStore.open(
        f"sqlite:///{tmp_path / 'db.sqlite3'}", patient_hash_salt=SALT, clock=clock
    )
    full = {"on": False}

    @event.listens_for(store.engine, "commit")
    def _commit(*_: object) -> None:
        if full["on"]:
            raise OperationalError("COMMIT", {}, sqlite3.OperationalError("disk is full"))

    try:
        assert store.ping()
        full["on"] = True
        assert not store.ping()
        full["on"] = False
        assert store.ping()
    finally:
        store.close()


def test_shown_cards_a_database_cannot_take_are_retried_then_counted(tmp_path: Path) -> None:
    engine = create_engine(normalise_url(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}"))
    broken = FeedbackStore(engine, patient_hash_salt=SALT)
    dropped: list[tuple[str, int]] = []
    broken.drop_listeners.append(lambda reason, rows: dropped.append((reason, rows)))

    broken.queue_shown_cards(shown_event(card("c-1", "differential"), card("c-2", "next-test")))
    broken.flush()

    assert dropped == [("unavailable", 2)]
    broken.close()


def test_rows_past_the_queue_bound_are_counted() -> None:
    dropped: list[tuple[str, int]] = []
    release = threading.Event()

    def write(_batch: object) -> None:
        release.wait(5)

    writer: BatchWriter[int] = BatchWriter(
        write,
        max_pending=1,
        linger_s=0,
        on_dropped=lambda reason, n: dropped.append((reason, n)),
    )
    writer.put(0)
    while not writer._thread or writer._pending:  # the first batch is being written
        pass
    for item in range(1, 5):
        writer.put(item)  # 1 waits, 2-4 overflow
    release.set()
    assert writer.flush(5)
    assert dropped == [("queue-full", 3)]


def test_shown_cards_past_the_retention_are_deleted(database_url: str, clock: FakeClock) -> None:
    retention = timedelta(days=90)
    store = FeedbackStore.open(
        database_url, patient_hash_salt=SALT, clock=clock, shown_retention=retention
    )
    try:
        store.queue_shown_cards(shown_event(card("old", "differential")))
        clock.advance((retention + timedelta(days=1)).total_seconds())
        store.queue_shown_cards(shown_event(card("new", "differential")))
        store.flush()
        with store.session() as session:
            assert session.scalars(select(ShownCard.card_uuid)).all() == ["new"]
    finally:
        store.close()
