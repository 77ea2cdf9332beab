"""Feedback writes: a few at a time, none right after the database failed (issue 24)."""

from __future__ import annotations

import pytest

from cds_service.store import StoreBusyError
from cds_service.store._gate import WriteGate


def test_no_free_slot_is_refused_at_once() -> None:
    gate = WriteGate(2)
    with gate.slot(), gate.slot(), pytest.raises(StoreBusyError), gate.slot():
        pass
    with gate.slot():  # freed again
        pass


def test_after_a_failure_writes_wait_for_the_back_off_or_a_good_probe() -> None:
    now = [100.0]
    gate = WriteGate(1, backoff_s=2.0, monotonic=lambda: now[0])
    gate.failed()
    with pytest.raises(StoreBusyError), gate.slot():
        pass
    now[0] += 2.5
    with gate.slot():
        pass
    gate.failed()
    gate.recovered()  # /readyz wrote to the database
    with gate.slot():
        pass
