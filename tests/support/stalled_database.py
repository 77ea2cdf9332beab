"""A database that stops answering, as a frozen server or a stuck disk would leave it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

__all__ = ["stalled"]


@contextmanager
def stalled(engine: Engine, *, at_most_s: float = 10.0) -> Iterator[None]:
    """Every statement on ``engine`` waits until the block ends (``at_most_s`` at most)."""
    thawed = threading.Event()

    def wait(*_: Any) -> None:
        thawed.wait(at_most_s)

    # Left in place afterwards, doing nothing: removing a listener while a stalled thread
    # is still walking the listener list would break that thread.
    event.listen(engine, "before_cursor_execute", wait)
    try:
        yield
    finally:
        thawed.set()
