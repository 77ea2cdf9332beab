"""The app's pages: security headers, the session cookie, CSRF on every form."""

from __future__ import annotations

import hmac

from werkzeug.wrappers import Response

from cds_service.errors import ServiceError
from cds_service.smart.sessions import COOKIE

__all__ = ["CsrfError", "check_csrf", "secure_headers", "set_session_cookie"]

# No script at all; forms only to this origin. Inline styles only for the chart's bar
# widths (a style attribute cannot run code).
_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'self'"
)
_HEADERS = {
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the launch URL names the launch; never pass it on
    "Cache-Control": "no-store",  # pages show patient data
    "X-Frame-Options": "SAMEORIGIN",
    "Strict-Transport-Security": "max-age=31536000",
}


class CsrfError(ServiceError):
    """A form was submitted without this session's CSRF token."""

    status = 403


def secure_headers(response: Response) -> Response:
    """Add the security headers to every response of the app."""
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def set_session_cookie(response: Response, session_id: str) -> None:
    """The session id cookie: Secure, HttpOnly, SameSite=Lax (the sign-in returns to the
    app by a top-level redirect from the EHR's server, which Strict would leave bare)."""
    response.set_cookie(
        COOKIE, session_id, secure=True, httponly=True, samesite="Lax", path="/smart"
    )


def check_csrf(expected: str, submitted: str | None) -> None:
    """Raise :class:`CsrfError` unless ``submitted`` is this session's token."""
    if not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfError("This form has expired or did not come from this app; reload it.")
