"""Issue 15: token lifetime, odd times, the replay store failing, issuer-bound FHIR servers."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import responses
from flask import Flask
from werkzeug.test import TestResponse

from cds_service.app import create_app
from cds_service.ops.metrics import metrics_of
from cds_service.settings import ConfigurationError, Settings
from cds_service.store import store_of
from tests.ops.scrape import value
from tests.support.callers import assert_refused, call
from tests.support.hook_requests import FHIR_BASE, hook_request, without_prefetch
from tests.support.issuer import ISSUER, JWKS_URL, SERVICE_URL, Issuer
from tests.support.stalled_database import stalled

HOOK = "/cds-services/gluteal-pain-differential"


@pytest.mark.parametrize("exp", [253402300799, 1e20, float("nan"), float("inf")])
def test_absurd_expiry_times_are_401_not_500(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, exp: float
) -> None:
    assert_refused(call(app, issuer.token(exp=exp)))


def test_a_token_living_longer_than_the_cap_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    now = int(issuer.clock().timestamp())

    assert_refused(call(app, issuer.token(exp=now + 3601)))
    assert call(app, issuer.token(exp=now + 3600)).status_code == 200


def test_the_lifetime_cap_is_configurable(
    make_app: Callable[..., Flask], issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    app = make_app(jwt_max_lifetime_s=60)
    now = int(issuer.clock().timestamp())

    assert_refused(call(app, issuer.token(exp=now + 120)))


def hook_call(app: Flask, token: str) -> TestResponse:
    """A patient-view call with ``token`` (a hook call needs no database but the replay check)."""
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().post(HOOK, json=hook_request(), headers=headers)


def test_with_the_database_stalled_calls_are_answered_at_once_and_replays_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    token = issuer.token(aud=f"http://localhost{HOOK}")
    with stalled(store_of(app).engine):
        started = time.monotonic()
        first, replay = hook_call(app, token), hook_call(app, token)
        took = time.monotonic() - started

    assert first.status_code == 200
    assert first.get_json()["cards"]
    assert_refused(replay)  # this worker remembers the token ids it accepted
    assert took < 1.0  # one 50 ms wait on the database, then none (was 1.5 s and a 503)
    exposition = metrics_of(app).exposition().decode()
    assert value(exposition, "gluteal_cds_replay_check_events_total", event="degraded") == 1


def test_with_refuse_chosen_a_stalled_database_is_a_quick_503_not_401(
    make_app: Callable[..., Flask], issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    app = make_app(replay_check_when_database_down="refuse")
    with stalled(store_of(app).engine):
        started = time.monotonic()
        response = hook_call(app, issuer.token(aud=f"http://localhost{HOOK}"))
        took = time.monotonic() - started

    assert response.status_code == 503
    assert "replay check" in response.get_json()["error"]
    assert took < 1.0


def test_authentication_without_a_public_base_url_does_not_start(tmp_path: object) -> None:
    settings = Settings(
        database_url="sqlite://",
        trusted_issuers={ISSUER: JWKS_URL},
        patient_hash_salt="a-long-random-secret",
    )
    with pytest.raises(ConfigurationError, match="GLUTEAL_CDS_PUBLIC_BASE_URL"):
        create_app(settings)


def test_aud_is_never_taken_from_the_host_header(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    forged = "http://attacker.example/cds-services/gluteal-pain-differential/feedback"
    response = app.test_client().post(
        f"{HOOK}/feedback",
        json={"feedback": []},
        headers={"Authorization": f"Bearer {issuer.token(aud=forged)}", "Host": "attacker.example"},
    )

    assert_refused(response)


def test_an_issuer_bound_to_its_fhir_servers_cannot_send_its_token_elsewhere(
    make_app: Callable[..., Flask], issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    app = make_app(issuer_fhir_servers={ISSUER: (FHIR_BASE,)})
    client = app.test_client()
    elsewhere = without_prefetch(fhirServer="https://other-ehr.example.org/fhir")
    jwks.get("https://other-ehr.example.org/fhir/Patient/pat-1", json={})

    response = client.post(
        HOOK, json=elsewhere, headers={"Authorization": f"Bearer {issuer.token(aud=SERVICE_URL)}"}
    )

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("fhirServer: ")
    assert not [c for c in jwks.calls if "other-ehr" in (c.request.url or "")]
