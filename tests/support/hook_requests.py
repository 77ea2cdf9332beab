"""Builders of CDS Hooks requests and FHIR resources for the service tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import responses

FINDING_SYSTEM = "https://gluteal-cds.org/fhir/CodeSystem/finding"
FHIR_BASE = "https://ehr.example.org/fhir/r4"
TOKEN = "secret-token-7f3a"
PATIENT_ID = "pat-1"


def patient(patient_id: str = PATIENT_ID) -> dict[str, Any]:
    """A Patient resource."""
    return {"resourceType": "Patient", "id": patient_id, "gender": "female"}


def finding(code: str, *, present: bool = True, obs_id: str = "obs-1") -> dict[str, Any]:
    """An Observation recording a finding of the contract, two days before the test clock."""
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "code": {"coding": [{"system": FINDING_SYSTEM, "code": code}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "effectiveDateTime": "2026-11-18T15:00:00Z",
        "valueBoolean": present,
    }


def bundle(*resources: dict[str, Any], next_url: str | None = None) -> dict[str, Any]:
    """A searchset Bundle of ``resources``, with a next link when given."""
    page: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": resource} for resource in resources],
    }
    if next_url:
        page["link"] = [{"relation": "next", "url": next_url}]
    return page


def hook_request(hook: str = "patient-view", **overrides: Any) -> dict[str, Any]:
    """A valid hook call with a complete prefetch of a patient with buttock pain."""
    context: dict[str, Any] = {"userId": "Practitioner/1", "patientId": PATIENT_ID}
    if hook in {"order-select", "order-sign"}:
        context["draftOrders"] = bundle()
    if hook == "order-select":
        context["selections"] = []
    request: dict[str, Any] = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": hook,
        "context": context,
        "prefetch": {
            "patient": patient(),
            "observations": bundle(finding("buttock-pain")),
            "conditions": bundle(),
        },
    }
    return request | overrides


def hook_request_without(key: str) -> dict[str, Any]:
    """A valid patient-view call lacking its ``key`` field."""
    request = hook_request()
    request.pop(key)
    return request


def without_prefetch(**overrides: Any) -> dict[str, Any]:
    """A patient-view call that must read everything from the FHIR server."""
    request = hook_request(
        fhirServer=FHIR_BASE,
        fhirAuthorization={
            "access_token": TOKEN,
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/*.read",
            "subject": "gluteal-cds",
        },
    )
    request.pop("prefetch")
    return request | overrides


def serve_fhir_data(rsps: responses.RequestsMock, base: str, data: Mapping[str, Any]) -> None:
    """Mock the EHR's FHIR server at ``base`` serving a vignette's ``fhirServerData``."""
    base = base.rstrip("/")
    patient = data["Patient"]
    rsps.get(f"{base}/Patient/{patient['id']}", json=patient)
    for resource_type in ("Observation", "Condition", "QuestionnaireResponse"):
        if resource_type in data:
            rsps.get(f"{base}/{resource_type}", json=data[resource_type])
