"""How many feedback writes may wait on the database at once, and when not to try at all.

Issue 24: during a 10 s PostgreSQL freeze, feedback calls held every request thread and hook
calls, which need no database, went from 10 ms to 1.4-2.8 s. Feedback now takes a slot; with
none free, or within a short while after the database failed, it is refused at once (503,
the EHR may resend) instead of queueing for threads the hook calls need.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cds_service.store._errors import StoreBusyError

__all__ = ["WriteGate"]

# After a failure, writes are not tried for this long: a frozen database answers nobody.
DEFAULT_BACKOFF_S = 2.0


class WriteGate:
    """At most ``slots`` writers at once; none for ``backoff_s`` after a failure."""

    def __init__(
        self,
        slots: int,
        *,
        backoff_s: float = DEFAULT_BACKOFF_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``slots`` concurrent writers (at least 1)."""
        self._slots = threading.BoundedSemaphore(max(1, slots))
        self._backoff_s = backoff_s
        self._monotonic = monotonic
        self._closed_until = 0.0

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for the block; :class:`StoreBusyError` at once when there is none."""
        if self._monotonic() < self._closed_until:
            raise StoreBusyError("the database failed a moment ago")
        if not self._slots.acquire(blocking=False):
            raise StoreBusyError("too many feedback writes at once")
        try:
            yield
        finally:
            self._slots.release()

    def recovered(self) -> None:
        """A probe wrote to the database: writes may be tried again at once."""
        self._closed_until = 0.0

    def failed(self) -> None:
        """The database failed: refuse writes for the back-off period."""
        self._closed_until = self._monotonic() + self._backoff_s
