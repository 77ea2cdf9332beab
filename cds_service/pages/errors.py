"""Errors on the pages for clinicians answer as an HTML page to a browser; else JSON.

Contract section 6: every error body is JSON. A clinician's browser asks for HTML (its
``Accept`` prefers ``text/html``), and gets the page it can read; any other client (no
``Accept``, ``*/*``, ``application/json``: a script, an EHR, a monitor) gets
``{"error": "..."}``, as from every other route. Registered on each page blueprint, so only
requests those blueprints route are affected.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, render_template, request
from werkzeug.exceptions import HTTPException

from cds_service.api.errors import json_error_answer, note_error
from cds_service.errors import ServiceError

__all__ = ["register_page_errors"]

_log = logging.getLogger(__name__)

# Status -> the page's heading; anything else is "Something went wrong".
_TITLES = {
    400: "That request could not be read",
    404: "Page not found",
    413: "That request is too large",
    502: "The EHR's server did not answer as expected",
    503: "Not available right now",  # the message says what: the knowledge base, a busy EHR
}

PageAnswer = tuple[str, int]
Answer = PageAnswer | tuple[Response, int]


def error_page(status: int, message: str) -> PageAnswer:
    """The HTML error page with its status code."""
    title = _TITLES.get(status, "Something went wrong")
    return render_template("error.html", title=title, message=message, status=status), status


def wants_html() -> bool:
    """Whether the client prefers an HTML page to JSON (a browser does; no Accept does not)."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def _on_service_error(error: ServiceError) -> Answer:
    if not wants_html():
        return json_error_answer(error)
    note_error(error.message)  # logged once, on the request's line
    return error_page(error.status, error.message)


def _on_http_error(error: HTTPException) -> Answer:
    if not wants_html():
        return json_error_answer(error)
    return error_page(error.code or 500, error.description or error.name)


def _on_unexpected(error: Exception) -> Answer:
    if not wants_html():
        return json_error_answer(error)
    _log.error("unhandled error on a page", exc_info=error)
    return error_page(500, "An internal error occurred; it has been logged.")


def register_page_errors(blueprint: Blueprint) -> None:
    """Answer every error raised while ``blueprint`` serves a page with an HTML page."""
    blueprint.register_error_handler(ServiceError, _on_service_error)
    blueprint.register_error_handler(HTTPException, _on_http_error)
    blueprint.register_error_handler(Exception, _on_unexpected)
