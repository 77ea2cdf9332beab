"""The app's pages: security headers, the session cookie, CSRF on every form."""

from __future__ import annotations

import hmac

from werkzeug.wrappers import Response

from cds_service.errors import ServiceError
from cds_service.runtime import runtime
from cds_service.smart.sessions import COOKIE

__all__ = ["CsrfError", "check_csrf", "secure_headers", "set_session_cookie"]

# Scripts only from this origin (the one that keeps typed answers in the tab); forms only
# to this origin. Inline styles only for the chart's bar widths (a style attribute cannot
# run code). frame-ancestors: the EHR origins the operator lists.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
)
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the launch URL names the launch; never pass it on
    "Cache-Control": "no-store",  # pages show patient data
    "Strict-Transport-Security": "max-age=31536000",
}


class CsrfError(ServiceError):
    """A form was submitted without this session's CSRF token."""

    status = 403


def secure_headers(response: Response) -> Response:
    """Add the security headers to every response of the app."""
    ancestors = _frame_ancestors()
    response.headers.setdefault(
        "Content-Security-Policy", _CSP.format(ancestors=" ".join(ancestors))
    )
    if ancestors == ("'self'",):  # older browsers read only this; it cannot list origins
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _frame_ancestors() -> tuple[str, ...]:
    return runtime().settings.smart_frame_ancestors or ("'self'",)


def set_session_cookie(response: Response, session_id: str) -> None:
    """The session id cookie: Secure, HttpOnly, path /smart.

    SameSite=Lax when only this origin frames the app (the sign-in returns by a top-level
    redirect from the EHR, which Strict would leave bare). When EHR origins may frame it,
    the app runs in a third-party frame, where only SameSite=None cookies (partitioned per
    EHR, CHIPS) reach it; every form then still needs the session's CSRF token.
    """
    framed = _frame_ancestors() != ("'self'",)
    response.set_cookie(
        COOKIE,
        session_id,
        secure=True,
        httponly=True,
        samesite="None" if framed else "Lax",
        path="/smart",
        partitioned=framed,
    )


def check_csrf(expected: str, submitted: str | None) -> None:
    """Raise :class:`CsrfError` unless ``submitted`` is this session's token."""
    if not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfError("This form has expired or did not come from this app; reload it.")
