"""The store wired into the real app: hook calls record their cards, feedback joins them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from cds_service.cli import main
from cds_service.store import store_of
from cds_service.store.models import ShownCard
from tests.support.hook_requests import PATIENT_ID, hook_request

HOOK = "/cds-services/gluteal-pain-differential"


@pytest.fixture
def app(make_app: Callable[[], Flask]) -> Flask:
    return make_app()


def shown(app: Flask) -> list[ShownCard]:
    with store_of(app).session() as session:
        return list(session.scalars(select(ShownCard)))


def test_hook_call_records_the_cards_it_returned(app: Flask) -> None:
    response = app.test_client().post(HOOK, json=hook_request())

    cards = response.get_json()["cards"]
    assert cards
    rows = shown(app)
    assert sorted(r.card_uuid for r in rows) == sorted(c["uuid"] for c in cards)
    assert {r.topic for r in rows} == {c["source"]["topic"]["code"] for c in cards}
    assert {r.patient_hash for r in rows} == {store_of(app).patient_hash(PATIENT_ID)}
    assert PATIENT_ID not in {r.patient_hash for r in rows}


def test_feedback_on_a_returned_card_shows_in_the_report(
    app: Flask, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = app.test_client().post(HOOK, json=hook_request()).get_json()["cards"]
    dismissed = next(c for c in cards if c["source"]["topic"]["code"] == "next-test")
    feedback = {
        "card": dismissed["uuid"],
        "outcome": "overridden",
        "overrideReason": {"reason": {"code": "not-relevant", "system": "https://ehr.example"}},
        "outcomeTimestamp": "2026-11-20T15:01:00Z",
    }
    app.test_client().post(f"{HOOK}/feedback", json={"feedback": [feedback]})
    monkeypatch.setenv("GLUTEAL_CDS_DATABASE_URL", str(store_of(app).engine.url))

    assert main(["feedback-report"]) == 0

    text = capsys.readouterr().out
    row = next(line for line in text.splitlines() if line.strip().startswith("next-test "))
    assert row.split()[-5:-2] == ["1", "0", "1"]
    assert "override reason: not-relevant [https://ehr.example]: 1" in text
