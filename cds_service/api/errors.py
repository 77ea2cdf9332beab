"""Where the service's errors become HTTP answers: a JSON body and a status code.

Every error body is JSON ``{"error": "..."}`` (contract section 6). Messages name the
offending field but never echo request values: those may hold tokens or patient data.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, has_request_context, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from cds_service.errors import ErrorBody, ServiceError
from cds_service.runtime import runtime

__all__ = [
    "error_response",
    "json_error_answer",
    "note_error",
    "register_error_handlers",
    "too_large_message",
]

_log = logging.getLogger(__name__)


def too_large_message() -> str:
    """What a 413 says, however the body was sent."""
    return f"the body is over the limit of {runtime().settings.max_body_bytes} bytes"


def note_error(message: str) -> None:
    """Keep ``message`` for the request's log line (the one line a refused call gets)."""
    if has_request_context():
        g.error_message = message


def error_response(status: int, message: str) -> tuple[Response, int]:
    """A JSON error body with its status code; the request's log line repeats the message.

    Safe to log: messages name fields and failures, never values sent. Not logged here:
    the request line (:mod:`cds_service.ops.request_log`) is the one line of a refused call.
    """
    note_error(message)
    return jsonify(ErrorBody(error=message).model_dump()), status


def _on_service_error(error: ServiceError) -> tuple[Response, int]:
    response, status = error_response(error.status, error.message)
    if error.retry_after_s is not None:
        response.headers["Retry-After"] = str(error.retry_after_s)
    return response, status


def _on_http_error(error: HTTPException) -> tuple[Response, int]:
    message = f"{error.name}: {error.description}" if error.description else error.name
    if isinstance(error, RequestEntityTooLarge):
        # One wording whether Flask refused a declared Content-Length or we counted a
        # chunked body (request_body.py).
        message = f"{error.name}: {too_large_message()}"
    response, status = error_response(error.code or 500, message)
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # keep e.g. the Allow header of a 405
            response.headers[name] = value
    return response, status


def _on_unexpected(error: Exception) -> tuple[Response, int]:
    # A genuine bug: log it for us, tell the caller nothing about the internals.
    _log.error("unhandled error", exc_info=error)
    return error_response(500, "internal error")


def json_error_answer(error: Exception) -> tuple[Response, int]:
    """The JSON answer of any error, as the app-wide handlers give it (for the pages, when
    the client did not ask for an HTML page)."""
    if isinstance(error, ServiceError):
        return _on_service_error(error)
    if isinstance(error, HTTPException):
        return _on_http_error(error)
    return _on_unexpected(error)


def register_error_handlers(app: Flask) -> None:
    """Answer every error, expected or not, with a JSON body."""
    app.register_error_handler(ServiceError, _on_service_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)
