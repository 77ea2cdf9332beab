"""Only this patient's data (contract section 2) wherever it enters a hook call.

Issue 24: a FHIR server that ignored ``patient=`` on the answers search returned another
patient's answers, and the service read them as this patient's.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import responses
from flask import Flask

from cds_service.ops.metrics import metrics_of
from tests.ops.scrape import value
from tests.support.hook_requests import (
    FHIR_BASE,
    PATIENT_ID,
    bundle,
    finding,
    hook_request,
    patient,
    without_prefetch,
)

URL = "/cds-services/gluteal-pain-differential"
QUESTIONNAIRE = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"
YES = "373066001"
NOTE = "1 resource could not be read"


def answers(subject: str, *findings: str) -> dict[str, Any]:
    """A completed response to our Questionnaire, about ``subject``, answering Yes."""
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-other",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "subject": {"reference": subject},
        "authored": "2026-11-19T10:00:00Z",
        "item": [
            {
                "linkId": "findings",
                "item": [
                    {
                        "linkId": code,
                        "answer": [
                            {"valueCoding": {"system": "http://snomed.info/sct", "code": YES}}
                        ],
                    }
                    for code in findings
                ],
            }
        ],
    }


SCIATICA = ("pain-radiates-below-knee", "leg-numbness", "straight-leg-raise-positive")


def _call_with_server(app: Flask, answered: dict[str, Any]) -> tuple[dict[str, Any], list[Any]]:
    """A call that reads everything from a server ignoring ``patient=`` on the answers."""
    body = without_prefetch()
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle(finding("buttock-pain")))
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        rsps.get(f"{FHIR_BASE}/QuestionnaireResponse", json=bundle(answered))
        response = app.test_client().post(URL, json=body)
        calls = list(rsps.calls)
    assert response.status_code == 200
    answer: dict[str, Any] = response.get_json()
    return answer, calls


def _summaries(answer: dict[str, Any]) -> list[str]:
    return [card["summary"] for card in answer["cards"]]


def _text(answer: dict[str, Any]) -> str:
    return json.dumps(answer["cards"])


def test_another_patients_answers_from_the_server_are_not_read(app: Flask) -> None:
    theirs, _calls = _call_with_server(app, answers("Patient/someone-else", *SCIATICA))
    mine, _ = _call_with_server(app, answers(f"Patient/{PATIENT_ID}", *SCIATICA))
    nothing, _ = _call_with_server(app, bundle())  # a Bundle is no answer: nothing to read

    # Read as this patient's, the answers change the differential; another's never do.
    assert _summaries(mine) != _summaries(nothing)
    assert _summaries(theirs) == _summaries(nothing)
    assert NOTE in _text(theirs)
    assert NOTE not in _text(nothing)
    counted = value(
        metrics_of(app).exposition().decode(),
        "gluteal_cds_resources_other_patient_total",
        service="gluteal-pain-differential",
    )
    assert counted == 1


def test_fallback_searches_ask_for_strict_handling(app: Flask) -> None:
    _answer, calls = _call_with_server(app, bundle())
    prefer = {
        call.request.path_url.split("?")[0]: call.request.headers.get("Prefer") for call in calls
    }
    assert prefer == {
        "/fhir/r4/Patient/pat-1": None,  # a read has no parameters to ignore
        "/fhir/r4/Observation": "handling=strict",
        "/fhir/r4/Condition": "handling=strict",
        "/fhir/r4/QuestionnaireResponse": "handling=strict",
        "/fhir/r4/DocumentReference": "handling=strict",
    }


def test_prefetched_observations_and_patient_of_another_patient_are_left_out(app: Flask) -> None:
    other = finding("pain-radiates-below-knee", obs_id="obs-2")
    other["subject"] = {"reference": "Patient/someone-else"}
    request = hook_request()
    request["prefetch"]["observations"] = bundle(finding("buttock-pain"), other)
    with responses.RequestsMock():  # nothing is fetched
        answer = app.test_client().post(URL, json=request).get_json()
    assert NOTE in _text(answer)

    request = hook_request()
    request["prefetch"]["patient"] = patient("someone-else")
    answer = app.test_client().post(URL, json=request).get_json()
    assert NOTE in _text(answer)


def test_another_patients_note_is_left_out_and_counted(app: Flask) -> None:
    text = b"Pain radiates below the knee. Positive straight leg raise."
    note = {
        "resourceType": "DocumentReference",
        "id": "note-other",
        "status": "current",
        "subject": {"reference": "Patient/someone-else"},
        "date": "2026-11-19T10:00:00Z",
        "content": [
            {"attachment": {"contentType": "text/plain", "data": base64.b64encode(text).decode()}}
        ],
    }
    request = hook_request()
    request["prefetch"]["notes"] = bundle(note)
    answer = app.test_client().post(URL, json=request).get_json()
    plain = app.test_client().post(URL, json=hook_request()).get_json()

    assert NOTE in _text(answer)
    assert _summaries(answer) == _summaries(plain)
    counted = value(
        metrics_of(app).exposition().decode(), "gluteal_cds_resources_other_patient_total"
    )
    assert counted == 1


def test_a_draft_order_about_another_patient_is_not_rated(app: Flask) -> None:
    xray = {
        "resourceType": "ServiceRequest",
        "id": "xr-other",
        "status": "draft",
        "intent": "order",
        "code": {"coding": [{"system": "http://loinc.org", "code": "24762-7"}]},
        "subject": {"reference": "Patient/someone-else"},
    }
    body = hook_request("order-sign")
    body["context"]["draftOrders"] = bundle(xray)

    response = app.test_client().post("/cds-services/gluteal-pain-order-sign", json=body)

    assert response.status_code == 200
    answer = response.get_json()
    topics = [card["source"]["topic"]["code"] for card in answer["cards"]]
    assert "order-appropriateness" not in topics
    assert answer.get("systemActions", []) == []
