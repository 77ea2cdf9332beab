"""POST /cds-services/<id>: the hook route, its sandbox spelling, the event it tells listeners."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from cds_service.hooks.events import HookCallEvent
from cds_service.runtime import runtime
from tests.support.hook_requests import (
    PATIENT_ID,
    hook_request,
)


def test_sandbox_double_slash_url_is_answered(client: FlaskClient) -> None:
    response = client.post("/cds-services//gluteal-pain-differential", json=hook_request())

    assert response.status_code == 200


URL = "/cds-services/gluteal-pain-differential"


def _record(app: Flask) -> list[HookCallEvent]:
    events: list[HookCallEvent] = []
    runtime(app).hook_listeners.append(events.append)
    return events


def test_listener_hears_each_answer_with_its_cards(app: Flask) -> None:
    events = _record(app)

    response = app.test_client().post(URL, json=hook_request())

    (event,) = events
    assert event.service_id == "gluteal-pain-differential"
    assert event.hook == "patient-view"
    assert event.hook_instance == hook_request()["hookInstance"]
    assert event.patient_id == PATIENT_ID
    assert event.status == 200
    assert [card.to_json() for card in event.cards] == response.get_json()["cards"]
    assert event.differential is not None
    assert event.latency_s > 0


def test_listener_hears_errors_too(app: Flask) -> None:
    events = _record(app)

    app.test_client().post(URL, json=hook_request(prefetch={}))

    (event,) = events
    assert event.status == 412
    assert event.cards == ()
    assert event.differential is None
