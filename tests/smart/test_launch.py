"""Issue 24: only a configured EHR can launch the app, the secret goes only to its pinned
token endpoint, the session id is renewed at sign-in, tokens are refreshed, and the app may
be framed only by the EHR origins configured."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import ConfigurationError, Settings
from tests.support.accept import BROWSER
from tests.support.smart_launch import (
    AUTHORIZE,
    HTTPS,
    ISS,
    SECRET,
    TOKEN,
    configured,
    register_ehr,
    sign_in,
)

ATTACKER = "https://attacker.example.net/fhir"


@pytest.fixture
def client(settings: Settings) -> FlaskClient:
    return create_app(configured(settings)).test_client()


@pytest.fixture
def ehr() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_ehr(mock)
        yield mock


@pytest.mark.parametrize("iss", [ATTACKER, "http://localhost:8080/fhir", "https://127.0.0.1/fhir"])
def test_an_unconfigured_iss_gets_a_400_before_any_outbound_request(
    client: FlaskClient, iss: str
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        response = client.get(
            "/smart/launch", query_string={"iss": iss, "launch": "l"}, base_url=HTTPS
        )
        assert len(mock.calls) == 0  # no discovery, no token call: nothing left the service
    assert response.status_code == 400
    assert "not one the bedside app is configured for" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers


def test_without_the_setting_the_trusted_issuers_fhir_servers_may_launch(
    settings: Settings,
) -> None:
    configured = replace(
        settings,
        smart_client_id="bedside",
        public_base_url=HTTPS,
        trusted_issuers={"https://ehr.example.org": "https://ehr.example.org/jwks"},
        issuer_fhir_servers={"https://ehr.example.org": (ISS,)},
        patient_hash_salt="a-long-random-salt-for-the-test",
    )
    client = create_app(configured).test_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_ehr(mock)
        ok = client.get(
            "/smart/launch", query_string={"iss": ISS + "/", "launch": "l"}, base_url=HTTPS
        )
        refused = client.get(
            "/smart/launch", query_string={"iss": ATTACKER, "launch": "l"}, base_url=HTTPS
        )
    assert ok.status_code == 302
    assert refused.status_code == 400


def test_with_neither_no_ehr_may_launch(settings: Settings) -> None:
    client = create_app(replace(settings, smart_client_id="b", public_base_url=HTTPS)).test_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        response = client.get(
            "/smart/launch", query_string={"iss": ISS, "launch": "l"}, base_url=HTTPS
        )
        assert len(mock.calls) == 0
    assert response.status_code == 400


def test_the_secret_goes_only_to_the_pinned_token_endpoint(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    sign_in(client)
    client.get("/smart/app", base_url=HTTPS)
    expected = "Basic " + base64.b64encode(f"bedside:{SECRET}".encode()).decode()
    carrying = [
        c.request for c in ehr.calls if "Basic " in c.request.headers.get("Authorization", "")
    ]
    assert [(r.method, r.url) for r in carrying] == [("POST", TOKEN)]
    assert carrying[0].headers["Authorization"] == expected
    assert all(SECRET not in str(c.request.body or "") for c in ehr.calls)


@pytest.mark.parametrize(
    "endpoint",
    ["http://ehr.example.org/oauth/token", "https://127.0.0.1/token", "https://localhost/t"],
)
def test_discovery_naming_an_unsafe_token_endpoint_stops_the_launch(
    client: FlaskClient, endpoint: str
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(
            f"{ISS}/.well-known/smart-configuration",
            json={"authorization_endpoint": AUTHORIZE, "token_endpoint": endpoint},
        )
        response = client.get(
            "/smart/launch", query_string={"iss": ISS, "launch": "l"}, base_url=HTTPS
        )
        assert [c.request.url for c in mock.calls] == [f"{ISS}/.well-known/smart-configuration"]
    assert response.status_code == 502
    assert "Location" not in response.headers


def test_discovery_is_pinned_not_fetched_at_every_launch(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    for _ in range(3):
        client.get("/smart/launch", query_string={"iss": ISS, "launch": "l"}, base_url=HTTPS)
    discovery = [c for c in ehr.calls if str(c.request.url).endswith("smart-configuration")]
    assert len(discovery) == 1


def test_the_session_id_is_renewed_at_sign_in(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    before, after = sign_in(client)
    assert before
    assert after
    assert before != after
    assert client.get("/smart/app", base_url=HTTPS).status_code == 200
    client.set_cookie("gluteal_smart", before, domain="cds.example.org", path="/smart")
    assert client.get("/smart/app", base_url=HTTPS).status_code == 401  # the planted id


def test_the_app_needs_the_public_base_url(settings: Settings) -> None:
    with pytest.raises(ConfigurationError, match="GLUTEAL_CDS_PUBLIC_BASE_URL"):
        create_app(replace(settings, smart_client_id="bedside", smart_issuers=(ISS,)))


def test_the_redirect_uri_never_comes_from_the_host_header(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    launched = client.get(
        "/smart/launch", query_string={"iss": ISS, "launch": "l"}, base_url="https://evil.example"
    )
    asked = parse_qs(urlsplit(launched.headers["Location"]).query)
    assert asked["redirect_uri"] == [f"{HTTPS}/smart/callback"]


def test_an_expiring_token_is_refreshed_with_the_granted_refresh_token(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_ehr(
            mock,
            {"access_token": "at-1", "patient": "p-1", "expires_in": 60, "refresh_token": "rt-1"},
        )
        sign_in(client)
        mock.replace(responses.POST, TOKEN, json={"access_token": "at-2", "expires_in": 3600})
        later = time.time() + 3600
        monkeypatch.setattr("cds_service.smart.blueprint.time.time", lambda: later)
        assert client.get("/smart/app", base_url=HTTPS).status_code == 200
        refreshes = [c for c in mock.calls if c.request.url == TOKEN][1:]
        assert len(refreshes) == 1
        assert parse_qs(str(refreshes[0].request.body)) == {
            "grant_type": ["refresh_token"],
            "refresh_token": ["rt-1"],
        }
        reads = [c.request for c in mock.calls if str(c.request.url).startswith(f"{ISS}/Patient")]
        assert reads[-1].headers["Authorization"] == "Bearer at-2"


def test_a_refused_token_is_refreshed_once_then_the_read_retried(client: FlaskClient) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_ehr(mock, {"access_token": "at-1", "patient": "p-1", "refresh_token": "rt-1"})
        sign_in(client)
        mock.post(TOKEN, json={"access_token": "at-2"})
        mock.replace(responses.GET, f"{ISS}/Patient/p-1", status=401)
        mock.get(f"{ISS}/Patient/p-1", json={"resourceType": "Patient", "id": "p-1"})
        response = client.get("/smart/app", base_url=HTTPS)
        tokens = [c.request.body for c in mock.calls if c.request.url == TOKEN]
    assert response.status_code == 200
    assert len(tokens) == 2
    assert "grant_type=refresh_token" in str(tokens[1])


def test_an_expired_session_keeps_the_answers_typed(client: FlaskClient) -> None:
    form = {
        "csrf": "x",
        "q-fever": "present",
        "q-groin-pain": "absent",
        "q-leg-numbness": "unknown",
    }
    response = client.post("/smart/app", data=form, base_url=HTTPS)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "launch the app again" in page.lower()
    assert 'id="answers-kept"' in page
    typed = page.split('id="typed-answers"')[1]
    assert "Fever" in typed or "fever" in typed
    assert "<strong>no</strong>" in typed


def test_with_every_launch_slot_taken_a_launch_is_told_to_try_again(settings: Settings) -> None:
    app = create_app(configured(settings))
    issuers = app.extensions["gluteal_cds_smart_issuers"]
    issuers.slot_wait_s = 0.05
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_ehr(mock)
        with issuers.slot(), issuers.slot():  # two launches waiting on a slow EHR
            started = time.monotonic()
            response = app.test_client().get(
                "/smart/launch",
                query_string={"iss": ISS, "launch": "l"},
                base_url=HTTPS,
                headers=BROWSER,
            )
            waited = time.monotonic() - started
        assert len(mock.calls) == 0
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "try again" in page
    assert "Not available right now" in page
    assert "knowledge base is not loaded" not in page
    assert waited < 1.0
