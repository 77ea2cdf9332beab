"""Builders of the FHIR JSON an EHR sends, for the mapping tests."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
FINDING = "https://gluteal-cds.org/fhir/CodeSystem/finding"
CONDITION = "https://gluteal-cds.org/fhir/CodeSystem/condition"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

Json = dict[str, Any]


def concept(system: str, code: str, **extra: Any) -> Json:
    """A CodeableConcept with one coding."""
    return {"coding": [{"system": system, "code": code}], **extra}


def observation(
    finding: str = "buttock-pain",
    *,
    system: str = FINDING,
    ident: str = "obs-1",
    status: str = "final",
    days_ago: float = 2,
    **elements: Any,
) -> Json:
    """An Observation coded with one finding, dated ``days_ago`` before NOW."""
    resource: Json = {
        "resourceType": "Observation",
        "id": ident,
        "status": status,
        "code": concept(system, finding),
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": (NOW - timedelta(days=days_ago)).isoformat(),
    }
    resource.update(elements)
    return resource


def condition(code: str, system: str = CONDITION, **elements: Any) -> Json:
    """A Condition, active and confirmed unless ``elements`` say otherwise."""
    resource: Json = {
        "resourceType": "Condition",
        "id": "cond-1",
        "clinicalStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"
        ),
        "verificationStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"
        ),
        "code": concept(system, code),
        "subject": {"reference": "Patient/p1"},
    }
    resource.update(elements)
    return resource


def bundle(*resources: Any, kind: str | None = "searchset") -> Json:
    """A Bundle with one entry per resource (anything, to build malformed ones too)."""
    result: Json = {"resourceType": "Bundle", "entry": [{"resource": r} for r in resources]}
    if kind:
        result["type"] = kind
    return result


def patient(**elements: Any) -> Json:
    """A Patient with a name, so tests can check that names never leak."""
    resource: Json = {"resourceType": "Patient", "id": "p1", "name": [{"family": "Secretname"}]}
    resource.update(elements)
    return resource


def document_reference(text: str = "Buttock pain.", **extra: Any) -> Json:
    """A current DocumentReference about Patient/p1 holding ``text`` as inline plain text."""
    data = base64.b64encode(text.encode()).decode()
    return {
        "resourceType": "DocumentReference",
        "id": extra.pop("id", "d1"),
        "status": "current",
        "subject": {"reference": "Patient/p1"},
        "content": [{"attachment": {"contentType": "text/plain", "data": data}}],
    } | extra
