"""The safety cards: red flags first with what to do now, one caution card for every caution."""

from __future__ import annotations

from tests.cards import pictures
from tests.cards.rendered import by_topic, extension, render
from tests.support.cds_rules import topic


def test_one_caution_card_lists_every_caution() -> None:
    cautions = by_topic(render(pictures.buttock_undifferentiated()), "treatment-caution")
    assert [c["summary"] for c in cautions] == [
        "If ischial bursitis: Avoid hamstring stretching on the bursa. (+2 more)",
    ]
    assert "Do not sit on hard surfaces" in cautions[0]["detail"]
    assert "Avoid deep stretching" in cautions[0]["detail"]


def test_red_flags_come_first_and_say_what_to_do_now() -> None:
    cards = render(pictures.stress_fracture(), patient_id="p-1")
    # One red-flag card for every flag raised, first, critical, saying what to do now.
    assert [topic(card) for card in cards[:2]] == ["red-flag", "differential"]
    assert cards[0]["indicator"] == "critical"
    assert "Suspected hip stress fracture" in cards[0]["detail"]
    assert "same-day MRI hip/pelvis" in cards[0]["detail"]
    assert extension(cards)["redFlags"] == ["unable-to-bear-weight", "hip-stress-fracture"]
    [next_test] = by_topic(cards, "next-test")
    resource = next_test["suggestions"][0]["actions"][0]["resource"]
    assert {c["code"] for c in resource["code"]["coding"]} >= {"30687-8", "73721"}
