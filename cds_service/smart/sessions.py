"""The app's sessions, kept on the server: the browser holds only a random id.

The access token never reaches the page or a cookie. Sessions live in this process's
memory and end after ``ttl_s`` of inactivity; with several worker processes, route a
browser to one worker (sticky sessions) or run the app with one worker.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["COOKIE", "SmartSession", "SmartSessions"]

COOKIE = "gluteal_smart"


@dataclass
class SmartSession:
    """One launch: the pending authorisation, then the token and the launch context."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    iss: str = ""
    state: str = ""
    code_verifier: str = field(default="", repr=False)
    token_endpoint: str = ""
    hint: dict[str, Any] = field(default_factory=dict)  # appContext: an untrusted hint
    token: dict[str, Any] = field(default_factory=dict, repr=False)
    patient: str | None = None
    author: str | None = None  # fhirUser: Practitioner/<id> and the like
    encounter: str | None = None

    @property
    def authorised(self) -> bool:
        """The launch is complete: a token and a patient."""
        return bool(self.token.get("access_token")) and self.patient is not None


@dataclass
class SmartSessions:
    """Sessions by id, each forgotten ``ttl_s`` after its last use."""

    ttl_s: float = 3600.0
    clock: Callable[[], float] = time.monotonic
    _items: dict[str, tuple[float, SmartSession]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> tuple[str, SmartSession]:
        """A new session and its id."""
        session_id, session = secrets.token_urlsafe(32), SmartSession()
        with self._lock:
            self._expire()
            self._items[session_id] = (self.clock(), session)
        return session_id, session

    def get(self, session_id: str | None) -> SmartSession | None:
        """The live session of ``session_id``, or None."""
        if not session_id:
            return None
        with self._lock:
            self._expire()
            found = self._items.get(session_id)
            if found is None:
                return None
            self._items[session_id] = (self.clock(), found[1])
            return found[1]

    def _expire(self) -> None:
        oldest = self.clock() - self.ttl_s
        for key in [k for k, (used, _) in self._items.items() if used < oldest]:
            del self._items[key]
