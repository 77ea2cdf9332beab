"""The answers of the service, recorded, so that work on its speed cannot change them (issue 18).

A case is a hook call the service answers: every shared vignette (its FHIR server mocked
when it has one), and a grid of presentations sent the way an EHR sends them: every
presenting complaint with pictures a clinic sees, each finding in one of the contract's
encodings (our code, SNOMED CT, the HL7 Symptoms IG, a coded value, an interpretation),
wrapped in what an EHR adds (meta, category, performer, notes) among vital signs the
service reads past, with a Patient, Conditions and drafted orders for the order hooks.

An answer is recorded normalised: each random id (a card's or a suggestion's UUID) becomes
``<id-N>`` in order of appearance, so a changed link between two ids still shows. What is
stored per case is a digest of the input, a digest of the whole answer, and each card's
topic, indicator and summary (so a failing comparison says what changed).

Re-record only for a deliberate change of the answers (say so in the commit)::

    python -m tests.support.answers
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import responses

from cds_service.app import create_app
from cds_service.hooks.services import SERVICES
from cds_service.settings import Settings
from differential import load_knowledge_base
from tests.support.clock import FIXED_NOW, FakeClock
from tests.support.hook_requests import FINDING_SYSTEM, serve_fhir_data
from tests.support.paths import ROOT, VIGNETTES

__all__ = ["RECORD", "AnswerCase", "Answering", "cases", "digest", "recorded", "summary"]

RECORD = ROOT / "tests" / "api" / "recorded_answers.json"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_SNOMED = "http://snomed.info/sct"
_LOINC = "http://loinc.org"
_SYMPTOM = "75325-1"  # HL7 Symptoms IG: the symptom is the value
_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
_PATIENT = "grid-1"

# What else is on record besides the complaint: nothing, and pictures a clinic sees.
_PICTURES: Mapping[str, Mapping[str, bool]] = {
    "complaint only": {},
    "radicular exam": {"straight-leg-raise-positive": True, "leg-numbness": True},
    "radicular exam negative": {
        "straight-leg-raise-positive": False,
        "pain-radiates-below-knee": False,
    },
    "buttock exams negative": {
        "gluteus-medius-trigger-points": False,
        "ischial-tuberosity-tenderness": False,
        "hamstring-resisted-test-painful": False,
    },
    "sitting and sits bone": {"pain-worse-sitting": True, "sits-bone-pain": True},
    "bone stress signs": {"single-leg-hop-painful": True, "pain-on-impact": True},
    "painless tuning fork": {"tuning-fork-or-ultrasound-painful": False},
    "lateral hip signs": {"greater-trochanter-tenderness": True, "night-pain-lying-on-side": True},
    "saddle numbness": {"saddle-numbness": True},
    "fever": {"fever": True},
    "negative hip MRI": {"mri-bone-stress-injury": False, "pain-on-impact": True},
    "RED-S risk": {"amenorrhoea": True, "low-energy-availability": True},
}


@dataclass(frozen=True)
class AnswerCase:
    """One hook call: the service called, when, the request, the FHIR server's data if any."""

    name: str
    service: str
    evaluated_at: datetime
    request: dict[str, Any]
    fhir_server_data: dict[str, Any] | None = None

    def input_digest(self) -> str:
        """A digest of everything the answer depends on."""
        return digest(
            [self.service, self.evaluated_at.isoformat(), self.request, self.fhir_server_data]
        )


def digest(value: object) -> str:
    """SHA-256 of ``value`` as canonical JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def cases() -> Iterator[AnswerCase]:
    """Every shared vignette, then the grid."""
    for path in sorted(VIGNETTES.glob("*.json")):
        vignette = json.loads(path.read_text(encoding="utf-8"))
        yield AnswerCase(
            f"vignette {path.stem}",
            vignette["service"],
            datetime.fromisoformat(vignette["evaluatedAt"]),
            vignette["request"],
            vignette.get("fhirServerData"),
        )
    yield from _grid()


def _grid() -> Iterator[AnswerCase]:
    codes = json.loads((ROOT / "terminology" / "codes.json").read_text(encoding="utf-8"))
    snomed = {f["code"]: f["snomed"][0] for f in codes["findings"] if f.get("snomed")}
    complaints = [f.code for f in load_knowledge_base().findings if f.presenting]
    services = itertools.cycle(["patient-view", "patient-view", "order-select", "order-sign"])
    for number, (complaint, (picture, extra)) in enumerate(
        itertools.product(complaints, _PICTURES.items())
    ):
        findings = {complaint: True, **extra}
        observations = [
            _observation(index, number, code, present, snomed.get(code))
            for index, (code, present) in enumerate(findings.items())
        ]
        observations += [_vital(index) for index in range(len(observations), 24)]
        service = next(services)
        yield AnswerCase(
            f"grid {complaint} + {picture} ({service})",
            _service_id(service),
            FIXED_NOW,
            _hook_call(service, number, observations),
        )


def _service_id(hook: str) -> str:
    return next(service.id for service in SERVICES.values() if service.hook == hook)


def _hook_call(hook: str, number: int, observations: list[dict[str, Any]]) -> dict[str, Any]:
    patient = {
        "resourceType": "Patient",
        "id": _PATIENT,
        "gender": ("female", "male", "other")[number % 3],
        "birthDate": f"{1950 + (number * 7) % 60}-03-14",
        "meta": {"versionId": "3", "lastUpdated": "2026-10-01T08:00:00Z"},
        "name": [{"family": "Runner", "given": ["Alex"]}],
    }
    conditions = [_condition("M54.41")] if number % 5 == 0 else []
    context: dict[str, Any] = {"userId": "Practitioner/grid", "patientId": _PATIENT}
    if hook != "patient-view":
        orders = _draft_orders(number)
        context["draftOrders"] = {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": order} for order in orders],
        }
        if hook == "order-select":
            context["selections"] = [f"ServiceRequest/{orders[0]['id']}"]
    return {
        "hookInstance": f"00000000-0000-4000-8000-{number:012d}",
        "hook": hook,
        "context": context,
        "prefetch": {
            "patient": patient,
            "observations": _bundle(observations),
            "conditions": _bundle(conditions),
        },
    }


def _bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {"fullUrl": f"urn:grid:{i}", "resource": r, "search": {"mode": "match"}}
            for i, r in enumerate(resources)
        ],
    }


def _draft_orders(number: int) -> list[dict[str, Any]]:
    studies = [
        ({"system": _LOINC, "code": "24762-7", "display": "XR Hip Views"}, "XR hip 2 views"),
        ({"system": _LOINC, "code": "36330-9", "display": "MR Lumbar spine"}, "MRI L-spine"),
        ({"system": "http://www.ama-assn.org/go/cpt", "code": "73721"}, "MRI hip without"),
    ]
    first = number % len(studies)
    ordered = studies[first:] + studies[:first]
    return [
        {
            "resourceType": "ServiceRequest",
            "id": f"order-{index}",
            "status": "draft",
            "intent": "order",
            "code": {"coding": [coding], "text": text},
            "subject": {"reference": f"Patient/{_PATIENT}"},
        }
        for index, (coding, text) in enumerate(ordered[:2])
    ]


def _condition(icd10: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": "cond-1",
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
                }
            ]
        },
        "code": {"coding": [{"system": _ICD10, "code": icd10}]},
        "subject": {"reference": f"Patient/{_PATIENT}"},
    }


def _ehr_elements(index: int, category: str) -> dict[str, Any]:
    return {
        "meta": {
            "versionId": "1",
            "lastUpdated": "2026-11-18T15:00:00Z",
            "profile": [f"http://hl7.org/fhir/us/core/StructureDefinition/us-core-{category}"],
        },
        "category": [{"coding": [{"system": _CATEGORY, "code": category}]}],
        "subject": {"reference": f"Patient/{_PATIENT}"},
        "encounter": {"reference": f"Encounter/enc-{index // 5}"},
        "performer": [{"reference": "Practitioner/p-1", "display": "Dr. Whitfield-Moreno"}],
        "note": [{"text": "Recorded at the sports medicine visit."}],
    }


def _observation(
    index: int, number: int, code: str, present: bool, snomed: str | None
) -> dict[str, Any]:
    """A finding in one of the contract's encodings, chosen by case and position."""
    when = (FIXED_NOW - timedelta(days=2 + index)).isoformat()
    ours = {"system": FINDING_SYSTEM, "code": code}
    style = (number + index) % 4
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": ("final", "amended")[index % 2],
    }
    if style == 1 and snomed:
        resource["code"] = {"coding": [{"system": _SNOMED, "code": snomed}]}
        resource["valueBoolean"] = present
    elif style == 2:
        resource["code"] = {"coding": [{"system": _LOINC, "code": _SYMPTOM}]}
        resource["valueCodeableConcept"] = {"coding": [ours]}
        if not present:
            resource["interpretation"] = [{"coding": [{"system": _INTERPRETATION, "code": "NEG"}]}]
    elif style == 3:
        resource["code"] = {"coding": [ours], "text": code}
        value = "52101004" if present else "2667000"
        resource["valueCodeableConcept"] = {"coding": [{"system": _SNOMED, "code": value}]}
    else:
        resource["code"] = {"coding": [ours]}
        resource["valueBoolean"] = present
    resource["effectiveDateTime"] = when
    return resource | _ehr_elements(index, "exam")


def _vital(index: int) -> dict[str, Any]:
    when = (FIXED_NOW - timedelta(days=1 + index % 20)).isoformat()
    unit = {"unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"}
    return {
        "resourceType": "Observation",
        "id": f"vital-{index}",
        "status": "final",
        "code": {"coding": [{"system": _LOINC, "code": "8867-4", "display": "Heart rate"}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": 50 + index, **unit},
        "interpretation": [{"coding": [{"system": _INTERPRETATION, "code": "N"}]}],
        "referenceRange": [{"low": {"value": 50, **unit}, "high": {"value": 100, **unit}}],
    } | _ehr_elements(index, "vital-signs")


class Answering:
    """One service (as production builds it) answering cases, each at its own instant."""

    def __init__(self, settings: Settings) -> None:
        self._clock = FakeClock(FIXED_NOW)
        self._client = create_app(settings, clock=self._clock).test_client()

    def answer(self, case: AnswerCase) -> dict[str, Any]:
        """The service's answer to ``case``, its random ids normalised."""
        self._clock.now = case.evaluated_at
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            if case.fhir_server_data is not None:
                serve_fhir_data(rsps, case.request["fhirServer"], case.fhir_server_data)
            response = self._client.post(f"/cds-services/{case.service}", json=case.request)
        return {"status": response.status_code, "body": _normalised(response.get_json())}


def _normalised(body: object) -> object:
    names: dict[str, str] = {}

    def name(match: re.Match[str]) -> str:
        return names.setdefault(match.group(0), f"<id-{len(names) + 1}>")

    return json.loads(_UUID.sub(name, json.dumps(body)))


def summary(answer: Mapping[str, Any]) -> list[list[str]]:
    """Each card's topic, indicator and summary: what a clinician sees first."""
    body = answer["body"]
    cards = body.get("cards", []) if isinstance(body, dict) else []
    return [[c["source"]["topic"]["code"], c["indicator"], c["summary"]] for c in cards]


def recorded() -> dict[str, dict[str, Any]]:
    """The record: per case, the input's digest, the answer's digest and its cards' summary."""
    loaded: dict[str, dict[str, Any]] = json.loads(RECORD.read_text(encoding="utf-8"))
    return loaded


def _record() -> None:
    record = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{Path(tmp) / 'answers.sqlite3'}", allow_http_fhir=False
        )
        answering = Answering(settings)
        for case in cases():
            answer = answering.answer(case)
            record[case.name] = {
                "input": case.input_digest(),
                "answer": digest(answer),
                "cards": summary(answer),
            }
    RECORD.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {len(record)} answers in {RECORD.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    _record()
