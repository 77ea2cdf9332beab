"""Write items in the background, many per transaction, off the request path.

Recording the cards of every hook call in its own transaction cost a worker about half a
millisecond of CPU per call (a commit, and the WAL pages of every index touched). A
:class:`BatchWriter` takes items from the request thread at the cost of a list append and
a thread writes whatever has gathered in one go. Readers call :meth:`BatchWriter.flush`
first, so what a hook call returned is in the database before anyone looks; at exit (and
before a gunicorn worker ends) pending items are flushed too. Only a process killed
outright can lose what it queued in its last moments (``linger_s``), and a database slower
than the calls for long enough loses what overflows a bounded queue (``max_pending``), with
a warning: a worker's memory must not grow without end.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, TypeVar

__all__ = ["BatchWriter"]

log = logging.getLogger(__name__)

Item = TypeVar("Item")

_writers: weakref.WeakSet[BatchWriter[Any]] = weakref.WeakSet()
_FLUSH_AT_EXIT_S = 10.0
# A hook call's shown-card rows take a few kB: this bounds a worker's backlog to a few MB
# while the database is slower than the calls (seconds of them).
DEFAULT_MAX_PENDING = 2000


class BatchWriter(Generic[Item]):
    """Hands queued items to ``write`` in batches, from a thread started on first use."""

    def __init__(
        self,
        write: Callable[[Sequence[Item]], None],
        *,
        linger_s: float = 0.05,
        idle_s: float = 5.0,
        max_pending: int = DEFAULT_MAX_PENDING,
        on_dropped: Callable[[str, int], None] | None = None,
    ) -> None:
        """``write`` stores one batch (and handles its own errors); the thread waits up to
        ``linger_s`` for a batch to grow, and ends after ``idle_s`` without work. Beyond
        ``max_pending`` items waiting, new items are dropped (and counted in the log): memory
        stays bounded when the database cannot keep up; ``on_dropped("queue-full", n)`` is
        told of them from the writer's thread."""
        self._write = write
        self._on_dropped = on_dropped
        self._linger_s = linger_s
        self._idle_s = idle_s
        self._max_pending = max_pending
        self._reset()
        _install_process_hooks()
        _writers.add(self)

    def _reset(self) -> None:
        self._condition = threading.Condition()
        self._pending: list[Item] = []
        self._queued = 0  # items ever put
        self._done = 0  # items written, or given up on after an error
        self._flushing = 0  # callers waiting in flush(): no lingering then
        self._dropped = 0  # items refused since the last warning
        self._thread: threading.Thread | None = None

    def put(self, item: Item) -> None:
        """Queue ``item`` for the next batch; drop it when ``max_pending`` items wait."""
        with self._condition:
            if len(self._pending) >= self._max_pending:
                self._dropped += 1  # reported by the thread, off the caller's path
                return
            self._pending.append(item)
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="gluteal-cds-batch-writer", daemon=True
                )
                self._thread.start()
            elif len(self._pending) == 1:
                # Wake the thread only when it waits for a first item: one hand-over of
                # the GIL per batch, not per hook call.
                self._condition.notify_all()

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Wait until every item queued so far is written; False if ``timeout_s`` ran out."""
        deadline = time.monotonic() + timeout_s
        with self._condition:
            target = self._queued
            self._flushing += 1
            self._condition.notify_all()
            try:
                while self._done < target:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._condition.wait(remaining)
            finally:
                self._flushing -= 1
        return True

    def _run(self) -> None:
        while batch := self._next_batch():
            try:
                self._write(batch)
            except Exception as exc:  # noqa: BLE001 - the thread must outlive a broken batch
                # The class only: a message or traceback could quote the items' data.
                log.error("a batch of %d items was lost (%s)", len(batch), type(exc).__name__)
            finally:
                with self._condition:
                    self._done += len(batch)
                    self._condition.notify_all()

    def _next_batch(self) -> list[Item]:
        """The items gathered so far; empty (and the thread ends) after ``idle_s`` idle."""
        with self._condition:
            if not self._condition.wait_for(lambda: self._pending, timeout=self._idle_s):
                self._thread = None
                return []
            if not self._flushing:  # let a batch grow a little under load
                self._condition.wait_for(lambda: self._flushing, timeout=self._linger_s)
            batch, self._pending = self._pending, []
            dropped, self._dropped = self._dropped, 0
        if dropped:
            log.warning("the writer fell behind: %d items were dropped, not written", dropped)
            if self._on_dropped is not None:
                self._on_dropped("queue-full", dropped)
        return batch

    def _after_fork(self) -> None:
        # The child inherits neither the thread nor a usable lock; the parent writes
        # what it had queued.
        self._reset()


@cache
def _install_process_hooks() -> None:
    """Once per process: flush every writer at exit, start afresh in forked children."""
    atexit.register(_flush_all)
    os.register_at_fork(after_in_child=_after_fork_all)


def _flush_all() -> None:
    for writer in list(_writers):
        if not writer.flush(_FLUSH_AT_EXIT_S):
            log.warning("exiting with shown cards not yet written")


def _after_fork_all() -> None:
    for writer in list(_writers):
        writer._after_fork()
