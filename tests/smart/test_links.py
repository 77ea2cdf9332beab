"""The card's SMART link appears only when configured."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from flask.testing import FlaskClient

from cards import SmartLink, render_cards
from cds_service.app import create_app
from cds_service.settings import Settings
from differential import Presentation, evaluate, load_knowledge_base
from tests.support.cds_rules import assert_valid_card

BASE = "https://cds.example.org"


def _differential_card(**options: Any) -> dict[str, Any]:
    kb = load_knowledge_base()
    differential = evaluate(kb, Presentation(findings={"buttock-pain": True}))
    cards = [c.to_json() for c in render_cards(differential, knowledge_url=BASE, **options)]
    return next(c for c in cards if c["source"]["topic"]["code"] == "differential")


def test_the_differential_card_links_to_the_app_with_a_small_hint() -> None:
    link = SmartLink(f"{BASE}/smart/launch", hook_instance="h-1", complaint_only=True)
    card = _differential_card(smart_link=link)
    [smart] = [item for item in card["links"] if item["type"] == "smart"]
    assert smart["url"] == f"{BASE}/smart/launch"
    hint = json.loads(smart["appContext"])
    assert set(hint) == {"ask", "hookInstance"}
    assert hint["hookInstance"] == "h-1"
    assert hint["ask"]
    assert card["summary"].startswith("Only the complaint is recorded")
    assert_valid_card(card)


def test_no_smart_link_without_smart() -> None:
    card = _differential_card()
    assert all(item["type"] != "smart" for item in card["links"])


def _hook(client: FlaskClient) -> dict[str, Any]:
    observation = {
        "resourceType": "Observation",
        "id": "o-1",
        "status": "final",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
        "subject": {"reference": "Patient/p-1"},
        "effectiveDateTime": "2026-11-19T10:00:00Z",
    }
    body = {
        "hookInstance": "h-1",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/1", "patientId": "p-1"},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "p-1"},
            "observations": {
                "resourceType": "Bundle",
                "type": "searchset",
                "entry": [{"resource": observation}],
            },
            "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": []},
        },
    }
    response = client.post("/cds-services/gluteal-pain-differential", json=body)
    assert response.status_code == 200
    answer: dict[str, Any] = response.get_json()
    return next(c for c in answer["cards"] if c["source"]["topic"]["code"] == "differential")


def test_the_hook_links_the_app_only_when_a_client_id_is_set(settings: Settings) -> None:
    plain = create_app(settings).test_client()
    assert all(link["type"] != "smart" for link in _hook(plain)["links"])
    configured = replace(settings, smart_client_id="app", public_base_url=BASE)
    card = _hook(create_app(configured).test_client())
    [smart] = [link for link in card["links"] if link["type"] == "smart"]
    assert smart["url"] == f"{BASE}/smart/launch"
    assert json.loads(smart["appContext"])["hookInstance"] == "h-1"


def test_with_findings_beyond_the_complaint_the_summary_is_the_usual_one() -> None:
    card = _differential_card(smart_link=SmartLink(f"{BASE}/smart/launch"))
    assert not card["summary"].startswith("Only the complaint is recorded")
    assert any(item["type"] == "smart" for item in card["links"])
