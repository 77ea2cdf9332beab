"""The service's domain errors and the only place they become HTTP answers.

Every error body is JSON ``{"error": "..."}`` (contract section 6). Messages name the
offending field but never echo request values: those may hold tokens or patient data.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, has_request_context, jsonify
from pydantic import BaseModel, ConfigDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from cds_service.runtime import runtime

__all__ = [
    "ErrorBody",
    "FhirDataUnavailableError",
    "InvalidRequestError",
    "KnowledgeBaseUnavailableError",
    "ServiceError",
    "UnknownServiceError",
    "note_error",
    "register_error_handlers",
    "too_large_message",
]

_log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The body of every error answer; the OpenAPI description is generated from it."""

    model_config = ConfigDict(extra="forbid")

    error: str


class ServiceError(Exception):
    """Base of every error the service answers with a 4xx."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequestError(ServiceError):
    """The hook request is not a valid CDS Hooks request; ``field`` names what is wrong."""

    status = 400

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field


class UnknownServiceError(ServiceError):
    """No CDS service has this id."""

    status = 404

    def __init__(self, service_id: str) -> None:
        # The id is not repeated: error bodies and logs never echo caller text.
        super().__init__("no CDS service with this id (GET /cds-services lists them)")
        self.service_id = service_id


class KnowledgeBaseUnavailableError(ServiceError):
    """The knowledge base did not load, so no hook can be answered."""

    status = 503


class FhirDataUnavailableError(ServiceError):
    """Data the service needs came neither in prefetch nor from the FHIR server."""

    status = 412


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
    the request line (:mod:`cds_service.request_log`) is the one line of a refused call.
    """
    note_error(message)
    return jsonify(ErrorBody(error=message).model_dump()), status


def _on_service_error(error: ServiceError) -> tuple[Response, int]:
    return error_response(error.status, error.message)


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


def register_error_handlers(app: Flask) -> None:
    """Answer every error, expected or not, with a JSON body."""
    app.register_error_handler(ServiceError, _on_service_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)
