"""The service's domain errors: what went wrong, with the status an HTTP answer would carry.

They carry no Flask: :mod:`cds_service.api.errors` is the only place they become HTTP answers.
Every error body is JSON ``{"error": "..."}`` (contract section 6). Messages name the
offending field but never echo request values: those may hold tokens or patient data.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = [
    "ErrorBody",
    "FhirDataUnavailableError",
    "InvalidRequestError",
    "KnowledgeBaseUnavailableError",
    "ServiceError",
    "UnknownServiceError",
]


class ErrorBody(BaseModel):
    """The body of every error answer; the OpenAPI description is generated from it."""

    model_config = ConfigDict(extra="forbid")

    error: str


class ServiceError(Exception):
    """Base of every error the service answers with a 4xx."""

    status = 400
    retry_after_s: int | None = None  # sent as Retry-After: when the caller may try again

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
