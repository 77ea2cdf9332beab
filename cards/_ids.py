"""Random (version 4) UUIDs for cards and suggestions, cheaply.

``uuid.uuid4`` reads the OS random source once per id and builds a ``UUID`` object only to
print it; a patient-view answer needs several ids. Here one read serves 256 ids, and each
is formatted straight from its bytes. The buffer is dropped in a forked child, so worker
processes never share ids.
"""

from __future__ import annotations

import os
import threading

__all__ = ["new_uuid"]

_IDS_PER_READ = 256


class _UuidSource:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._position = 0
        self._watching_forks = False

    def _forget(self) -> None:
        # In a forked child: the parent may hand out the same unread randomness.
        self._lock = threading.Lock()  # a lock held by another thread at fork stays held
        self._buffer = b""
        self._position = 0

    def next(self) -> str:
        with self._lock:
            if self._position >= len(self._buffer):
                if not self._watching_forks:
                    os.register_at_fork(after_in_child=self._forget)
                    self._watching_forks = True
                self._buffer = os.urandom(16 * _IDS_PER_READ)
                self._position = 0
            start = self._position
            self._position += 16
            chunk = bytearray(self._buffer[start : start + 16])
        chunk[6] = (chunk[6] & 0x0F) | 0x40  # version 4
        chunk[8] = (chunk[8] & 0x3F) | 0x80  # RFC 4122 variant
        digits = chunk.hex()
        return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


_SOURCE = _UuidSource()  # holds no randomness until the first id is asked for


def new_uuid() -> str:
    """A random version 4 UUID as a string."""
    return _SOURCE.next()
