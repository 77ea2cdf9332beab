"""Draft R4 ServiceRequests for the studies we suggest, built and validated with fhir.resources."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError

from cards.catalogue import CPT, LOINC, TEST_SYSTEM, CatalogueEntry, catalogue_entry
from cards.errors import InvalidOrderError, UnknownTestError
from terminology import system_url

__all__ = ["draft_service_request", "is_fhir_id", "validate_service_request"]

SNOMED = system_url("snomed")
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_IMAGING_CATEGORY = {"system": SNOMED, "code": "363679005", "display": "Imaging"}
_TEMPLATE_SUBJECT = "Patient/template"


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
    _check_template(entry, reason)
    return _draft(entry, f"Patient/{patient_id}", reason)


@lru_cache(maxsize=256)
def _check_template(entry: CatalogueEntry, reason: str) -> None:
    """Validate the draft of ``entry`` for ``reason`` once, with a stand-in patient.

    Validation costs a tenth of a millisecond on every call otherwise. Only the subject
    differs between patients, and any FHIR id makes "Patient/<id>" a valid reference,
    so one valid draft per test and reason vouches for all of them.
    """
    validate_service_request(_draft(entry, _TEMPLATE_SUBJECT, reason))


def _draft(entry: CatalogueEntry, subject: str, reason: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "order",
        "category": [{"coding": [dict(_IMAGING_CATEGORY)]}],
        "code": {
            "coding": [
                {"system": LOINC, "code": entry.loinc},
                {"system": CPT, "code": entry.cpt},
                {"system": TEST_SYSTEM, "code": entry.code, "display": entry.name},
            ],
            "text": entry.name,
        },
        "subject": {"reference": subject},
        "reasonCode": [{"text": reason}],
    }


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
