"""The app's pages against a FHIR server and authorisation server played by ``responses``
(the ``client`` and ``ehr`` fixtures of ``tests/smart/conftest.py``): the launch, the
callback's checks, CSRF, the security headers and a refused write."""

from __future__ import annotations

import re

import pytest
import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.smart_launch import HTTPS, ISS, TOKEN, csrf, launch, signed_in


def test_launch_asks_with_pkce_state_aud_and_launch(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    asked = launch(client)
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["code_challenge"][0]
    assert asked["aud"] == [ISS]
    assert asked["launch"] == ["l-1"]
    assert asked["client_id"] == ["bedside"]
    assert asked["redirect_uri"] == [f"{HTTPS}/smart/callback"]
    assert "patient/QuestionnaireResponse.c" in asked["scope"][0].split()


def test_a_wrong_state_is_refused(client: FlaskClient, ehr: responses.RequestsMock) -> None:
    launch(client)
    response = client.get(
        "/smart/callback", query_string={"code": "c-1", "state": "forged"}, base_url=HTTPS
    )
    assert response.status_code == 400
    assert not [call for call in ehr.calls if call.request.url == TOKEN]


def test_the_questions_page_has_no_token_and_strict_headers(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    signed_in(client)
    token_call = next(call for call in ehr.calls if call.request.url == TOKEN)
    assert "code_verifier=" in str(token_call.request.body)
    page = client.get("/smart/app", base_url=HTTPS)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "secret-token" not in text
    assert 'id="q-buttock-pain-present" checked' in text  # pre-filled from the record
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src 'self'" in csp  # no inline or foreign script
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_a_bad_answer_is_a_400(client: FlaskClient, ehr: responses.RequestsMock) -> None:
    signed_in(client)
    data = {"csrf": csrf(client), "q-fever": "perhaps"}
    assert client.post("/smart/app", data=data, base_url=HTTPS).status_code == 400


def test_without_smart_the_app_does_not_exist(settings: Settings) -> None:
    client = create_app(settings).test_client()
    response = client.get("/smart/launch", query_string={"iss": ISS, "launch": "l"})
    assert response.status_code == 404


def test_an_app_page_without_a_launch_is_a_401(client: FlaskClient) -> None:
    assert client.get("/smart/app", base_url=HTTPS).status_code == 401


@pytest.mark.parametrize(
    "query", [{}, {"iss": ISS}, {"iss": "http://ehr.example.org/fhir", "launch": "l"}]
)
def test_a_launch_without_iss_launch_or_https_is_a_400(
    client: FlaskClient, query: dict[str, str]
) -> None:
    assert client.get("/smart/launch", query_string=query, base_url=HTTPS).status_code == 400


def test_an_expired_sign_in_asks_to_launch_again(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    signed_in(client)
    ehr.replace(responses.GET, f"{ISS}/Patient/p-1", status=401)
    response = client.get("/smart/app", base_url=HTTPS)
    assert response.status_code == 401
    assert "launch the app again" in response.get_data(as_text=True)


def test_the_app_says_when_part_of_the_record_could_not_be_read(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    # The hooks' cards say when data could not be read; the app must too, or a clinician
    # reads its differential as complete. A notes search that failed (an OperationOutcome
    # error in the Bundle) is no "no notes".
    failed = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "resource": {
                    "resourceType": "OperationOutcome",
                    "issue": [{"severity": "error", "code": "exception"}],
                },
                "search": {"mode": "outcome"},
            }
        ],
    }
    ehr.get(re.compile(rf"{re.escape(ISS)}/DocumentReference\?.*"), json=failed)
    signed_in(client)

    page = client.get("/smart/app", base_url=HTTPS).get_data(as_text=True)

    assert 'id="data-notes"' in page
    assert "Clinical notes could not be read" in page
