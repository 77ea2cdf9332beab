"""Draft R4 ServiceRequests for the studies we suggest, built and validated with fhir.resources."""

from __future__ import annotations

import re
from typing import Any

from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError

from cards.catalogue import CPT, LOINC, TEST_SYSTEM, catalogue_entry
from cards.errors import InvalidOrderError, UnknownTestError

__all__ = ["draft_service_request", "is_fhir_id", "validate_service_request"]

SNOMED = "http://snomed.info/sct"
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_IMAGING_CATEGORY = {"system": SNOMED, "code": "363679005", "display": "Imaging"}


def draft_service_request(test: str, *, patient_id: str, reason: str) -> dict[str, Any]:
    """A draft R4 ServiceRequest (status draft, intent order) for an imaging test code.

    ``reason`` becomes ``reasonCode.text`` (it should name the condition in question).
    Raises :class:`UnknownTestError` for a test that is not orderable imaging and
    :class:`InvalidOrderError` for a patient id that is not a FHIR id.
    """
    entry = catalogue_entry(test)
    if entry is None or entry.loinc is None or entry.cpt is None:
        raise UnknownTestError(test)
    if not is_fhir_id(patient_id):
        raise InvalidOrderError("the patient id is not a FHIR id")
    resource = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "order",
        "category": [{"coding": [_IMAGING_CATEGORY]}],
        "code": {
            "coding": [
                {"system": LOINC, "code": entry.loinc},
                {"system": CPT, "code": entry.cpt},
                {"system": TEST_SYSTEM, "code": entry.code, "display": entry.name},
            ],
            "text": entry.name,
        },
        "subject": {"reference": f"Patient/{patient_id}"},
        "reasonCode": [{"text": reason}],
    }
    return validate_service_request(resource)


def is_fhir_id(value: str) -> bool:
    """Whether ``value`` is a FHIR id (1-64 letters, digits, ``-`` and ``.``)."""
    return _FHIR_ID.fullmatch(value) is not None


def validate_service_request(resource: dict[str, Any]) -> dict[str, Any]:
    """Return ``resource`` unchanged if it is a valid R4 ServiceRequest, else raise.

    Raises :class:`InvalidOrderError` naming what is wrong.
    """
    if resource.get("resourceType") != "ServiceRequest":
        raise InvalidOrderError("not a ServiceRequest")
    try:
        ServiceRequest.model_validate(resource)
    except ValidationError as error:
        raise InvalidOrderError(
            f"not a valid R4 ServiceRequest: {error.error_count()} errors"
        ) from error
    return resource
