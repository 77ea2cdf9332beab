"""Request and response guards of every route: the Host header and the security headers.

- A Host header that is not a host name or address (a space, parentheses) is refused with
  400 before it can reach a URL the service builds (card links), which would fail as a 500.
- Every answer carries ``X-Content-Type-Options: nosniff``; HTML pages also a content
  security policy, no framing and no referrer (issue 15).
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

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


def init_http_guards(app: Flask) -> None:
    """Check every request's Host header; add the security headers to every answer."""
    app.before_request(_check_host)
    app.after_request(_secure)
