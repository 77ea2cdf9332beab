"""The bedside app's link: ``autolaunchable`` (CDS Hooks 3.0) only when asked for and when
only the complaint is recorded (issue 26)."""

from __future__ import annotations

from typing import Any

import pytest

from cards import SmartLink, render_cards
from cards.model import Link, LinkType
from differential import Presentation, evaluate, load_knowledge_base
from tests.support.cds_rules import assert_valid_card

LAUNCH = "https://cds.example.org/smart/launch"


def _smart_link(findings: dict[str, bool], link: SmartLink) -> dict[str, Any]:
    kb = load_knowledge_base()
    differential = evaluate(kb, Presentation(findings=findings))
    cards = [c.to_json() for c in render_cards(differential, knowledge_url=LAUNCH, smart_link=link)]
    card = next(c for c in cards if c["source"]["topic"]["code"] == "differential")
    assert_valid_card(card)
    [smart] = [item for item in card["links"] if item["type"] == "smart"]
    assert isinstance(smart, dict)
    return smart


def test_the_link_is_autolaunchable_only_when_asked_and_only_the_complaint_is_known() -> None:
    complaint = {"buttock-pain": True}
    more = {"buttock-pain": True, "sits-bone-pain": True}

    asked = SmartLink(LAUNCH, complaint_only=True, autolaunchable=True)
    assert _smart_link(complaint, asked)["autolaunchable"] is True
    assert "autolaunchable" not in _smart_link(complaint, SmartLink(LAUNCH, complaint_only=True))
    assert "autolaunchable" not in _smart_link(more, SmartLink(LAUNCH, autolaunchable=True))


def test_only_a_smart_link_may_be_autolaunchable() -> None:
    with pytest.raises(ValueError, match="autolaunchable"):
        Link(label="x", url=LAUNCH, type=LinkType.ABSOLUTE, autolaunchable=True)


def test_a_next_test_card_that_asks_how_long_links_to_the_bedside_app() -> None:
    kb = load_knowledge_base()
    radicular = {"buttock-pain": True, "pain-radiates-below-knee": True}
    for findings, linked in (
        (radicular, True),
        (radicular | {"symptoms-over-6-weeks": True}, False),
    ):
        differential = evaluate(kb, Presentation(findings=findings))
        cards = [
            c.to_json()
            for c in render_cards(differential, knowledge_url=LAUNCH, smart_link=SmartLink(LAUNCH))
        ]
        card = next(c for c in cards if c["source"]["topic"]["code"] == "next-test")
        assert_valid_card(card)
        assert ("How long" in card["detail"]) is linked
        smart = [item for item in card["links"] if item["type"] == "smart"]
        assert bool(smart) is linked
        assert all("autolaunchable" not in item for item in smart)
