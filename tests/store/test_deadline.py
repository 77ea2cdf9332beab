"""Database work bounded by wall-clock time: a frozen database never holds the caller."""

from __future__ import annotations

import threading
import time

import pytest

from cds_service.store._deadline import DeadlineError, within


def test_work_past_the_deadline_is_abandoned_at_the_deadline() -> None:
    frozen = threading.Event()  # a database that never answers, until the test ends
    started = time.monotonic()

    with pytest.raises(DeadlineError, match=r"within 0\.1 s"):
        within(0.1, frozen.wait)

    assert time.monotonic() - started < 1.0
    frozen.set()


def test_work_in_time_gives_its_result_or_its_own_error() -> None:
    def refused() -> int:
        raise ConnectionRefusedError("connection refused")

    assert within(5.0, lambda: 42) == 42
    with pytest.raises(ConnectionRefusedError, match="connection refused"):
        within(5.0, refused)
