"""Prefetch and the FHIR fallback (contract section 2), against a mocked EHR server."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest
import requests
import responses
from flask.testing import FlaskClient
from responses import matchers

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import (
    FHIR_BASE,
    PATIENT_ID,
    TOKEN,
    bundle,
    finding,
    hook_request,
    patient,
    without_prefetch,
)

URL = "/cds-services/gluteal-pain-differential"
HEADERS = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/fhir+json"}


def _serve(rsps: responses.RequestsMock, observations: list[dict[str, Any]] | None = None) -> None:
    """The EHR's FHIR server: answers only calls that carry the token and Accept header."""
    match = [matchers.header_matcher(HEADERS)]
    rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient(), match=match)
    rsps.get(
        f"{FHIR_BASE}/Observation",
        json=bundle(*(observations or [finding("buttock-pain")])),
        match=[*match, matchers.query_param_matcher({"patient": PATIENT_ID})],
    )
    rsps.get(
        f"{FHIR_BASE}/QuestionnaireResponse",
        json=bundle(),
        match=[*match, matchers.query_param_matcher({"patient": PATIENT_ID}, strict_match=False)],
    )
    rsps.get(
        f"{FHIR_BASE}/Condition",
        json=bundle(),
        match=[*match, matchers.query_param_matcher({"patient": PATIENT_ID})],
    )
    rsps.get(
        f"{FHIR_BASE}/DocumentReference",
        json=bundle(),
        match=[*match, matchers.query_param_matcher({"patient": PATIENT_ID}, strict_match=False)],
    )


@responses.activate
def test_complete_prefetch_makes_no_fhir_call(client: FlaskClient) -> None:
    response = client.post(URL, json=hook_request(fhirServer=FHIR_BASE))

    assert response.status_code == 200
    assert len(responses.calls) == 0


@responses.activate
def test_null_prefetch_means_no_data_and_no_fetch(client: FlaskClient) -> None:
    body = without_prefetch(
        prefetch={
            "patient": None,
            "observations": None,
            "conditions": None,
            "questionnaireResponses": None,
            "notes": None,
        }
    )

    response = client.post(URL, json=body)

    assert response.status_code == 200
    assert response.get_json() == {"cards": []}  # no data: no complaint, no card
    assert len(responses.calls) == 0


def test_absent_keys_are_fetched_with_bearer_token_and_fhir_accept(client: FlaskClient) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        _serve(rsps)
        response = client.post(URL, json=without_prefetch())

        assert response.status_code == 200
        assert response.get_json()["cards"]  # buttock pain read from the server
        # Patient, Observation, Condition, our Questionnaire's answers and the clinical
        # notes (contract 2).
        assert len(rsps.calls) == 5


def test_only_absent_keys_are_fetched(client: FlaskClient) -> None:
    body = without_prefetch(prefetch={"patient": patient(), "conditions": bundle()})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps)
        response = client.post(URL, json=body)

        assert response.status_code == 200
        assert [call.request.path_url.split("?")[0] for call in rsps.calls] == [
            "/fhir/r4/Observation",
            "/fhir/r4/QuestionnaireResponse",
            "/fhir/r4/DocumentReference",
        ]


def test_operation_outcome_in_prefetch_is_fetched_again(client: FlaskClient) -> None:
    failed = {"resourceType": "OperationOutcome", "issue": []}
    body = without_prefetch(
        prefetch={"patient": patient(), "observations": failed, "conditions": bundle()}
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps)
        response = client.post(URL, json=body)

        assert response.status_code == 200
        assert len(rsps.calls) == 3  # Observations again, the absent answers and notes


def test_no_fhir_call_is_made_without_the_ehrs_token(client: FlaskClient) -> None:
    # Issue 15 changed this: CDS Hooks 2.0 requires the EHR's token on every FHIR call.
    body = without_prefetch()
    del body["fhirAuthorization"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle(finding("buttock-pain")))
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        response = client.post(URL, json=body)

        assert response.status_code == 412
        assert "fhirAuthorization" in response.get_json()["error"]
        assert not rsps.calls


def test_an_open_fhir_server_is_read_without_token_only_for_local_testing(
    settings: Settings,
) -> None:
    client = create_app(dataclasses.replace(settings, allow_http_fhir=True)).test_client()
    body = without_prefetch()
    del body["fhirAuthorization"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle(finding("buttock-pain")))
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        response = client.post(URL, json=body)

        assert response.status_code == 200
        assert all("Authorization" not in call.request.headers for call in rsps.calls)


def test_search_pages_are_followed(client: FlaskClient) -> None:
    page_2 = f"{FHIR_BASE}/Observation?patient={PATIENT_ID}&page=2"
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(
            f"{FHIR_BASE}/Observation",
            json=bundle(finding("sits-bone-pain", present=False), next_url=page_2),
            match=[matchers.query_param_matcher({"patient": PATIENT_ID})],
        )
        rsps.get(
            f"{FHIR_BASE}/Observation",
            json=bundle(finding("buttock-pain", obs_id="obs-2")),
            match=[
                matchers.query_param_matcher({"patient": PATIENT_ID, "page": "2"}),
                matchers.header_matcher(HEADERS),
            ],
        )
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 200
    assert response.get_json()["cards"]  # the complaint was on page 2


def test_page_bound_is_respected(settings: Settings) -> None:
    bounded = Settings(database_url=settings.database_url, fhir_max_pages=3)
    client = create_app(bounded).test_client()
    endless = bundle(finding("buttock-pain"), next_url=f"{FHIR_BASE}/Observation?page=more")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=endless)
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        response = client.post(URL, json=without_prefetch())
        observation_calls = [c for c in rsps.calls if "/Observation" in str(c.request.url)]

    assert response.status_code == 200
    assert len(observation_calls) == 3


def test_next_link_to_another_host_is_not_followed_with_the_token(client: FlaskClient) -> None:
    elsewhere = bundle(next_url="https://attacker.example.com/steal")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=elsewhere)
        rsps.get("https://attacker.example.com/steal", json=bundle())
        response = client.post(URL, json=without_prefetch())
        hosts = {str(c.request.url).split("/")[2] for c in rsps.calls}

    assert response.status_code == 412
    assert "attacker.example.com" not in hosts


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param({"body": requests.exceptions.ConnectTimeout()}, id="connect timeout"),
        pytest.param({"body": requests.exceptions.ReadTimeout()}, id="read timeout"),
        pytest.param({"body": requests.exceptions.ConnectionError()}, id="unreachable"),
        pytest.param({"status": 500, "json": {}}, id="server error"),
        pytest.param({"status": 401, "json": {}}, id="token refused"),
        pytest.param({"body": "<html>"}, id="not json"),
    ],
)
def test_fhir_server_failure_is_412_saying_what_is_missing(
    client: FlaskClient, failure: dict[str, Any]
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", **failure)
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 412
    assert "observations" in response.get_json()["error"]


def test_missing_patient_on_server_is_412(client: FlaskClient) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", status=404, json={})
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 412
    assert "patient" in response.get_json()["error"]


def test_patient_id_cannot_change_the_query(client: FlaskClient) -> None:
    body = without_prefetch(prefetch={"patient": None, "conditions": None})
    body["context"]["patientId"] = "1&_has=x"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle())
        client.post(URL, json=body)
        query = str(rsps.calls[0].request.url).split("?", 1)[1]

    assert query == "patient=1%26_has%3Dx"


def test_token_never_appears_in_logs(client: FlaskClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps)
        client.post(URL, json=without_prefetch())
        rsps.replace(responses.GET, f"{FHIR_BASE}/Observation", status=500, json={})
        client.post(URL, json=without_prefetch())
        rsps.replace(
            responses.GET, f"{FHIR_BASE}/Observation", body=requests.exceptions.ReadTimeout()
        )
        client.post(URL, json=without_prefetch())

    assert caplog.records  # the calls above did log something
    assert TOKEN not in caplog.text


QUESTIONNAIRE = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"


def _answers(*items: tuple[str, str]) -> dict[str, Any]:
    """A completed response to our bedside Questionnaire: (finding, SNOMED answer) pairs."""
    return {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "subject": {"reference": f"Patient/{PATIENT_ID}"},
        "authored": "2026-11-20T10:00:00Z",
        "item": [
            {
                "linkId": code,
                "answer": [{"valueCoding": {"system": "http://snomed.info/sct", "code": value}}],
            }
            for code, value in items
        ],
    }


def test_bedside_answers_are_read_from_the_fhir_server(client: FlaskClient) -> None:
    body = without_prefetch(
        prefetch={"patient": patient(), "observations": bundle(), "conditions": bundle()}
    )
    answered = _answers(("buttock-pain", "373066001"), ("saddle-numbness", "373066001"))
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(
            f"{FHIR_BASE}/QuestionnaireResponse",
            json=bundle(answered),
            match=[
                matchers.header_matcher(HEADERS),
                matchers.query_param_matcher(
                    {"patient": PATIENT_ID, "questionnaire": QUESTIONNAIRE}
                ),
            ],
        )
        response = client.post(URL, json=body)

    assert response.status_code == 200
    topics = [card["source"]["topic"]["code"] for card in response.get_json()["cards"]]
    assert topics[0] == "red-flag"  # saddle numbness, answered at the bedside


def test_a_server_without_the_answers_search_is_no_data_not_a_412(client: FlaskClient) -> None:
    body = without_prefetch(
        prefetch={
            "patient": patient(),
            "observations": bundle(finding("buttock-pain")),
            "conditions": bundle(),
        }
    )
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(f"{FHIR_BASE}/QuestionnaireResponse", status=400, json={"resourceType": "x"})
        response = client.post(URL, json=body)

    assert response.status_code == 200
    assert response.get_json()["cards"]


def test_answers_are_not_fetched_without_the_ehrs_token(client: FlaskClient) -> None:
    body = hook_request(fhirServer=FHIR_BASE)  # full prefetch but no questionnaireResponses
    with responses.RequestsMock() as rsps:  # any FHIR call would fail the test
        response = client.post(URL, json=body)
        assert len(rsps.calls) == 0
    assert response.status_code == 200


def test_the_other_pages_of_a_prefetched_search_are_read_from_fhir_server(
    client: FlaskClient,
) -> None:
    # The EHR ran the search but sent only its first page: the rest is read with its token.
    page_2 = f"{FHIR_BASE}/Observation?patient={PATIENT_ID}&page=2"
    first = bundle(finding("buttock-pain"), next_url=page_2)
    body = without_prefetch(
        prefetch={"patient": patient(), "observations": first, "conditions": bundle()}
    )
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(
            f"{FHIR_BASE}/Observation",
            json=bundle(finding("saddle-numbness", obs_id="obs-2")),
            match=[
                matchers.query_param_matcher({"patient": PATIENT_ID, "page": "2"}),
                matchers.header_matcher(HEADERS),
            ],
        )
        rsps.get(f"{FHIR_BASE}/QuestionnaireResponse", json=bundle())
        rsps.get(f"{FHIR_BASE}/DocumentReference", json=bundle())
        response = client.post(URL, json=body)

    assert response.status_code == 200
    assert "red-flag" in _topics(response)  # the red flag was on page 2
    assert "first page" not in str(response.get_json())


def test_a_next_link_away_from_fhir_server_is_not_followed_and_said(client: FlaskClient) -> None:
    first = bundle(finding("buttock-pain"), next_url="https://elsewhere.example.com/Observation")
    body = without_prefetch(
        prefetch={
            "patient": patient(),
            "observations": first,
            "conditions": bundle(),
            "questionnaireResponses": None,
            "notes": None,
        }
    )
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        response = client.post(URL, json=body)
        calls = len(rsps.calls)

    assert calls == 0  # the EHR's token never went to the other host
    assert response.status_code == 200
    assert "first page of the prefetched Observations" in str(response.get_json())


def test_a_prefetch_that_came_in_pages_says_the_rest_was_not_read(client: FlaskClient) -> None:
    # Without fhirServer the other pages cannot be read: findings on them are unknown to
    # us, and the card must not present the differential as complete.
    paged = bundle(finding("buttock-pain"), next_url=f"{FHIR_BASE}/Observation?page=2")
    body = hook_request(prefetch={**hook_request()["prefetch"], "observations": paged})

    response = client.post(URL, json=body)

    assert response.status_code == 200
    (differential,) = [
        card
        for card in response.get_json()["cards"]
        if card["source"]["topic"]["code"] == "differential"
    ]
    assert "Observations" in differential["detail"]
    assert "first page" in differential["detail"]


def _topics(response: Any) -> list[str]:
    return [card["source"]["topic"]["code"] for card in response.get_json()["cards"]]


def test_a_patient_prefetched_as_a_search_bundle_is_read(client: FlaskClient) -> None:
    # Some EHRs template the patient as a search (Patient?_id=...): its one entry is the
    # Patient. Over 50, the hip X-ray is no longer a test to avoid (contract section 5).
    older = patient() | {"birthDate": "1970-03-02"}
    body = hook_request(prefetch={**hook_request()["prefetch"], "patient": bundle(older)})

    response = client.post(URL, json=body)

    assert response.status_code == 200
    assert "differential" in _topics(response)
    assert "X-ray" not in _avoided(response)
    assert "X-ray" in _avoided(client.post(URL, json=hook_request()))


def _avoided(response: Any) -> str:
    cards = response.get_json()["cards"]
    return " ".join(c["summary"] for c in cards if c["source"]["topic"]["code"] == "avoid-test")


# Review 10, C1: a complete prefetch with the EHR's token and a fhirServer the service may
# not call was refused with 400 because the optional keys would have been fetched.
AUTH = without_prefetch()["fhirAuthorization"]
UNCALLABLE = ["http://ehr.example.org/fhir", "https://10.1.2.3/fhir"]


def _details(response: Any) -> str:
    return " ".join(card.get("detail", "") for card in response.get_json()["cards"])


@pytest.mark.parametrize("server", UNCALLABLE)
def test_optional_keys_a_refused_server_cannot_give_are_no_data_and_said(
    client: FlaskClient, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = hook_request(fhirServer=server, fhirAuthorization=AUTH)
    with (
        caplog.at_level(logging.WARNING),
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
    ):
        response = client.post(URL, json=body)
        assert not rsps.calls  # nothing is sent to a server the service may not call

    assert response.status_code == 200
    assert response.get_json()["cards"]
    assert (
        "Questionnaire answers and clinical notes were not sent and could not be fetched"
        in _details(response)
    )
    # The operator learns which setting would allow the server; the token never shows.
    assert "GLUTEAL_CDS_" in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("server", UNCALLABLE)
def test_a_required_key_a_refused_server_must_give_is_still_a_400(
    client: FlaskClient, server: str
) -> None:
    body = hook_request(fhirServer=server, fhirAuthorization=AUTH)
    del body["prefetch"]["observations"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        response = client.post(URL, json=body)
        assert not rsps.calls

    assert response.status_code == 400
    assert "GLUTEAL_CDS_" in response.get_json()["error"]


# Review 10, C2: an OperationOutcome of severity error in an optional key's search Bundle
# was taken as "no data", with no word on the card.
def _failed_search(*, as_outcome_mode: bool, severity: str = "error") -> dict[str, Any]:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": "processing", "diagnostics": "timeout"}],
    }
    entry: dict[str, Any] = {"resource": outcome}
    if as_outcome_mode:
        entry["search"] = {"mode": "outcome"}
    return {"resourceType": "Bundle", "type": "searchset", "entry": [entry]}


@pytest.mark.parametrize(
    ("key", "said"),
    [("notes", "clinical notes"), ("questionnaireResponses", "Questionnaire answers")],
)
@pytest.mark.parametrize("as_outcome_mode", [True, False], ids=["search-mode-outcome", "entry"])
def test_an_optional_search_that_reported_an_error_is_said_unreadable(
    client: FlaskClient, key: str, said: str, as_outcome_mode: bool
) -> None:
    body = hook_request()
    body["prefetch"][key] = _failed_search(as_outcome_mode=as_outcome_mode)
    response = client.post(URL, json=body)

    assert response.status_code == 200
    assert f"{said} could not be read (the EHR's search for them reported an error)" in (
        _details(response)
    )


def test_a_warning_outcome_in_an_optional_search_is_no_failure(client: FlaskClient) -> None:
    body = hook_request()
    body["prefetch"]["notes"] = _failed_search(as_outcome_mode=True, severity="warning")
    response = client.post(URL, json=body)

    assert response.status_code == 200
    assert "could not be read" not in _details(response)


@pytest.mark.parametrize("key", ["observations", "conditions"])
def test_a_required_search_that_reported_an_error_and_cannot_be_fetched_is_a_412(
    client: FlaskClient, key: str
) -> None:
    body = hook_request()
    body["prefetch"][key] = _failed_search(as_outcome_mode=True, severity="fatal")
    response = client.post(URL, json=body)

    assert response.status_code == 412
    assert f"{key} search reported an error" in response.get_json()["error"]


def test_a_failed_optional_search_is_read_again_from_a_server_that_may_be_called(
    client: FlaskClient,
) -> None:
    body = hook_request(fhirServer=FHIR_BASE, fhirAuthorization=AUTH)
    body["prefetch"]["notes"] = _failed_search(as_outcome_mode=True)
    body["prefetch"]["questionnaireResponses"] = bundle()
    with responses.RequestsMock() as rsps:
        rsps.get(f"{FHIR_BASE}/DocumentReference", json=bundle())
        response = client.post(URL, json=body)

    assert response.status_code == 200
    assert "could not be read" not in _details(response)
