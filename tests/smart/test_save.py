"""Saving the answers to the EHR: a QuestionnaireResponse, then Observations; nothing lost."""

from __future__ import annotations

from typing import Any

import responses
from flask.testing import FlaskClient

from tests.support.smart_launch import HTTPS, ISS, csrf, signed_in


def test_a_refused_write_keeps_the_answers(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    signed_in(client)
    ehr.post(f"{ISS}/QuestionnaireResponse", status=403, json={"resourceType": "OperationOutcome"})
    data: dict[str, Any] = {"csrf": csrf(client), "action": "save", "q-fever": "present"}
    response = client.post("/smart/app", data=data, base_url=HTTPS)
    assert response.status_code == 502
    text = response.get_data(as_text=True)
    assert "did not save the answers (the server answered HTTP 403)" in text
    assert 'id="q-fever-present" checked' in text  # nothing lost: submit again


def test_a_saved_response_then_observations(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    signed_in(client)
    ehr.post(
        f"{ISS}/QuestionnaireResponse",
        status=201,
        json={"resourceType": "QuestionnaireResponse", "id": "qr-9"},
    )
    ehr.post(f"{ISS}/Observation", status=201, json={"resourceType": "Observation", "id": "o-9"})
    data = {
        "csrf": csrf(client),
        "action": "save",
        "q-fever": "present",
        "q-leg-numbness": "unknown",
    }
    response = client.post("/smart/app", data=data, base_url=HTTPS)
    assert response.status_code == 200
    assert (
        "Saved 1 answer to the record (QuestionnaireResponse and 1 Observation)"
        in response.get_data(as_text=True)
    )
