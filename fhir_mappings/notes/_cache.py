"""Findings of notes already read, kept in memory, bounded (contract section 3a).

Keyed by the phrases' fingerprint and the hash of the note's bytes: a note that has not
changed is not read again, and a reading is never handed to another note that merely shares
its id and version (another EHR's) nor reused under other phrases. Only finding codes, states
and the short quotes are kept, never the note's text, and only in this process (never logged,
never stored).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from fhir_mappings.notes._reading import Read

__all__ = ["ReadCache"]


class ReadCache:
    """A thread-safe least-recently-used map from a note's key to what it said."""

    def __init__(self, capacity: int = 2048) -> None:
        self._capacity = capacity
        self._items: OrderedDict[tuple[str, ...], Read] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_read(self, key: tuple[str, ...], read: Callable[[], Read]) -> Read:
        """The cached reading of ``key``, else ``read()`` (outside the lock), then cached."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        result = read()
        with self._lock:
            self._items[key] = result
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return result

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget every note (tests; a new knowledge base)."""
        with self._lock:
            self._items.clear()
