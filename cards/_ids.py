"""Random (version 4) UUIDs for cards and suggestions, cheaply.

``uuid.uuid4`` reads the OS random source once per id; in sandboxed containers each such
system call is costly, and a patient-view answer needs several ids. Here one read serves
256 ids. The buffer is refilled after a fork, so worker processes never share ids.
"""

from __future__ import annotations

import os
import threading
import uuid

__all__ = ["new_uuid"]

_IDS_PER_READ = 256


class _UuidSource:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer = b""
        self._position = 0
        self._pid = 0

    def next(self) -> str:
        with self._lock:
            if self._pid != os.getpid() or self._position >= len(self._buffer):
                self._buffer = os.urandom(16 * _IDS_PER_READ)
                self._position = 0
                self._pid = os.getpid()
            chunk = self._buffer[self._position : self._position + 16]
            self._position += 16
        return str(uuid.UUID(bytes=chunk, version=4))


_SOURCE = _UuidSource()  # holds no randomness until the first id is asked for


def new_uuid() -> str:
    """A random version 4 UUID as a string."""
    return _SOURCE.next()
