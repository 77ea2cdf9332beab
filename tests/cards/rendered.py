"""Cards rendered as the JSON a CDS client receives, and picked out by topic, for the tests."""

from __future__ import annotations

from typing import Any

from cards import render_cards
from differential.model import Differential
from tests.support.cds_rules import topic

BASE = "https://cds.example.org"
EXTENSION = "https://gluteal-cds.org/cds-hooks/differential"


def render(differential: Differential, **options: Any) -> list[dict[str, Any]]:
    """The patient-view cards of ``differential`` as JSON (knowledge pages under BASE)."""
    options.setdefault("knowledge_url", BASE)
    return [card.to_json() for card in render_cards(differential, **options)]


def by_topic(cards: list[dict[str, Any]], wanted: str) -> list[dict[str, Any]]:
    """The cards of one topic, in their order."""
    return [card for card in cards if topic(card) == wanted]


def extension(cards: list[dict[str, Any]]) -> dict[str, Any]:
    """The contract's differential extension, from the one differential card."""
    [card] = by_topic(cards, "differential")
    value: dict[str, Any] = card["extension"][EXTENSION]
    return value
