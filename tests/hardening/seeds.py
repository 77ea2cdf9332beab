"""Valid requests to start fuzzing from: the shared vignettes and well-formed feedback."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

import responses

from tests.support.paths import VIGNETTES

SERVICES = ("gluteal-pain-differential", "gluteal-pain-order-select", "gluteal-pain-order-sign")
HOOKS = dict(zip(SERVICES, ("patient-view", "order-select", "order-sign"), strict=True))

Json = Any


@cache
def vignettes() -> tuple[dict[str, Any], ...]:
    """Every shared vignette, discovered by glob."""
    return tuple(
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(VIGNETTES.glob("*.json"))
    )


def hook_seeds(service: str) -> list[dict[str, Any]]:
    """The vignettes' requests, each turned into a call of ``service`` (hook renamed).

    A patient-view request sent to an order service gets an empty draft order Bundle, so
    every service starts from requests that are valid for it.
    """
    seeds = []
    for vignette in vignettes():
        request = json.loads(json.dumps(vignette["request"]))
        request["hook"] = HOOKS[service]
        context = request["context"]
        if service != SERVICES[0]:
            context.setdefault("draftOrders", {"resourceType": "Bundle", "entry": []})
        if service == SERVICES[1]:
            context.setdefault("selections", [])
        seeds.append(request)
    return seeds


def evaluated_at(request: dict[str, Any]) -> datetime:
    """The instant of the vignette whose request this is (any vignette's for a stranger)."""
    instance = request.get("hookInstance") if isinstance(request, dict) else None
    for vignette in vignettes():
        if vignette["request"]["hookInstance"] == instance:
            return datetime.fromisoformat(vignette["evaluatedAt"])
    return datetime.fromisoformat(vignettes()[0]["evaluatedAt"])


def serve_fhir_data(rsps: responses.RequestsMock) -> None:
    """The FHIR servers of the vignettes that have one; every other URL is refused."""
    for vignette in vignettes():
        data = vignette.get("fhirServerData")
        if data is None:
            continue
        base = vignette["request"]["fhirServer"].rstrip("/")
        rsps.get(f"{base}/Patient/{data['Patient']['id']}", json=data["Patient"])
        for resource_type in ("Observation", "Condition"):
            rsps.get(f"{base}/{resource_type}", json=data[resource_type])


CARD = "f6b95768-b1c8-40dc-8385-bf3504b82ffb"

FEEDBACK_SEEDS: list[dict[str, Any]] = [
    {
        "feedback": [
            {
                "card": CARD,
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
                "outcomeTimestamp": "2026-11-20T15:01:00Z",
            }
        ]
    },
    {
        "feedback": [
            {
                "card": CARD,
                "outcome": "overridden",
                "overrideReason": {
                    "reason": {
                        "code": "patient-preference",
                        "system": "https://gluteal-cds.org/fhir/CodeSystem/override-reason",
                        "display": "Patient preference",
                    },
                    "userComment": "Discussed with the patient",
                },
                "outcomeTimestamp": "2026-11-20T15:01:00+01:00",
            },
            {"card": CARD, "outcome": "overridden", "outcomeTimestamp": "2026-11-20T15:02:00"},
        ]
    },
]
