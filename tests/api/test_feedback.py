"""POST /cds-services/<id>/feedback, as an EHR (or the public sandbox) sends it; stored
in SQLite and in PostgreSQL (:mod:`tests.support.databases`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from cds_service.settings import Settings
from cds_service.store import store_of
from cds_service.store.models import FeedbackEntry
from tests.support.clock import FakeClock
from tests.support.paths import CDS_HOOKS

SPEC = CDS_HOOKS / "spec-2.0.1"
URL = "/cds-services/gluteal-pain-differential/feedback"
CARD = "9368d37b-283f-44a0-93ea-547cebab93ed"


def spec_example(name: str) -> dict[str, Any]:
    example: dict[str, Any] = json.loads((SPEC / name).read_text())
    return example


def stored(app: Flask) -> list[FeedbackEntry]:
    with store_of(app).session() as session:
        return list(session.scalars(select(FeedbackEntry).order_by(FeedbackEntry.id)))


def entry(**fields: Any) -> dict[str, Any]:
    base = {"card": CARD, "outcome": "overridden", "outcomeTimestamp": "2025-11-25T08:00:00Z"}
    return {**base, **fields}


@pytest.fixture
def settings(database_settings: Settings) -> Settings:
    """The app stores feedback in the test database."""
    return database_settings


@pytest.fixture
def clock() -> FakeClock:
    """The store's clock: the feedback below was given an hour before."""
    return FakeClock()


@pytest.fixture
def app(make_app: Callable[[], Flask]) -> Flask:
    return make_app()


def test_accepted_feedback_is_stored(app: Flask) -> None:
    response = app.test_client().post(URL, json=spec_example("feedback-accepted.json"))

    assert response.status_code == 200
    assert response.get_json() == {}
    [row] = stored(app)
    assert (row.card_uuid, row.outcome) == ("4e0a3a1e-3283-4575-ab82-028d55fe2719", "accepted")
    assert row.accepted_suggestions == ["e56e1945-20b3-4393-8503-a1a20fd73152"]
    assert row.service_id == "gluteal-pain-differential"
    assert row.outcome_timestamp.isoformat() == "2021-12-11T10:05:31+00:00"


def test_sandbox_dismissal_with_code_and_system_only_is_stored(app: Flask) -> None:
    body = spec_example("feedback-overridden-with-reason.json")

    response = app.test_client().post(URL, json=body)

    assert response.status_code == 200
    [row] = stored(app)
    assert row.outcome == "overridden"
    assert row.override_reason_code == "d7ecf885"
    assert row.override_reason_system == "https://example.com/cds-hooks/override-reason-system"
    assert row.override_reason_display is None
    assert row.user_comment == "A comment entered by the clinician."


def test_override_without_reason_is_stored(app: Flask) -> None:
    response = app.test_client().post(URL, json=spec_example("feedback-overridden.json"))

    assert response.status_code == 200
    assert [row.override_reason_code for row in stored(app)] == [None]


@pytest.mark.parametrize(
    ("bad_entry", "message"),
    [
        (entry(outcome="ignored"), "feedback[2].outcome: "),
        (entry(outcome="accepted"), "feedback[2].acceptedSuggestions: required"),
        (entry(acceptedSuggestions=[{"id": CARD}]), "feedback[2].acceptedSuggestions: allowed"),
        (
            entry(outcome="accepted", acceptedSuggestions=[{"id": CARD}], overrideReason={}),
            "feedback[2].overrideReason: allowed only",
        ),
        (entry(card="c" * 65), "feedback[2].card: "),  # longer than any card id of ours
        (entry(outcomeTimestamp=1764057600), "feedback[2].outcomeTimestamp: must be an ISO 8601"),
        (entry(outcomeTimestamp="yesterday"), "feedback[2].outcomeTimestamp: "),
        ({"card": CARD, "outcome": "overridden"}, "feedback[2].outcomeTimestamp: Field required"),
        (
            entry(overrideReason={"reason": {"system": "https://example.org"}}),
            "feedback[2].overrideReason.reason.code: Field required",
        ),
    ],
)
def test_an_invalid_entry_rejects_the_whole_request(
    app: Flask, bad_entry: dict[str, Any], message: str
) -> None:
    body = {"feedback": [entry(), entry(), bad_entry]}

    response = app.test_client().post(URL, json=body)

    assert response.status_code == 400
    assert response.get_json()["error"].startswith(message)
    assert stored(app) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "body: not valid JSON"),
        (b"", "body: not valid JSON"),
        (b"[]", "body: "),
        (b'{"feedback": {}}', "feedback: "),
        (b"{}", "feedback: Field required"),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_400(client: FlaskClient, data: bytes, message: str) -> None:
    response = client.post(URL, data=data, content_type="application/json")

    assert response.status_code == 400
    assert response.get_json()["error"].startswith(message)


def test_unknown_service_is_a_404_and_stores_nothing(app: Flask) -> None:
    body = spec_example("feedback-accepted.json")

    response = app.test_client().post("/cds-services/no-such-service/feedback", json=body)

    assert response.status_code == 404
    assert "error" in response.get_json()
    assert stored(app) == []


def test_feedback_survives_a_restart(make_app: Callable[[], Flask]) -> None:
    first = make_app()
    first.test_client().post(URL, json=spec_example("feedback-accepted.json"))
    store_of(first).close()

    restarted = make_app()

    assert [row.outcome for row in stored(restarted)] == ["accepted"]


def test_sandbox_url_with_double_slash_is_accepted(app: Flask) -> None:
    body = spec_example("feedback-overridden.json")

    response = app.test_client().post(URL.replace("/gluteal", "//gluteal"), json=body)

    assert response.status_code == 200
    assert len(stored(app)) == 1


def test_card_and_suggestion_ids_are_any_string(app: Flask) -> None:
    """Issue 26: CDS Hooks types them as strings; ids that are not UUIDs were refused."""
    body = {
        "feedback": [
            entry(card="card-7", outcome="accepted", acceptedSuggestions=[{"id": "order-mri"}])
        ]
    }
    response = app.test_client().post(URL, json=body)

    assert response.status_code == 200, response.get_json()
    with store_of(app).session() as session:
        stored = session.scalars(select(FeedbackEntry)).one()
    assert (stored.card_uuid, stored.accepted_suggestions) == ("card-7", ["order-mri"])


def test_an_empty_accepted_suggestions_list_says_it_is_empty(app: Flask) -> None:
    body = {"feedback": [entry(outcome="accepted", acceptedSuggestions=[])]}
    response = app.test_client().post(URL, json=body)

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error.startswith("feedback[0].acceptedSuggestions: is empty")
    assert "required" not in error
