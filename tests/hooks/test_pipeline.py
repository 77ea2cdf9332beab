"""The pipeline, the seam: conditions on the problem list reach the differential as findings
(contract 3, 12-06), and an order's reason conditions date the symptoms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

import differential
from cds_service.hooks import pipeline
from differential.model import Differential, Presentation
from tests.support.hook_requests import PATIENT_ID, bundle, finding, hook_request
from tests.support.orders import lumbar_mri, order_call

SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SELECT = "/cds-services/gluteal-pain-order-select"


def problem(ident: str, system: str, code: str, **dates: str) -> dict[str, Any]:
    """An active, confirmed Condition of the patient."""
    return {
        "resourceType": "Condition",
        "id": ident,
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
                }
            ]
        },
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        **dates,
    }


@pytest.fixture
def presented(monkeypatch: pytest.MonkeyPatch) -> list[Presentation]:
    """Every presentation the reasoner is asked about during the call."""
    seen: list[Presentation] = []
    real: Callable[..., Differential] = differential.evaluate

    def spy(kb: Any, presentation: Presentation) -> Differential:
        seen.append(presentation)
        return real(kb, presentation)

    monkeypatch.setattr(pipeline, "evaluate", spy)
    return seen


def test_an_osteoporosis_condition_reaches_the_differential_as_low_bone_density(
    client: FlaskClient, presented: list[Presentation]
) -> None:
    request = hook_request()
    request["prefetch"]["observations"] = bundle(finding("lateral-hip-pain"))
    osteoporosis = problem("cond-1", SNOMED, "64859006", recordedDate="2026-11-10")
    request["prefetch"]["conditions"] = bundle(osteoporosis)

    response = client.post("/cds-services/gluteal-pain-differential", json=request)

    assert response.status_code == 200, response.get_json()
    [presentation] = presented
    assert presentation.findings == {"lateral-hip-pain": True, "low-bone-density": True}


def test_the_order_reason_conditions_onset_dates_the_symptoms(
    client: FlaskClient, presented: list[Presentation]
) -> None:
    mri = lumbar_mri("mri-1", reasonReference=[{"reference": "Condition/cond-why"}])
    request = order_call("order-select", mri)
    began = {"onsetDateTime": "2026-11-10T15:00:00Z", "recordedDate": "2026-11-10"}
    older = {"onsetDateTime": "2026-08-01T15:00:00Z", "recordedDate": "2026-11-01"}
    request["prefetch"]["conditions"] = bundle(
        problem("cond-why", ICD10CM, "M54.41", **began),  # 10 days ago
        problem("cond-old", ICD10CM, "M51.16", **older),  # 111 days ago
    )

    response = client.post(SELECT, json=request)

    assert response.status_code == 200, response.get_json()
    assert presented[0].findings["symptoms-over-6-weeks"] is False


def _dated(observation: dict[str, Any], when: str) -> dict[str, Any]:
    return observation | {"effectiveDateTime": when}


@pytest.mark.parametrize("ahead", ["2028-11-20T15:00:00Z", "9999-01-01T00:00:00Z"])
def test_a_future_dated_observation_never_wins_and_the_card_says_data_was_unreadable(
    client: FlaskClient, presented: list[Presentation], ahead: str
) -> None:
    # Review 10, item 11: "fever absent" dated ahead hid yesterday's fever (a red flag).
    request = hook_request()
    request["prefetch"]["observations"] = bundle(
        finding("buttock-pain"),
        _dated(finding("fever", obs_id="o-yesterday"), "2026-11-19T15:00:00Z"),
        _dated(finding("fever", present=False, obs_id="o-ahead"), ahead),
    )
    response = client.post("/cds-services/gluteal-pain-differential", json=request)

    assert response.status_code == 200
    assert presented[-1].findings["fever"] is True
    details = " ".join(card.get("detail", "") for card in response.get_json()["cards"])
    assert "1 resource could not be read" in details
