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
from werkzeug.exceptions import BadRequest

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
        for name, value in PAGE_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


class MalformedBodyError(BadRequest):
    """The request body's framing could not be read."""

    description = "the request body could not be read (malformed chunked transfer encoding)"


class _GuardedInput:
    """``wsgi.input`` whose framing errors (gunicorn's) become :class:`MalformedBodyError`."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, *args: Any) -> bytes:
        try:
            return bytes(self._stream.read(*args))
        except (ParseException, NoMoreData):
            raise MalformedBodyError from None

    def readline(self, *args: Any) -> bytes:
        try:
            return bytes(self._stream.readline(*args))
        except (ParseException, NoMoreData):
            raise MalformedBodyError from None

    def __iter__(self) -> Iterable[bytes]:
        return iter(self.readline, b"")


def _guard_input(wsgi_app: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _GuardedInput(environ["wsgi.input"])
        return wsgi_app(environ, start_response)

    return guarded


def init_http_guards(app: Flask) -> None:
    """Check every request's Host header and body framing; add the security headers."""
    app.before_request(_check_host)
    app.after_request(_secure)
    app.wsgi_app = _guard_input(app.wsgi_app)  # type: ignore[method-assign]
