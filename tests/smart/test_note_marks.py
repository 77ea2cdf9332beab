"""The bedside app pre-fills questions from clinical notes, marked to confirm (issue 25)."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import responses
from flask.testing import FlaskClient

# The app with SMART configured and the mocked EHR are tests/smart/conftest.py's fixtures.
from tests.support.smart_launch import HTTPS, ISS, csrf, signed_in

NOTE = "Denies saddle numbness. Fever since Tuesday."
NOTED = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)


def _serve_note(ehr: responses.RequestsMock) -> None:
    note = {
        "resourceType": "DocumentReference",
        "id": "note-7",
        "status": "current",
        "subject": {"reference": "Patient/p-1"},
        "date": NOTED.isoformat(),
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain",
                    "data": base64.b64encode(NOTE.encode()).decode(),
                }
            }
        ],
    }
    ehr.get(
        re.compile(rf"{re.escape(ISS)}/DocumentReference\?.*"),
        json={"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": note}]},
    )


def test_a_finding_from_a_note_is_prefilled_and_marked_with_its_date_and_words(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    _serve_note(ehr)
    signed_in(client)

    text = client.get("/smart/app", base_url=HTTPS).get_data(as_text=True)

    day = NOTED.date().isoformat()
    assert f"from the note of {day}: &#39;Denies saddle numbness.&#39;" in text
    assert 'id="q-saddle-numbness-absent" checked' in text
    assert f"from the note of {day}: &#39;Fever since Tuesday.&#39;" in text


def test_a_confirmed_answer_from_a_note_is_written_back_as_today(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    _serve_note(ehr)
    signed_in(client)
    ehr.post(
        f"{ISS}/QuestionnaireResponse",
        status=201,
        json={"resourceType": "QuestionnaireResponse", "id": "qr-9"},
    )
    ehr.post(f"{ISS}/Observation", status=201, json={"resourceType": "Observation", "id": "o-9"})
    data = {"csrf": csrf(client), "action": "save", "q-saddle-numbness": "absent"}

    response = client.post("/smart/app", data=data, base_url=HTTPS)

    assert "Saved 1 answer" in response.get_data(as_text=True)
    written = next(
        json.loads(call.request.body or "{}")
        for call in ehr.calls
        if call.request.method == "POST"
        and str(call.request.url).endswith("/QuestionnaireResponse")
    )
    assert written["authored"][:10] == datetime.now(UTC).date().isoformat()
    assert "Denies" not in json.dumps(written)  # answers are codes, never the note's words
