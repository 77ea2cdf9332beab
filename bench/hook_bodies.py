"""Hook calls for the benchmarks: patient-view and order-select with an EHR-sized prefetch.

An EHR's Observation carries more than the elements the service reads: ``meta``,
``category``, ``encounter``, ``performer``, ``interpretation``, ``referenceRange``. With
``ehr_shaped=True`` each observation carries them (about 1.2 kB), so 200 of them weigh
about 245 kB, as a real patient's recent observations do; without, they are lean (61 kB).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "FINDINGS",
    "all_finding_codes",
    "observation",
    "order_select_request",
    "patient_view_request",
]

ROOT = Path(__file__).resolve().parents[1]
FINDING_SYSTEM = "https://gluteal-cds.org/fhir/CodeSystem/finding"
FINDINGS = [
    ("buttock-pain", True),
    ("pain-radiates-below-knee", False),
    ("sits-bone-pain", True),
    ("pain-worse-sitting", True),
    ("pain-worse-uphill-or-speed", True),
    ("ischial-tuberosity-tenderness", True),
    ("straight-leg-raise-positive", False),
    ("leg-numbness", False),
    ("lateral-hip-pain", False),
    ("fever", False),
]
# LOINC code, display, UCUM unit, normal low and high.
VITALS = [
    ("8867-4", "Heart rate", "/min", 50, 100),
    ("8480-6", "Systolic blood pressure", "mm[Hg]", 90, 140),
    ("8462-4", "Diastolic blood pressure", "mm[Hg]", 60, 90),
    ("29463-7", "Body weight", "kg", 45, 100),
    ("8310-5", "Body temperature", "Cel", 36, 38),
    ("9279-1", "Respiratory rate", "/min", 12, 20),
    ("2708-6", "Oxygen saturation in Arterial blood", "%", 94, 100),
]
_XRAY = {"system": "http://loinc.org", "code": "24762-7", "display": "XR Hip Views"}
_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def observation(index: int, code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """An Observation of patient bench-1, a few days old."""
    when = datetime.now(UTC) - timedelta(days=1 + index % 30)
    return {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": "final",
        "code": {"coding": [code]},
        "subject": {"reference": "Patient/bench-1"},
        "effectiveDateTime": when.isoformat(),
        **value,
    }


def _ehr_elements(index: int, category: str, when: str) -> dict[str, Any]:
    """What an EHR adds to an Observation that the service does not read."""
    return {
        "meta": {
            "versionId": str(1 + index % 3),
            "lastUpdated": when,
            "profile": [f"http://hl7.org/fhir/us/core/StructureDefinition/us-core-{category}"],
        },
        "category": [
            {"coding": [{"system": _CATEGORY, "code": category, "display": category.title()}]}
        ],
        "encounter": {"reference": f"Encounter/enc-{4_200_000 + index // 7}"},
        "performer": [
            {
                "reference": "Practitioner/pract-88123",
                "display": "Dr. Alexandra Whitfield-Moreno, MD (Sports Medicine)",
            }
        ],
    }


def _vital(index: int, ehr_shaped: bool) -> dict[str, Any]:
    code, display, unit, low, high = VITALS[index % len(VITALS)]
    coding = {"system": "http://loinc.org", "code": code}
    value = {"valueQuantity": {"value": low + index % (high - low + 1), "unit": "1"}}
    if not ehr_shaped:
        return observation(index, coding, value)
    ucum = {"unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
    value["valueQuantity"] = {"value": low + index % (high - low + 1), **ucum}
    resource = observation(index, coding | {"display": display}, value)
    resource["interpretation"] = [
        {"coding": [{"system": _INTERPRETATION, "code": "N", "display": "Normal"}]}
    ]
    resource["referenceRange"] = [{"low": {"value": low, **ucum}, "high": {"value": high, **ucum}}]
    return resource | _ehr_elements(index, "vital-signs", resource["effectiveDateTime"])


def _finding(index: int, code: str, present: bool, ehr_shaped: bool) -> dict[str, Any]:
    resource = observation(
        index, {"system": FINDING_SYSTEM, "code": code}, {"valueBoolean": present}
    )
    if not ehr_shaped:
        return resource
    resource["note"] = [{"text": "Recorded at the sports medicine visit from history and exam."}]
    return resource | _ehr_elements(index, "exam", resource["effectiveDateTime"])


def _bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    entries = [{"resource": resource} for resource in resources]
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def patient_view_request(
    total: int = 200,
    *,
    findings: list[tuple[str, bool]] | None = None,
    ehr_shaped: bool = False,
) -> dict[str, Any]:
    """A patient-view call whose prefetch holds ``total`` observations.

    ``findings`` (code, present) become the first observations, the 10 of ``FINDINGS`` by
    default; the rest are vital signs, which the service reads past.
    """
    chosen = FINDINGS if findings is None else findings
    found = [_finding(i, code, present, ehr_shaped) for i, (code, present) in enumerate(chosen)]
    vitals = [_vital(i, ehr_shaped) for i in range(len(found), total)]
    return {
        "hookInstance": str(uuid.uuid4()),
        "hook": "patient-view",
        "context": {"userId": "Practitioner/bench", "patientId": "bench-1"},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "bench-1", "gender": "female"},
            "observations": _bundle(found + vitals),
            "conditions": _bundle([]),
        },
    }


def order_select_request(total: int = 200, *, ehr_shaped: bool = False) -> dict[str, Any]:
    """An order-select call with a drafted hip X-ray selected, and the same prefetch."""
    body = patient_view_request(total, ehr_shaped=ehr_shaped)
    order = {
        "resourceType": "ServiceRequest",
        "id": "xr-1",
        "status": "draft",
        "intent": "order",
        "code": {"coding": [_XRAY], "text": "XR hip 2 views"},
        "subject": {"reference": "Patient/bench-1"},
    }
    body["hook"] = "order-select"
    body["context"] |= {
        "draftOrders": {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": order}],
        },
        "selections": ["ServiceRequest/xr-1"],
    }
    return body


@cache
def all_finding_codes() -> tuple[str, ...]:
    """Every finding code of ``terminology/codes.json``, in its order."""
    raw = json.loads((ROOT / "terminology" / "codes.json").read_text(encoding="utf-8"))
    return tuple(finding["code"] for finding in raw["findings"])
