"""Caller authentication (contract section 6) with real keys and a JWKS served by responses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from flask import Flask

from cds_service.auth.caller import Rejection
from cds_service.runtime import runtime
from tests.support.callers import FEEDBACK, FEEDBACK_BODY, HOOK, assert_refused, call
from tests.support.clock import FakeClock
from tests.support.hook_requests import hook_request
from tests.support.issuer import (
    FEEDBACK_URL,
    ISSUER,
    JWKS_URL,
    SERVICE_URL,
    Issuer,
    SigningKey,
    es384_key,
    jwks_fetches,
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(signature)}"


def claims_of(issuer: Issuer) -> dict[str, Any]:
    now = int(issuer.clock().timestamp())
    return {"iss": ISSUER, "aud": FEEDBACK_URL, "iat": now, "exp": now + 300, "jti": "j-1"}


@pytest.mark.parametrize("key_fixture", ["es_key", "rs_key"])
def test_valid_token_is_accepted_on_every_route(
    app: Flask,
    issuer: Issuer,
    jwks: responses.RequestsMock,
    key_fixture: str,
    request: pytest.FixtureRequest,
) -> None:
    key: SigningKey = request.getfixturevalue(key_fixture)
    client = app.test_client()

    def bearer(audience: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issuer.token(key, aud=audience)}"}

    discovery = client.get("/cds-services", headers=bearer("http://localhost/cds-services"))
    hook = client.post(HOOK, json=hook_request(), headers=bearer(SERVICE_URL))
    feedback = client.post(FEEDBACK, json=FEEDBACK_BODY, headers=bearer(FEEDBACK_URL))

    assert [discovery.status_code, hook.status_code, feedback.status_code] == [200, 200, 200]
    assert jwks_fetches(jwks) == 1  # cached after the first call


def test_missing_or_non_bearer_authorization_is_refused(app: Flask) -> None:
    assert_refused(call(app, None))
    assert_refused(app.test_client().get("/cds-services"))
    assert_refused(
        app.test_client().post(
            FEEDBACK, json=FEEDBACK_BODY, headers={"Authorization": "Basic dXNlcjpwdw=="}
        )
    )
    assert_refused(call(app, ""))


@pytest.mark.parametrize(
    "token", ["abc", "not.a.jwt", "a.b.c.d", "eyJhbGciOiJFUzM4NCJ9.e30", "ey.ey.ey", "Ünïcödé"]
)
def test_malformed_token_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, token: str
) -> None:
    assert_refused(call(app, issuer.remember(token)))


def test_expired_token_is_refused(app: Flask, issuer: Issuer, jwks: responses.RequestsMock) -> None:
    token = issuer.token()
    issuer.clock.advance(300 + 31)  # past exp and the 30 s leeway

    assert_refused(call(app, token))


def test_token_expired_within_the_leeway_is_accepted(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    token = issuer.token()
    issuer.clock.advance(300 + 20)

    assert call(app, token).status_code == 200


def test_token_issued_in_the_future_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    now = int(issuer.clock().timestamp())

    assert_refused(call(app, issuer.token(iat=now + 120, exp=now + 420)))


@pytest.mark.parametrize(
    "audience",
    [
        "https://attacker.example/cds-services/gluteal-pain-differential/feedback",
        "http://localhost/cds-services/gluteal-pain-order-sign/feedback",
        SERVICE_URL,  # the hook, not its feedback endpoint
        "http://localhost/cds-services",
    ],
)
def test_token_for_another_url_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, audience: str
) -> None:
    assert_refused(call(app, issuer.token(aud=audience)))


def test_audience_ignores_the_query_string(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    assert call(app, issuer.token(), path=f"{FEEDBACK}?x=1").status_code == 200


def test_audience_uses_the_public_base_url_behind_a_proxy(
    make_app: Callable[..., Flask], issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    app = make_app(public_base_url="https://cds.example.org")
    public = "https://cds.example.org/cds-services/gluteal-pain-differential/feedback"

    assert call(app, issuer.token(aud=public)).status_code == 200
    assert_refused(call(app, issuer.token()))  # the internal URL is not what the EHR called


def test_untrusted_issuer_is_refused_without_fetching_keys(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    assert_refused(call(app, issuer.token(iss="https://evil.example")))
    assert jwks_fetches(jwks) == 0


def test_signature_by_another_key_with_a_known_kid_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, es_key: SigningKey
) -> None:
    impostor = es384_key(kid=es_key.kid)

    assert_refused(call(app, issuer.token(impostor)))


def test_key_of_the_wrong_type_for_the_algorithm_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, rs_key: SigningKey
) -> None:
    es_signed_with_rs_kid = issuer.token(headers={"kid": rs_key.kid})

    assert_refused(call(app, es_signed_with_rs_kid))


def test_unknown_kid_refetches_the_jwks_at_a_bounded_rate(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, clock: FakeClock
) -> None:
    stranger = es384_key(kid="never-published")
    assert call(app, issuer.token()).status_code == 200
    assert jwks_fetches(jwks) == 1

    for _ in range(5):
        assert_refused(call(app, issuer.token(stranger)))
    assert jwks_fetches(jwks) == 1  # a forged kid cannot make us hammer the issuer

    clock.advance(61)
    assert_refused(call(app, issuer.token(stranger)))
    assert jwks_fetches(jwks) == 2  # the issuer may have rotated its keys: look again, once
    assert_refused(call(app, issuer.token(stranger)))
    assert jwks_fetches(jwks) == 2


def test_rotated_key_is_picked_up(
    app: Flask,
    issuer: Issuer,
    jwks: responses.RequestsMock,
    clock: FakeClock,
    es_key: SigningKey,
) -> None:
    assert call(app, issuer.token()).status_code == 200
    rotated = es384_key(kid="es-2")
    jwks.replace(responses.GET, JWKS_URL, json={"keys": [es_key.jwk, rotated.jwk]})
    clock.advance(61)

    assert call(app, issuer.token(rotated)).status_code == 200


def test_jwks_outage_refuses_without_error(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    jwks.replace(responses.GET, JWKS_URL, status=503)

    assert_refused(call(app, issuer.token()))


def test_foreign_jku_is_refused_and_never_fetched(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    foreign = "https://attacker.example/jwks.json"
    attacker = es384_key(kid="attacker")
    fetched_foreign = jwks.get(foreign, json={"keys": [attacker.jwk]})

    assert_refused(call(app, issuer.token(attacker, headers={"jku": foreign})))
    assert fetched_foreign.call_count == 0
    assert jwks_fetches(jwks) == 0


def test_token_without_jku_is_accepted(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    assert call(app, issuer.token(jku=None)).status_code == 200


def test_replayed_jti_is_refused(app: Flask, issuer: Issuer, jwks: responses.RequestsMock) -> None:
    token = issuer.token()

    assert call(app, token).status_code == 200
    assert_refused(call(app, token))


def test_replay_is_refused_by_another_worker(
    make_app: Callable[..., Flask], issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    token = issuer.token()
    worker_a, worker_b = make_app(), make_app()  # same database, separate processes' state

    assert call(worker_a, token).status_code == 200
    assert_refused(call(worker_b, token))


@pytest.mark.parametrize("claim", ["exp", "iat", "jti", "aud", "iss"])
def test_token_missing_a_required_claim_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, claim: str
) -> None:
    assert_refused(call(app, issuer.token(drop=(claim,))))


def test_alg_none_is_refused_before_any_key_lookup(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    token = issuer.remember(unsigned({"alg": "none", "kid": "es-1"}, claims_of(issuer)))

    assert_refused(call(app, token))
    assert jwks_fetches(jwks) == 0


def test_hs256_signed_with_the_public_key_is_refused(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, rs_key: SigningKey
) -> None:
    # The classic confusion attack: HMAC keyed with the issuer's public key, which anyone has.
    public_pem = rs_key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head = b64(json.dumps({"alg": "HS256", "kid": rs_key.kid, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims_of(issuer)).encode())
    mac = hmac.new(public_pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
    token = issuer.remember(f"{head}.{body}.{b64(mac)}")

    assert_refused(call(app, token))
    assert jwks_fetches(jwks) == 0


def test_options_preflight_needs_no_token(app: Flask) -> None:
    response = app.test_client().options(
        HOOK,
        headers={
            "Origin": "https://sandbox.cds-hooks.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )

    assert response.status_code == 200
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()


def test_refusal_carries_cors_headers(app: Flask) -> None:
    response = app.test_client().get(
        "/cds-services", headers={"Origin": "https://sandbox.cds-hooks.org"}
    )

    assert_refused(response)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_routes_outside_cds_services_need_no_token(app: Flask) -> None:
    assert app.test_client().get("/healthz").status_code == 200


def test_authentication_is_off_without_trusted_issuers(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(trusted_issuers={})

    assert call(app, None).status_code == 200


def test_refusal_reason_is_logged(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock, caplog: pytest.LogCaptureFixture
) -> None:
    token = issuer.token()
    issuer.clock.advance(3600)

    call(app, token)

    assert Rejection.EXPIRED.value in caplog.text


def test_rejections_are_told_to_listeners(
    app: Flask, issuer: Issuer, jwks: responses.RequestsMock
) -> None:
    seen: list[str] = []  # a rejection code (a Rejection, a str)
    runtime(app).rejection_listeners[:] = [seen.append]
    token = issuer.token()

    call(app, token)
    call(app, token)
    call(app, None)

    assert seen == [Rejection.REPLAYED, Rejection.MISSING_TOKEN]
