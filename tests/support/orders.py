"""Builders of draft orders, patient pictures and order-hook calls for the order tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.support.hook_requests import PATIENT_ID, bundle, finding, patient

LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
SNOMED = "http://snomed.info/sct"
APPROPRIATENESS = "https://gluteal-cds.org/cds-hooks/appropriateness"
PAMA_RATING = "http://fhir.org/argonaut/Extension/pama-rating"
PAMA_SYSTEM = "http://fhir.org/argonaut/CodeSystem/pama-rating"

# Recorded findings (all present) that make one picture of the differential.
PICTURES: dict[str, tuple[str, ...]] = {
    # buttock pain past the knee with numbness: sciatica leads, lumbar MRI is the study
    "sciatica": ("buttock-pain", "pain-radiates-below-knee", "leg-numbness"),
    # sits-bone pain into the hamstring, worse uphill: hamstring tendinopathy, MRI to grade it
    "hamstring": ("sits-bone-pain", "pain-into-upper-hamstring", "pain-worse-uphill-or-speed"),
    # pain below the sits bone, resisted hamstring test painful: examined, MRI to grade it
    "hamstring-examined": (
        "pain-below-sits-bone",
        "pain-into-upper-hamstring",
        "hamstring-resisted-test-painful",
        "pain-worse-uphill-or-speed",
    ),
    # pain on impact, limping after runs, groin pain: a likely stress fracture (red flag)
    "stress-fracture": (
        "buttock-pain",
        "pain-on-impact",
        "pain-after-running-with-limp",
        "groin-pain",
    ),
    # no presenting complaint at all
    "no-complaint": ("pain-worse-sitting",),
    # buttock pain with saddle numbness: possible cauda equina syndrome (red flag)
    "cauda-equina": ("buttock-pain", "saddle-numbness"),
    # diffuse buttock pain: manual tests separate what is left, the X-ray is one to avoid
    "diffuse": ("buttock-pain", "diffuse-gluteal-pain"),
    # pain on impact and a positive straight leg raise: the plan lists the lumbar MRI
    "impact-and-slr": ("pain-on-impact", "straight-leg-raise-positive"),
    # saddle numbness with no presenting complaint: a red flag alone starts nothing
    "red-flag-only": ("saddle-numbness", "bladder-or-bowel-dysfunction"),
}


def service_request(
    order_id: str,
    *,
    coding: Sequence[tuple[str, str]] = (),
    text: str | None = None,
    status: str = "draft",
    **extra: Any,
) -> dict[str, Any]:
    """An R4 ServiceRequest coded by ``(system, code)`` pairs and/or named by ``text``."""
    code: dict[str, Any] = {}
    if coding:
        code["coding"] = [{"system": system, "code": value} for system, value in coding]
    if text is not None:
        code["text"] = text
    return {
        "resourceType": "ServiceRequest",
        "id": order_id,
        "status": status,
        "intent": "order",
        "code": code,
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        **extra,
    }


def hip_xray(order_id: str = "xr-1", **extra: Any) -> dict[str, Any]:
    """A hip X-ray coded in LOINC (24762-7, XR Hip Views)."""
    return service_request(order_id, coding=[(LOINC, "24762-7")], **extra)


def lumbar_mri(order_id: str = "mri-1", **extra: Any) -> dict[str, Any]:
    """A lumbar spine MRI without contrast coded in CPT (72148)."""
    return service_request(order_id, coding=[(CPT, "72148")], **extra)


def draft_orders(*resources: dict[str, Any]) -> dict[str, Any]:
    """``context.draftOrders``: a Bundle without ``type``, as the public sandbox sends it."""
    return {"resourceType": "Bundle", "entry": [{"resource": r} for r in resources]}


def order_call(
    hook: str,
    *orders: dict[str, Any],
    picture: str = "sciatica",
    selections: Sequence[str] | None = None,
) -> dict[str, Any]:
    """An order-select (all orders selected unless told) or order-sign call with prefetch."""
    context: dict[str, Any] = {
        "userId": "Practitioner/1",
        "patientId": PATIENT_ID,
        "draftOrders": draft_orders(*orders),
    }
    if hook == "order-select":
        chosen = selections if selections is not None else [_reference(o) for o in orders]
        context["selections"] = list(chosen)
    observations = [
        finding(code, obs_id=f"obs-{index}") for index, code in enumerate(PICTURES[picture])
    ]
    return {
        "hookInstance": "5b0f4c43-7b59-4c1f-a0d1-2f0b2d2f6e11",
        "hook": hook,
        "context": context,
        "prefetch": {
            "patient": patient(),
            "observations": bundle(*observations),
            "conditions": bundle(),
        },
    }


def _reference(resource: dict[str, Any]) -> str:
    return f"{resource['resourceType']}/{resource['id']}"


# -- reading the response --------------------------------------------------------------------


def order_cards(response: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``order-appropriateness`` cards of a response."""
    return [c for c in response["cards"] if topic(c) == "order-appropriateness"]


def topic(card: dict[str, Any]) -> str:
    code: str = card["source"]["topic"]["code"]
    return code


def appropriateness(card: dict[str, Any]) -> dict[str, Any]:
    extension: dict[str, Any] = card["extension"][APPROPRIATENESS]
    return extension


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The actions of the card's single suggestion."""
    [suggestion] = card["suggestions"]
    found: list[dict[str, Any]] = suggestion["actions"]
    return found


def pama_ratings(response: dict[str, Any]) -> dict[str, str]:
    """Order reference -> PAMA rating code, read from the systemActions as the sandbox does."""
    ratings = {}
    for action in response.get("systemActions", []):
        assert action["type"] == "update"
        resource = action["resource"]
        [extension] = [e for e in resource.get("extension", []) if e["url"] == PAMA_RATING]
        [coding] = extension["valueCodeableConcept"]["coding"]
        assert coding["system"] == PAMA_SYSTEM
        ratings[_reference(resource)] = coding["code"]
    return ratings
