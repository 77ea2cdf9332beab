"""HTTP sessions for the FHIR fallback that carry the request id and report every call.

:class:`ObservedSession` is a plain :class:`requests.Session` that adds ``X-Request-ID`` to
each call (so the EHR's logs can be joined to ours) and tells an observer how long the call
took and how it ended, for the metrics. It records no URL: URLs name the patient.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

__all__ = ["CallObserver", "ObservedSession", "observed_session_factory"]

# (seconds, outcome): outcome is "ok", "http-error", "timeout", "connection-error" or "error".
CallObserver = Callable[[float, str], None]
_FAILURES: tuple[tuple[type[requests.RequestException], str], ...] = (
    (requests.Timeout, "timeout"),
    (requests.ConnectionError, "connection-error"),
    (requests.RequestException, "error"),
)


class ObservedSession(requests.Session):
    """A session whose calls carry ``request_id`` and are reported to ``observer``."""

    def __init__(self, observer: CallObserver, request_id: str | None) -> None:
        """Report to ``observer``; send ``X-Request-ID: request_id`` when there is one."""
        super().__init__()
        self._observer = observer
        if request_id:
            self.headers["X-Request-ID"] = request_id

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send as usual, then report the call's latency and outcome."""
        started = time.perf_counter()
        try:
            response = super().send(request, **kwargs)
        except requests.RequestException as exc:
            outcome = next(name for kind, name in _FAILURES if isinstance(exc, kind))
            self._observer(time.perf_counter() - started, outcome)
            raise
        outcome = "ok" if response.status_code == 200 else "http-error"
        self._observer(time.perf_counter() - started, outcome)
        return response


def observed_session_factory(
    observer: CallObserver, request_id: Callable[[], str | None]
) -> Callable[[], requests.Session]:
    """A session factory for :func:`cds_service.hooks.prefetch.gather_patient_data`."""
    return lambda: ObservedSession(observer, request_id())
