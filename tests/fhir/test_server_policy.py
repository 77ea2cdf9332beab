"""Which ``fhirServer`` the service calls, and what it does with a failed or oversized answer.

Contract sections 2 and 6 (issues 15, 26): local addresses, user parts, queries and
fragments are refused before any connection, with a message naming the setting that would
allow the server; only when the service must call it (a complete prefetch needs no check);
an issuer's token goes only to its servers; a search Bundle reporting an error is
unreadable; so is a too large answer.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import requests
import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.fhir.client import FHIR_SERVER_REFUSAL, FhirServerPolicy
from cds_service.settings import Settings
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

LOCAL_SERVERS = [
    "https://localhost/fhir",
    "https://LOCALHOST./fhir",
    "https://2130706433/fhir",
    "https://0x7f.1/fhir",
    "https://127.1/fhir",
    "https://[::1]/fhir",
    "https://[::ffff:127.0.0.1]/fhir",
    "https://169.254.169.254/latest",
    "https://10.0.0.8/fhir",
    "https://192.168.1.1/fhir",
    "https://[fd00::1]/fhir",
    "https://[fe80::1]/fhir",
    "https://0.0.0.0/fhir",
]
MALFORMED_SERVERS = [
    "https://user@ehr.example.org/fhir",
    "https://a@ehr.example.org/fhir",
    "https://ehr.example.org/fhir?",
    "https://ehr.example.org/fhir?x=/admin",
    "https://ehr.example.org/fhir#frag",
    "https://[::1/",
    "http://ehr.example.org/fhir",
]


@pytest.mark.parametrize("server", LOCAL_SERVERS + MALFORMED_SERVERS)
def test_refused_fhir_servers_are_refused_before_any_connection(
    client: FlaskClient, server: str
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        response = client.post(URL, json=without_prefetch(fhirServer=server))

        assert not rsps.calls
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"fhirServer: {FHIR_SERVER_REFUSAL}: ")


@pytest.mark.parametrize(
    ("policy", "server", "setting"),
    [
        (FhirServerPolicy(), "http://ehr.example.org/fhir", "GLUTEAL_CDS_ALLOW_HTTP_FHIR=1"),
        (FhirServerPolicy(), "https://10.0.0.8/fhir", "GLUTEAL_CDS_FHIR_ALLOWLIST"),
        (FhirServerPolicy(), "https://localhost/fhir", "GLUTEAL_CDS_ALLOW_HTTP_FHIR=1"),
        (
            FhirServerPolicy(allowlist=("https://a.example/fhir",)),
            "https://b.example/fhir",
            "GLUTEAL_CDS_FHIR_ALLOWLIST",
        ),
        (
            FhirServerPolicy(issuer_servers={"https://iss": ("https://a.example/fhir",)}),
            "https://b.example/fhir",
            "GLUTEAL_CDS_TRUSTED_ISSUERS",
        ),
    ],
)
def test_every_refusal_names_the_setting_that_would_allow_the_server(
    policy: FhirServerPolicy, server: str, setting: str
) -> None:
    refusal = policy.refusal(server, "https://iss")

    assert refusal is not None
    assert setting in refusal


@pytest.mark.parametrize(
    "server", ["http://localhost:8080/fhir", "http://ehr.example.org/fhir", "https://10.0.0.8/r4"]
)
def test_a_complete_prefetch_needs_no_check_of_fhir_server(
    client: FlaskClient, server: str
) -> None:
    # The local CDS Hooks sandbox: plain-http FHIR server, everything in prefetch.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        response = client.post(URL, json=hook_request(fhirServer=server))

        assert not rsps.calls
    assert response.status_code == 200
    assert response.get_json()["cards"]


def test_an_unlisted_fhir_server_is_refused_when_it_must_be_called() -> None:
    settings = Settings(allow_http_fhir=False, fhir_allowlist=("https://a.example/fhir",))
    client = create_app(settings).test_client()
    complete = client.post(URL, json=hook_request(fhirServer="https://b.example/fhir"))
    lacking = client.post(URL, json=without_prefetch(fhirServer="https://b.example/fhir"))

    assert complete.status_code == 200
    assert lacking.status_code == 400
    assert "GLUTEAL_CDS_FHIR_ALLOWLIST" in lacking.get_json()["error"]


def test_an_allow_listed_local_server_may_be_called() -> None:
    policy = FhirServerPolicy(allowlist=("https://10.0.0.8/fhir",))

    assert policy.refusal("https://10.0.0.8/fhir") is None
    assert policy.refusal("https://10.0.0.9/fhir") is not None


def test_local_testing_allows_loopback() -> None:
    assert FhirServerPolicy(allow_http=True).refusal("http://127.0.0.1:8090/fhir") is None


def test_an_issuer_bound_to_its_servers_cannot_name_another() -> None:
    policy = FhirServerPolicy(issuer_servers={"https://ehr.example": (FHIR_BASE + "/",)})

    assert policy.refusal(FHIR_BASE, "https://ehr.example") is None
    assert policy.refusal("https://other.example/fhir", "https://ehr.example") is not None
    assert policy.refusal("https://other.example/fhir", "https://unbound.example") is None


def _serve(rsps: responses.RequestsMock, observations: dict[str, Any]) -> None:
    rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
    rsps.get(f"{FHIR_BASE}/Observation", json=observations)
    rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
    rsps.get(f"{FHIR_BASE}/QuestionnaireResponse", json=bundle())


FAILED = {
    "resourceType": "OperationOutcome",
    "issue": [{"severity": "error", "code": "processing"}],
}


def test_a_failed_observation_search_is_not_read_as_no_findings(client: FlaskClient) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, bundle(FAILED))
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 412
    assert "observations" in response.get_json()["error"]


def test_a_failed_condition_search_is_said_on_the_card(client: FlaskClient) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, bundle(finding("buttock-pain")))
        rsps.replace(responses.GET, f"{FHIR_BASE}/Condition", json=bundle(FAILED))
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 200
    detail = response.get_json()["cards"][0]["detail"]
    assert "Conditions could not be read" in detail


def test_a_failed_search_in_prefetch_is_fetched_again(client: FlaskClient) -> None:
    body = without_prefetch(
        prefetch={"patient": patient(), "observations": bundle(FAILED), "conditions": bundle()}
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, bundle(finding("buttock-pain")))
        response = client.post(URL, json=body)
        fetched = [call.request.url for call in rsps.calls]

    assert response.status_code == 200
    assert any("/Observation" in (url or "") for url in fetched)


def test_a_too_large_answer_is_unreadable_and_the_card_says_so(settings: Settings) -> None:
    small = dataclasses.replace(settings, fhir_max_response_bytes=2048)
    client = create_app(small).test_client()
    padding = [finding("buttock-pain", obs_id=f"o{i}") for i in range(40)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, bundle(finding("buttock-pain")))
        rsps.replace(responses.GET, f"{FHIR_BASE}/Condition", json=bundle(*padding))
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 200
    assert "Conditions could not be read" in response.get_json()["cards"][0]["detail"]


def test_too_large_observations_are_a_412(settings: Settings) -> None:
    small = dataclasses.replace(settings, fhir_max_response_bytes=2048)
    client = create_app(small).test_client()
    padding = [finding("buttock-pain", obs_id=f"o{i}") for i in range(40)]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, bundle(*padding))
        response = client.post(URL, json=without_prefetch())

    assert response.status_code == 412
    assert "could not be read" in response.get_json()["error"]


@pytest.mark.parametrize(
    "next_url",
    [
        f"{FHIR_BASE.rsplit('/', 1)[0]}/admin?page=2",
        f"{FHIR_BASE}/../admin",
        FHIR_BASE.replace("https://", "https://user@") + "/Observation?page=2",
    ],
)
def test_next_links_must_stay_under_the_base_url(client: FlaskClient, next_url: str) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _serve(rsps, bundle(finding("buttock-pain"), next_url=next_url))
        response = client.post(URL, json=without_prefetch())
        paths = [call.request.url for call in rsps.calls]

    assert response.status_code == 412
    assert not any("admin" in (url or "") or "user@" in (url or "") for url in paths)


@pytest.mark.parametrize(
    "server",
    [
        "https://ehr.example.org/fhir?x=/admin",
        "https://ehr.example.org/fhir#x",
        "https://u@ehr.example.org/fhir",
    ],
)
def test_the_allow_list_does_not_ignore_query_fragment_or_user(server: str) -> None:
    policy = FhirServerPolicy(allowlist=("https://ehr.example.org/fhir",))

    refusal = policy.refusal(server)

    assert refusal is not None
    assert "no setting allows" in refusal


def test_the_412_does_not_tell_a_closed_port_from_an_open_one(client: FlaskClient) -> None:
    errors = []
    for failure in (
        {"body": requests.exceptions.ConnectionError()},
        {"status": 404, "json": {}},
        {"body": "<html>"},
    ):
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", **failure)
            response = client.post(URL, json=without_prefetch())
        assert response.status_code == 412
        errors.append(response.get_json()["error"])

    assert len(set(errors)) == 1
