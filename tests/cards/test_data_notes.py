"""Cards say when the data behind them was incomplete, without changing their summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cards import Card, render_cards
from tests.cards import pictures
from tests.support.cds_rules import assert_valid_card, topic

BASE = "https://cds.example.org"


def _differential_card(notes: Sequence[str] = ()) -> dict[str, Any]:
    cards = render_cards(pictures.sciatica_leading(), knowledge_url=BASE, data_notes=notes)
    [card] = [c.to_json() for c in cards if topic(c.to_json()) == "differential"]
    return card


def test_notes_add_a_data_incomplete_section_and_keep_the_summary() -> None:
    plain = _differential_card()
    noted = _differential_card(["the Observation search ran out of time"])

    assert noted["summary"] == plain["summary"]
    assert "Data incomplete" not in plain["detail"]
    assert noted["detail"].startswith(
        "**Data incomplete:** the Observation search ran out of time."
    )
    assert_valid_card(noted)


def test_several_notes_are_joined_and_escaped() -> None:
    card = _differential_card(["2 resources could not be read", "*bold* [link](x)"])

    detail = card["detail"]
    assert "2 resources could not be read; \\*bold\\* \\[link\\](x)" in detail


def test_other_cards_are_unchanged() -> None:
    plain = render_cards(pictures.sciatica_leading(), knowledge_url=BASE)
    noted = render_cards(pictures.sciatica_leading(), knowledge_url=BASE, data_notes=["note"])

    def others(cards: list[Card]) -> list[str | None]:
        return [c.detail for c in cards if topic(c.to_json()) != "differential"]

    assert others(noted) == others(plain)
    assert others(plain)
