"""The gunicorn worker of ``gluteal-cds serve``: threads, a read deadline, JSON errors.

Issue 15: two slow peers took the service down. With one thread per process, two hook calls
waiting on a trickling FHIR server, or two requests sent a byte at a time (slowloris), held
every worker, and ``/healthz`` timed out. This worker (gunicorn's ``gthread``) serves each
process with several threads, so a few stuck calls leave threads free, and it gives every
request a wall-clock deadline for arriving (headers and body, :data:`READ_DEADLINE_S`): a
request still arriving then gets 408 and its thread is free again. Errors gunicorn answers
itself (a header too large, a malformed request line) are JSON like every other error,
and never repeat what the caller sent.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

from gunicorn import util
from gunicorn.http import errors as http_errors
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.exceptions import RequestTimeout

__all__ = ["READ_DEADLINE_S", "RequestReadTimeout", "ServiceWorker"]

# A CDS Hooks request is at most a few MB from a data centre: 5 s is ample to send it.
READ_DEADLINE_S = 5.0

# gunicorn's request errors -> (status, reason); anything else it catches is a 500.
_STATUS: tuple[tuple[type[Exception] | tuple[type[Exception], ...], int, str], ...] = (
    (
        (http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName),
        500,
        "Internal Server Error",
    ),
    (RequestTimeout, 408, "Request Timeout"),
    (http_errors.LimitRequestHeaders, 431, "Request Header Fields Too Large"),
    (http_errors.LimitRequestLine, 414, "URI Too Long"),
    (http_errors.UnsupportedTransferCoding, 501, "Not Implemented"),
    (http_errors.ForbiddenProxyRequest, 403, "Forbidden"),
    (http_errors.ParseException, 400, "Bad Request"),
)


class RequestReadTimeout(RequestTimeout):
    """The request did not arrive within its deadline (408, JSON, from Flask or the worker)."""

    description = "the request did not arrive in time"


class _DeadlineSocket:
    """A client socket whose reads end at a deadline, however slowly bytes come."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.deadline = time.monotonic() + READ_DEADLINE_S
        self.expired = False  # once late, the request is over: later reads see its end

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def recv(self, size: int, *flags: int) -> bytes:
        """``recv`` that waits no longer than the deadline."""
        if self.expired:
            return b""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.expired = True
            raise RequestReadTimeout
        previous = self._sock.gettimeout()
        self._sock.settimeout(remaining)
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            self.expired = True
            raise RequestReadTimeout from None
        finally:
            self._sock.settimeout(previous)


# gunicorn ships no type information: its classes are Any to mypy.
class ServiceWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker with request read deadlines and JSON error answers.

    A worker whose threads are all busy stops accepting connections, so a new one goes to
    a worker that can answer it rather than waiting behind stuck calls.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As gunicorn builds its workers."""
        super().__init__(*args, **kwargs)
        self._in_flight = 0  # requests handed to threads; main thread only

    def enqueue_req(self, conn: Any) -> None:
        """Hand ``conn`` to a thread; stop accepting when none is left free."""
        self._in_flight += 1
        super().enqueue_req(conn)
        if self._in_flight >= self.cfg.threads:
            super().set_accept_enabled(False)

    def finish_request(self, conn: Any, fs: Any) -> None:
        """A thread is free again (gunicorn's loop then accepts again)."""
        self._in_flight -= 1
        super().finish_request(conn, fs)

    def set_accept_enabled(self, enabled: bool) -> None:
        """Accept only while a thread is free."""
        super().set_accept_enabled(enabled and self._in_flight < self.cfg.threads)

    def handle(self, conn: Any) -> Any:
        """Handle one request of ``conn``, its arrival bounded by the read deadline."""
        if isinstance(conn.sock, _DeadlineSocket):  # a kept-alive connection's next request
            conn.sock.deadline = time.monotonic() + READ_DEADLINE_S
        elif conn.parser is None and not self.cfg.is_ssl:  # TLS wraps the real socket
            conn.sock = _DeadlineSocket(conn.sock)
        return super().handle(conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Answer what gunicorn could not hand to the app with a JSON error body."""
        status, reason = next(
            ((code, text) for kind, code, text in _STATUS if isinstance(exc, kind)),
            (500, "Internal Server Error"),
        )
        if status == 500:
            self.log.error("error handling a request (%s)", type(exc).__name__)
        else:  # the class only: gunicorn's message quotes what the caller sent
            self.log.warning("refused a request: %s (%s)", status, type(exc).__name__)
        body = json.dumps({"error": reason}).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except Exception:  # noqa: BLE001 - the caller may be gone; nothing left to tell it
            self.log.debug("could not send the error answer")
