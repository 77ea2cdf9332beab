"""Prometheus metrics at /metrics, counted in process (one app, one registry)."""

from __future__ import annotations

import uuid
from dataclasses import replace

import jwt
import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.ops.metrics import HOOK_LATENCY_BUCKETS
from cds_service.settings import Settings
from cds_service.store import store_of
from tests.support.hook_requests import (
    hook_request,
)
from tests.support.issuer import es384_key

from .scrape import SCRAPE_HEADERS, samples, scrape, value

DIFFERENTIAL = "/cds-services/gluteal-pain-differential"
ORDER_SELECT = "/cds-services/gluteal-pain-order-select"


@responses.activate
def test_hook_calls_are_counted_by_service_hook_and_status(client: FlaskClient) -> None:
    for _ in range(3):
        assert client.post(DIFFERENTIAL, json=hook_request()).status_code == 200
    assert client.post(ORDER_SELECT, json=hook_request("order-select")).status_code == 200
    assert client.post(DIFFERENTIAL, json={"hook": "patient-view"}).status_code == 400

    text = scrape(client)

    requests_total = "gluteal_cds_hook_requests_total"
    differential = {"service": "gluteal-pain-differential", "hook": "patient-view"}
    assert value(text, requests_total, **differential, status="200") == 3
    assert value(text, requests_total, **differential, status="400") == 1
    assert value(text, requests_total, service="gluteal-pain-order-select", status="200") == 1
    assert value(text, "gluteal_cds_hook_latency_seconds_count", **differential) == 4


@responses.activate
def test_latency_buckets_suit_a_500_ms_budget(client: FlaskClient) -> None:
    client.post(DIFFERENTIAL, json=hook_request())

    text = scrape(client)

    # The buckets an operator alerts on are exposed (the call's own time is not asserted:
    # speed is measured by bench/, and a cold or shared CI machine may take over 500 ms).
    exposed = {
        dict(labels)["le"]
        for (name, labels) in samples(text)
        if name == "gluteal_cds_hook_latency_seconds_bucket"
    }
    assert {0.1, 0.5, 1.0} <= set(HOOK_LATENCY_BUCKETS)
    assert {"0.1", "0.5", "1.0", "+Inf"} <= exposed
    assert value(text, "gluteal_cds_hook_latency_seconds_count") == 1


@responses.activate
def test_cards_are_counted_by_topic(client: FlaskClient) -> None:
    body = client.post(DIFFERENTIAL, json=hook_request()).get_json()
    topics = [card["source"]["topic"]["code"] for card in body["cards"]]

    text = scrape(client)

    assert topics
    for topic in set(topics):
        assert value(text, "gluteal_cds_cards_total", topic=topic) == topics.count(topic)
    assert value(text, "gluteal_cds_cards_total") == len(topics)


@responses.activate
def test_each_app_counts_on_its_own(client: FlaskClient, settings: Settings) -> None:
    # Tests build many apps in one process: each has its own registry, no clash.
    client.post(DIFFERENTIAL, json=hook_request())
    other = create_app(settings).test_client()

    assert value(scrape(client), "gluteal_cds_hook_requests_total") == 1
    assert value(scrape(other), "gluteal_cds_hook_requests_total") == 0


def test_jwt_rejections_are_counted_by_reason(settings: Settings) -> None:
    issuers = {"https://ehr.example.org": "https://ehr.example.org/jwks.json"}
    client = create_app(
        replace(
            settings,
            trusted_issuers=issuers,
            public_base_url="https://cds.example.org",
            patient_hash_salt="a-long-random-secret",
        )
    ).test_client()
    for headers in ({}, {}, {"Authorization": "Bearer not-a-jwt"}):
        assert client.post(DIFFERENTIAL, json=hook_request(), headers=headers).status_code == 401

    text = scrape(client)

    assert value(text, "gluteal_cds_jwt_rejections_total", reason="missing-token") == 2
    assert value(text, "gluteal_cds_jwt_rejections_total", reason="invalid-token") == 1
    assert "not-a-jwt" not in text


def test_stored_feedback_is_counted_by_outcome(client: FlaskClient) -> None:
    stamp = "2026-11-20T15:00:00Z"
    overridden = {"card": str(uuid.uuid4()), "outcome": "overridden", "outcomeTimestamp": stamp}
    accepted = overridden | {
        "outcome": "accepted",
        "acceptedSuggestions": [{"id": str(uuid.uuid4())}],
    }
    url = f"{DIFFERENTIAL}/feedback"
    assert (
        client.post(url, json={"feedback": [overridden, accepted, overridden]}).status_code == 200
    )
    assert client.post(url, json={"feedback": [{"outcome": "accepted"}]}).status_code == 400

    text = scrape(client)

    feedback = "gluteal_cds_feedback_total"
    assert value(text, feedback, service="gluteal-pain-differential", outcome="overridden") == 2
    assert value(text, feedback, outcome="accepted") == 1


def test_an_odd_method_does_not_become_a_label(client: FlaskClient) -> None:
    client.open("/healthz", method="BREW")

    text = scrape(client)

    assert value(text, "gluteal_cds_http_responses_total", method="other", status="405") == 1
    assert "BREW" not in text


def test_metrics_need_the_scrape_token(settings: Settings) -> None:
    client = create_app(settings).test_client()
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"] == "Bearer"
    assert "gluteal_cds" not in wrong.get_data(as_text=True)
    odd = client.get("/metrics", headers={"Authorization": "Bearer é"})
    assert odd.status_code == 401  # never a 500

    off = create_app(replace(settings, metrics_token=None)).test_client()
    refused = off.get("/metrics", headers=SCRAPE_HEADERS)
    assert refused.status_code == 403
    assert "GLUTEAL_CDS_METRICS_TOKEN" in refused.get_json()["error"]


def test_forged_tokens_cannot_list_issuers_or_key_ids(settings: Settings) -> None:
    """Issue 24: counts by reason told a trusted issuer (unknown key) from another one."""
    trusted = "https://ehr.example.org"
    client = create_app(
        replace(
            settings,
            trusted_issuers={trusted: "https://ehr.example.org/jwks.json"},
            public_base_url="https://cds.example.org",
            patient_hash_salt="a-long-random-secret",
        )
    ).test_client()
    key = es384_key("guess")
    forged = {
        issuer: jwt.encode(
            {"iss": issuer, "aud": "x", "iat": 1, "exp": 2, "jti": "j"},
            key.private,
            algorithm="ES384",
            headers={"kid": "guess"},
        )
        for issuer in (trusted, "https://not-trusted.example.org")
    }
    scrapes = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get("https://ehr.example.org/jwks.json", json={"keys": []})
        for token in forged.values():
            headers = {"Authorization": f"Bearer {token}"}
            assert (
                client.post(DIFFERENTIAL, json=hook_request(), headers=headers).status_code == 401
            )
            text = scrape(client)
            scrapes.append(
                {
                    labels: count
                    for (name, labels), count in samples(text).items()
                    if name == "gluteal_cds_jwt_rejections_total"
                }
            )
    # Both refusals look the same: one more "invalid-token", nothing else.
    assert value_of(scrapes[0]) == {"invalid-token": 1.0}
    assert value_of(scrapes[1]) == {"invalid-token": 2.0}


def value_of(counts: dict[frozenset[tuple[str, str]], float]) -> dict[str, float]:
    return {dict(labels)["reason"]: count for labels, count in counts.items() if count}


def test_shown_card_drops_are_counted_by_reason(client: FlaskClient) -> None:
    store = store_of(client.application)
    for listener in store.drop_listeners:
        listener("queue-full", 3)
        listener("unavailable", 2)

    text = scrape(client)

    assert value(text, "gluteal_cds_shown_cards_dropped_total", reason="queue-full") == 3
    assert value(text, "gluteal_cds_shown_cards_dropped_total", reason="unavailable") == 2
