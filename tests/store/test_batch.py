"""Shown cards queued by hook calls are written in the background, in batches, all of them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from cds_service.store import FeedbackStore
from cds_service.store._batch import BatchWriter
from cds_service.store._engine import normalise_url
from cds_service.store.models import ShownCard
from tests.support.shown import SALT, card, shown_count, shown_event


def test_every_queued_card_is_written(store: FeedbackStore) -> None:
    for call in range(40):
        store.queue_shown_cards(
            shown_event(card(f"a-{call}", "differential"), card(f"b-{call}", "next-test"))
        )

    assert shown_count(store) == 80  # reading waits for the queue


def test_queued_cards_reach_the_database_without_anyone_asking(
    store: FeedbackStore, database_url: str
) -> None:
    store.queue_shown_cards(shown_event(card("c-1", "differential")))

    # Another connection, as another process would look: no flush on this path.
    engine = create_engine(normalise_url(database_url))
    deadline = time.monotonic() + 5
    with engine.connect() as connection:
        while not connection.scalar(select(func.count()).select_from(ShownCard)):
            assert time.monotonic() < deadline, "the queued card was never written"
            time.sleep(0.02)
    engine.dispose()


def test_feedback_waits_for_the_cards_it_is_about(store: FeedbackStore) -> None:
    store.queue_shown_cards(shown_event(card("c-1", "differential")))
    store.save_feedback("gluteal-pain-differential", [])

    with store.engine.connect() as connection:  # not store.session(): it would flush itself
        assert connection.scalar(select(func.count()).select_from(ShownCard)) == 1


def test_a_broken_database_loses_the_batch_with_a_warning_not_a_hang(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(normalise_url(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}"))
    broken = FeedbackStore(engine, patient_hash_salt=SALT)

    broken.queue_shown_cards(shown_event(card("c-1", "differential")))
    started = time.monotonic()
    broken.flush()

    assert time.monotonic() - started < 5
    assert "1 shown-card rows were not recorded (unavailable)" in caplog.text
    broken.close()


class _SlowDatabase:
    """A write function that keeps the first batch until released, recording every batch."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.busy = threading.Event()
        self.release = threading.Event()

    def write(self, batch: Sequence[int]) -> None:
        self.busy.set()
        self.release.wait(5)
        self.batches.append(list(batch))

    def fill_while_busy(self, writer: BatchWriter[int], items: range) -> None:
        """Put 0, and ``items`` while the batch of 0 is being written; then let it finish."""
        writer.put(0)
        assert self.busy.wait(5)
        for item in items:
            writer.put(item)
        self.release.set()


def test_items_put_while_a_batch_is_written_go_into_one_later_batch() -> None:
    database = _SlowDatabase()
    writer: BatchWriter[int] = BatchWriter(database.write, linger_s=0)
    database.fill_while_busy(writer, range(1, 51))

    assert writer.flush(5)
    assert database.batches == [[0], list(range(1, 51))]


def test_a_failing_batch_does_not_stop_the_writer(caplog: pytest.LogCaptureFixture) -> None:
    written: list[int] = []

    def write(batch: Sequence[int]) -> None:
        if 0 in batch:
            raise RuntimeError("boom")
        written.extend(batch)

    writer: BatchWriter[int] = BatchWriter(write, linger_s=0)
    writer.put(0)
    assert writer.flush(5)
    writer.put(1)

    assert writer.flush(5)
    assert written == [1]
    assert caplog.records[0].levelno == logging.ERROR


def test_a_writer_that_falls_behind_drops_items_with_a_warning_instead_of_growing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    database = _SlowDatabase()  # far slower than the calls
    writer: BatchWriter[int] = BatchWriter(database.write, linger_s=0, max_pending=10)
    database.fill_while_busy(writer, range(1, 16))

    assert writer.flush(5)
    assert database.batches == [[0], list(range(1, 11))]  # the 10 that could wait
    assert "5 items were dropped" in caplog.text
