"""Request and response guards of every route: the Host header and the security headers.

- A Host header that is not a host name or address (a space, parentheses) is refused with
  400 before it can reach a URL the service builds (card links), which would fail as a 500.
- A body whose chunked framing gunicorn cannot read (a malformed chunk size, a missing
  terminator, an early end) is a 400 on every route, JSON or page, never a 500 (issue 24).
- Every answer carries ``X-Content-Type-Options: nosniff``; HTML pages also a content
  security policy, no framing and no referrer (issue 15).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request
from gunicorn.http.errors import NoMoreData, ParseException

from cds_service.api.errors import error_response

__all__ = ["PAGE_HEADERS", "init_http_guards"]

# host, IPv4 or [IPv6], with an optional port; what RFC 3986 allows a server to be named.
_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9.\-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?"
)
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _check_host() -> tuple[Response, int] | None:
    host = request.headers.get("Host", "")
    if host and not _HOST.fullmatch(host):
        return error_response(400, "Host: not a valid host name")
    return None


def _secure(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        # A page with its own policy (the bedside app, framed by the EHR) decides framing.
        own_policy = "Content-Security-Policy" in response.headers
        for name, value in PAGE_HEADERS.items():
            if not (own_policy and name == "X-Frame-Options"):
                response.headers.setdefault(name, value)
    return response


_MALFORMED_FLAG = "gluteal_cds.malformed_body"
MALFORMED_BODY = "the request body could not be read (malformed chunked transfer encoding)"


class _GuardedInput:
    """``wsgi.input`` that ends at a framing error (gunicorn's) and flags the request.

    Raising from the read would reach whatever reads the body, error handlers included (a
    page's handler reads the form to keep what was typed): the route sees an empty body
    instead, and :func:`_refuse_malformed` replaces its answer with a 400.
    """

    def __init__(self, stream: Any, environ: dict[str, Any]) -> None:
        self._stream = stream
        self._environ = environ

    def read(self, *args: Any) -> bytes:
        return self._guarded(self._stream.read, *args)

    def readline(self, *args: Any) -> bytes:
        return self._guarded(self._stream.readline, *args)

    def _guarded(self, read: Callable[..., Any], *args: Any) -> bytes:
        if self._environ.get(_MALFORMED_FLAG):
            return b""
        try:
            return bytes(read(*args))
        except (ParseException, NoMoreData):
            self._environ[_MALFORMED_FLAG] = True
            return b""

    def __iter__(self) -> Iterable[bytes]:
        return iter(self.readline, b"")


def _guard_input(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _GuardedInput(environ["wsgi.input"], environ)
        return wsgi_app(environ, start_response)

    return guarded


def _refuse_malformed(response: Response) -> Response:
    if not request.environ.get(_MALFORMED_FLAG):
        return response
    refusal, _status = error_response(400, MALFORMED_BODY)
    refusal.status_code = 400
    refusal.headers["Connection"] = "close"  # the framing is lost: no next request on it
    return refusal


def init_http_guards(app: Flask) -> None:
    """Check every request's Host header and body framing; add the security headers."""
    app.before_request(_check_host)
    app.after_request(_secure)
    app.after_request(_refuse_malformed)  # registered last: runs first, before _secure
    app.wsgi_app = _guard_input(app.wsgi_app)  # type: ignore[method-assign]
