"""The published patients of the case-report set, sent as an EHR sends them.

`bench/case_report_accuracy.py` measures the reasoner on each patient's stated findings. A
clinician meets the service through the patient-view hook, with the findings coded as their
EHR codes them: our own code system, SNOMED CT with coded yes/no answers, answers to the
bedside Questionnaire, or back pain and risk factors on the problem list. Each encoding must
reach the same ranked differential, `another-cause` included, that the reasoner gives the
findings themselves: a finding lost or misread on the way would move a real patient's
diagnosis without any test of the reasoner noticing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import pytest
import responses

from cds_service.app import create_app
from cds_service.settings import Settings
from differential import load_knowledge_base
from tests.support.bench import bench_module
from tests.support.paths import ROOT

accuracy = bench_module("case_report_accuracy")

SERVICE = "/cds-services/gluteal-pain-differential"
DIFFERENTIAL = "https://gluteal-cds.org/cds-hooks/differential"
EVALUATED_AT = datetime.fromisoformat("2026-11-20T15:00:00+00:00")
WHEN = "2026-11-18T15:00:00Z"  # two days before: well inside the freshness window
PATIENT = "case-patient"
SUBJECT = {"reference": f"Patient/{PATIENT}"}
CODES = json.loads((ROOT / "terminology" / "codes.json").read_text(encoding="utf-8"))
SYSTEMS = CODES["systems"]
SNOMED_YES = {"system": SYSTEMS["snomed"], "code": "373066001", "display": "Yes"}
SNOMED_NO = {"system": SYSTEMS["snomed"], "code": "373067005", "display": "No"}
LOINC_YES = {"system": SYSTEMS["loinc"], "code": "LA33-6", "display": "Yes"}
LOINC_NO = {"system": SYSTEMS["loinc"], "code": "LA32-8", "display": "No"}
SNOMED_OF = {f["code"]: f["snomed"][0] for f in CODES["findings"] if f.get("snomed")}
QUESTIONNAIRE = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"

Findings = Mapping[str, bool]


def _observation(index: int, code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": "final",
        "code": {"coding": [code]},
        "subject": SUBJECT,
        "effectiveDateTime": WHEN,
        **value,
    }


def _our_codes(findings: Findings) -> dict[str, list[dict[str, Any]]]:
    """Our finding code system with a boolean value, as contract section 3 shows it."""
    return {
        "observations": [
            _observation(i, {"system": SYSTEMS["finding"], "code": code}, {"valueBoolean": state})
            for i, (code, state) in enumerate(sorted(findings.items()))
        ]
    }


def _snomed(findings: Findings) -> dict[str, list[dict[str, Any]]]:
    """SNOMED CT where the finding has a concept, answered with SNOMED Yes / No; otherwise
    our code with a LOINC answer list's Yes / No, as flowsheet rows often carry."""
    observations = []
    for i, (code, state) in enumerate(sorted(findings.items())):
        if code in SNOMED_OF:
            coding = {"system": SYSTEMS["snomed"], "code": SNOMED_OF[code]}
            answer = SNOMED_YES if state else SNOMED_NO
        else:
            coding = {"system": SYSTEMS["finding"], "code": code}
            answer = LOINC_YES if state else LOINC_NO
        observations.append(_observation(i, coding, {"valueCodeableConcept": {"coding": [answer]}}))
    return {"observations": observations}


def _questionnaire(findings: Findings) -> dict[str, list[dict[str, Any]]]:
    """Every finding answered on the bedside Questionnaire (contract section 3)."""
    items = [
        {"linkId": code, "answer": [{"valueCoding": SNOMED_YES if state else SNOMED_NO}]}
        for code, state in sorted(findings.items())
    ]
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "subject": SUBJECT,
        "authored": WHEN,
        "item": [{"linkId": "findings", "item": items}],
    }
    return {"questionnaireResponses": [response]}


# A concrete ICD-10-CM code for each finding the contract reads from a Condition (section 3).
ICD10_OF = {
    "low-back-pain": "M54.50",
    "unexplained-weight-loss": "R63.4",
    "low-bone-density": "M81.0",
    "cancer-history": "Z85.3",
    "prior-stress-fracture": "Z87.312",
}


def _condition(index: int, icd10: str) -> dict[str, Any]:
    clinical = "http://terminology.hl7.org/CodeSystem/condition-clinical"
    return {
        "resourceType": "Condition",
        "id": f"cond-{index}",
        "clinicalStatus": {"coding": [{"system": clinical, "code": "active"}]},
        "code": {"coding": [{"system": SYSTEMS["icd10cm"], "code": icd10}]},
        "subject": SUBJECT,
        "recordedDate": WHEN,
    }


def _problem_list(findings: Findings) -> dict[str, list[dict[str, Any]]]:
    """What the EHR holds as a diagnosis (back pain, osteoporosis, a cancer, an old stress
    fracture) as an ICD-10-CM Condition; the rest as SNOMED observations."""
    coded = {code for code, state in findings.items() if state and code in ICD10_OF}
    rest = {code: state for code, state in findings.items() if code not in coded}
    conditions = [_condition(i, ICD10_OF[code]) for i, code in enumerate(sorted(coded))]
    return _snomed(rest) | {"conditions": conditions}


ENCODINGS: dict[str, Callable[[Findings], dict[str, list[dict[str, Any]]]]] = {
    "our-codes": _our_codes,
    "snomed": _snomed,
    "questionnaire": _questionnaire,
    "problem-list": _problem_list,
}


def _patient(case: Mapping[str, Any]) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient", "id": PATIENT}
    if case.get("sex"):
        patient["gender"] = case["sex"]
    if case.get("age") is not None:
        # Born on 1 December: on the evaluation date (20 November) exactly ``age`` years old.
        patient["birthDate"] = f"{EVALUATED_AT.year - case['age'] - 1}-12-01"
    return patient


def _bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": resource} for resource in resources],
    }


def _request(case: Mapping[str, Any], encoding: str) -> dict[str, Any]:
    prefetch = {"patient": _patient(case), "observations": _bundle([]), "conditions": _bundle([])}
    for key, resources in ENCODINGS[encoding](case["findings"]).items():
        prefetch[key] = _bundle(resources)
    return {
        "hookInstance": "0b8cf0a4-6a4b-4f57-9d0a-6c3e2f1b7a11",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/1", "patientId": PATIENT},
        "prefetch": prefetch,
    }


def _ranked(body: Mapping[str, Any]) -> list[str]:
    cards = [c for c in body["cards"] if DIFFERENTIAL in c.get("extension", {})]
    assert cards, "no card carries the differential"
    return [c["code"] for c in cards[0]["extension"][DIFFERENTIAL]["conditions"]]


CASES = list(accuracy.cases())


def test_the_whole_set_is_sent() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_published_patient_ranks_as_its_stated_findings_do(
    case: Mapping[str, Any], encoding: str, settings: Settings
) -> None:
    _, expected = accuracy.rank_of(load_knowledge_base(), case)
    client = create_app(settings, clock=lambda: EVALUATED_AT).test_client()
    with responses.RequestsMock():  # everything is in the prefetch: no FHIR call may leave
        reply = client.post(
            "/cds-services/gluteal-pain-differential", json=_request(case, encoding)
        )
    assert reply.status_code == 200, reply.get_json()
    assert _ranked(reply.get_json()) == expected
