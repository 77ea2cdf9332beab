"""Database work bounded by wall-clock time, whatever the database does (issue 15).

A frozen PostgreSQL cannot enforce its own ``statement_timeout``, and the driver has no
client-side limit: a call waiting on it would wait as long as the freeze. The work runs in
a daemon thread, and the caller stops waiting at the deadline with :class:`DeadlineError`;
the thread ends when the database answers (or its connection dies), never holding a
request or the process's exit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar, cast

__all__ = ["DeadlineError", "within"]

T = TypeVar("T")


class DeadlineError(TimeoutError):
    """The database did not answer within the time allowed."""


class _Outcome(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None


def within(timeout_s: float, work: Callable[[], T]) -> T:
    """``work()``'s result, or :class:`DeadlineError` when it takes over ``timeout_s``."""
    outcome: _Outcome[T] = _Outcome()

    def run() -> None:
        try:
            outcome.value = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
            outcome.error = exc
        finally:
            outcome.done.set()

    threading.Thread(target=run, name="gluteal-cds-db-call", daemon=True).start()
    if not outcome.done.wait(timeout_s):
        raise DeadlineError(f"no answer from the database within {timeout_s:.1f} s")
    if outcome.error is not None:
        raise outcome.error
    return cast(T, outcome.value)  # set when no error was raised
