"""Every card says, machine-readably, what it is about (beyond the contract).

The feedback store joins clinicians' feedback to these codes, so they must name exactly the
tests and conditions the card is about, and never disturb the contract's own extensions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cards import (
    APPROPRIATENESS_EXTENSION,
    CARD_SUBJECT_EXTENSION,
    DIFFERENTIAL_EXTENSION,
    render_cards,
    render_order_card,
)
from differential.model import Differential, Status
from tests.cards import pictures

BASE = "https://cds.example.org"
PICTURES = [pictures.sciatica_leading, pictures.buttock_undifferentiated, pictures.stress_fracture]


def rendered(picture: Callable[[], Differential]) -> tuple[Differential, list[dict[str, Any]]]:
    differential = picture()
    cards = render_cards(differential, knowledge_url=BASE, patient_id="p-1")
    return differential, [card.to_json() for card in cards]


def subject(card: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = card["extension"][CARD_SUBJECT_EXTENSION]
    return value


def of_topic(cards: list[dict[str, Any]], topic: str) -> list[dict[str, Any]]:
    return [card for card in cards if card["source"]["topic"]["code"] == topic]


@pytest.mark.parametrize("picture", PICTURES)
def test_every_card_has_a_subject_with_its_topic_and_knowledge_version(
    picture: Callable[[], Differential],
) -> None:
    differential, cards = rendered(picture)

    for card in cards:
        assert set(subject(card)) == {"topic", "conditions", "tests", "knowledgeVersion"}
        assert subject(card)["topic"] == card["source"]["topic"]["code"]
        assert subject(card)["knowledgeVersion"] == differential.knowledge_version


@pytest.mark.parametrize("picture", PICTURES)
def test_differential_card_keeps_the_contract_extension_and_names_the_standing(
    picture: Callable[[], Differential],
) -> None:
    differential, cards = rendered(picture)
    (card,) = of_topic(cards, "differential")

    assert set(card["extension"]) == {DIFFERENTIAL_EXTENSION, CARD_SUBJECT_EXTENSION}
    standing = [
        c.code
        for c in sorted(differential.candidates, key=lambda c: c.rank)
        if c.status is not Status.UNLIKELY
    ]
    assert subject(card)["conditions"] == standing
    assert subject(card)["tests"] == []


@pytest.mark.parametrize("picture", PICTURES)
def test_test_cards_name_their_tests_and_the_conditions_they_separate(
    picture: Callable[[], Differential],
) -> None:
    differential, cards = rendered(picture)

    for card in of_topic(cards, "next-test"):
        shown = subject(card)["tests"]
        assert shown == [a.code for a in differential.next_tests[: len(shown)]]
        wanted = {c for a in differential.next_tests if a.code in shown for c in a.conditions}
        assert set(subject(card)["conditions"]) == wanted
    avoided = [subject(card)["tests"] for card in of_topic(cards, "avoid-test")]
    # One avoid card lists every test to avoid (contract: one card per topic).
    assert avoided == (
        [[a.code for a in differential.avoid_tests]] if differential.avoid_tests else []
    )


@pytest.mark.parametrize("picture", PICTURES)
def test_caution_and_red_flag_cards_name_their_condition(
    picture: Callable[[], Differential],
) -> None:
    differential, cards = rendered(picture)

    # One card per topic, naming every condition its cautions or flags are about.
    cautions = [subject(card)["conditions"] for card in of_topic(cards, "treatment-caution")]
    named = list(dict.fromkeys(c.condition for c in differential.cautions))
    assert cautions == ([named] if named else [])
    flags = [subject(card)["conditions"] for card in of_topic(cards, "red-flag")]
    conditions = {c.code for c in differential.candidates}
    flagged = [f.code for f in differential.red_flags if f.code in conditions]
    assert flags == ([flagged] if differential.red_flags else [])


def test_order_card_names_the_drafted_and_the_useful_test() -> None:
    differential = pictures.sciatica_leading()
    rating = pictures.order_rating("xray-hip-pelvis", "mri-lumbar-spine")
    rendered = render_order_card("xr-1", rating, differential, patient_id="p-1", knowledge_url=BASE)
    card = rendered.to_json()

    assert set(card["extension"]) == {APPROPRIATENESS_EXTENSION, CARD_SUBJECT_EXTENSION}
    assert subject(card)["tests"] == ["xray-hip-pelvis", "mri-lumbar-spine"]
    mri = next(a for a in differential.next_tests if a.code == "mri-lumbar-spine")
    assert subject(card)["conditions"] == list(mri.conditions)
