"""Errors on the pages for clinicians answer as an HTML page; the API keeps its JSON.

Registered on each page blueprint, so only requests those blueprints route are affected:
``/cds-services`` and the health endpoints still answer errors as ``{"error": "..."}``.
"""

from __future__ import annotations

import logging

from flask import Blueprint, render_template
from werkzeug.exceptions import HTTPException

from cds_service.api.errors import note_error
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


def error_page(status: int, message: str) -> PageAnswer:
    """The HTML error page with its status code."""
    title = _TITLES.get(status, "Something went wrong")
    return render_template("error.html", title=title, message=message, status=status), status


def _on_service_error(error: ServiceError) -> PageAnswer:
    note_error(error.message)  # logged once, on the request's line
    return error_page(error.status, error.message)


def _on_http_error(error: HTTPException) -> PageAnswer:
    return error_page(error.code or 500, error.description or error.name)


def _on_unexpected(error: Exception) -> PageAnswer:
    _log.error("unhandled error on a page", exc_info=error)
    return error_page(500, "An internal error occurred; it has been logged.")


def register_page_errors(blueprint: Blueprint) -> None:
    """Answer every error raised while ``blueprint`` serves a page with an HTML page."""
    blueprint.register_error_handler(ServiceError, _on_service_error)
    blueprint.register_error_handler(HTTPException, _on_http_error)
    blueprint.register_error_handler(Exception, _on_unexpected)
