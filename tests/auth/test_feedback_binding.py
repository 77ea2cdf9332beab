"""Issue 24: caller B's forged entry on caller A's card was stored, and A's genuine entry then
got 200 and was discarded. Feedback is now bound to the issuer the card was shown to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses
from flask import Flask
from sqlalchemy import select

from cds_service.store import store_of
from cds_service.store.models import FeedbackEntry
from tests.support.app import AppMaker
from tests.support.hook_requests import hook_request
from tests.support.issuer import (
    FEEDBACK_URL,
    ISSUER,
    JWKS_URL,
    SERVICE_URL,
    Issuer,
    SigningKey,
    es384_key,
)

OTHER = "https://other-ehr.example.org"
OTHER_JWKS = "https://other-ehr.example.org/jwks.json"
HOOK = "/cds-services/gluteal-pain-differential"


@pytest.fixture(scope="module")
def other_key() -> SigningKey:
    return es384_key("other-1")


@pytest.fixture
def jwks(
    es_key: SigningKey, rs_key: SigningKey, other_key: SigningKey
) -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(JWKS_URL, json={"keys": [es_key.jwk, rs_key.jwk]})
        mock.get(OTHER_JWKS, json={"keys": [other_key.jwk]})
        yield mock


@pytest.fixture
def app(make_app: AppMaker) -> Flask:
    return make_app(trusted_issuers={ISSUER: JWKS_URL, OTHER: OTHER_JWKS})


def _feedback(card: str, outcome: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "card": card,
        "outcome": outcome,
        "outcomeTimestamp": "2026-11-20T15:00Z",
    }
    if outcome == "accepted":
        entry["acceptedSuggestions"] = [{"id": "s-1"}]
    return {"feedback": [entry]}


def test_another_callers_feedback_is_refused_and_the_genuine_one_stored(
    app: Flask, jwks: responses.RequestsMock, issuer: Issuer, other_key: SigningKey
) -> None:
    client = app.test_client()

    def bearer(audience: str, *, other: bool = False) -> dict[str, str]:
        if other:
            token = issuer.token(key=other_key, iss=OTHER, aud=audience, jku=None)
        else:
            token = issuer.token(aud=audience)
        return {"Authorization": f"Bearer {token}"}

    shown = client.post(HOOK, json=hook_request(), headers=bearer(SERVICE_URL))
    assert shown.status_code == 200
    card = shown.get_json()["cards"][0]["uuid"]

    forged = client.post(
        f"{HOOK}/feedback",
        json=_feedback(card, "overridden"),
        headers=bearer(FEEDBACK_URL, other=True),
    )
    assert forged.status_code == 403
    assert "feedback[0].card" in forged.get_json()["error"]

    genuine = client.post(
        f"{HOOK}/feedback", json=_feedback(card, "overridden"), headers=bearer(FEEDBACK_URL)
    )
    assert genuine.status_code == 200
    with store_of(app).session() as session:
        stored = session.execute(select(FeedbackEntry.card_uuid, FeedbackEntry.issuer)).all()
    assert [tuple(row) for row in stored] == [(card, ISSUER)]
