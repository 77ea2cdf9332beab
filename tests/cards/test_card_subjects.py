"""What each rendered card was about, as stored with it for the feedback report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from cards import render_cards, render_order_card
from cards.card_subjects import card_subjects
from differential import evaluate, load_knowledge_base
from differential.model import Differential, Presentation

PRESENTATIONS = {
    "sciatica-like": {"buttock-pain": True, "pain-radiates-below-knee": True},
    "sits-bone": {
        "sits-bone-pain": True,
        "pain-worse-sitting": True,
        "pain-worse-uphill-or-speed": True,
    },
    "lateral-hip": {"lateral-hip-pain": True, "night-pain-lying-on-side": True},
    "stress-fracture": {
        "buttock-pain": True,
        "groin-pain": True,
        "pain-on-impact": True,
        "prior-stress-fracture": True,
        "unable-to-bear-weight": True,
        "fever": True,
    },
}


@pytest.fixture(scope="module", params=sorted(PRESENTATIONS))
def rendered(request: pytest.FixtureRequest) -> tuple[Differential, list[Mapping[str, Any]]]:
    findings = PRESENTATIONS[request.param]
    differential = evaluate(load_knowledge_base(), Presentation(findings=findings, sex="female"))
    cards = render_cards(differential, knowledge_url="https://cds.example.org", patient_id="p-1")
    return differential, [card.to_json() for card in cards]


def test_every_card_keeps_its_topic(rendered: tuple[Differential, list[Mapping[str, Any]]]) -> None:
    _, cards = rendered

    for card in cards:
        assert card_subjects(card).topic == card["source"]["topic"]["code"]


def test_next_test_card_is_about_the_tests_it_names(
    rendered: tuple[Differential, list[Mapping[str, Any]]],
) -> None:
    differential, cards = rendered
    ranked = [advice.code for advice in differential.next_tests]

    for card in (c for c in cards if c["source"]["topic"]["code"] == "next-test"):
        tests = list(card_subjects(card).tests)
        assert tests
        assert tests == ranked[: len(tests)]  # the most useful first, as the card lists them
        names = {a.code: a.name for a in differential.next_tests}
        detail = card["detail"].replace("\\", "")  # undo Markdown escaping
        assert all(names[code] in detail for code in tests)


def test_the_avoid_test_card_is_about_every_test_it_lists(
    rendered: tuple[Differential, list[Mapping[str, Any]]],
) -> None:
    differential, cards = rendered
    avoid_cards = [c for c in cards if c["source"]["topic"]["code"] == "avoid-test"]

    tests = [list(card_subjects(card).tests) for card in avoid_cards]

    assert len(avoid_cards) <= 1  # one card per topic
    assert tests == ([[a.code for a in differential.avoid_tests]] if avoid_cards else [])


def test_the_caution_card_is_about_every_condition_it_cautions_for(
    rendered: tuple[Differential, list[Mapping[str, Any]]],
) -> None:
    differential, cards = rendered
    caution_cards = [c for c in cards if c["source"]["topic"]["code"] == "treatment-caution"]

    conditions = [set(card_subjects(card).conditions) for card in caution_cards]

    assert len(caution_cards) <= 1  # one card per topic
    wanted = {caution.condition for caution in differential.cautions}
    assert conditions == ([wanted] if wanted else [])


def test_differential_card_is_about_the_conditions_still_standing(
    rendered: tuple[Differential, list[Mapping[str, Any]]],
) -> None:
    differential, cards = rendered
    standing = {c.code for c in differential.candidates if c.status != "unlikely"}

    for card in (c for c in cards if c["source"]["topic"]["code"] == "differential"):
        assert set(card_subjects(card).conditions) == standing


def test_red_flag_cards_name_the_fracture_only_on_its_own_card(
    rendered: tuple[Differential, list[Mapping[str, Any]]],
) -> None:
    differential, cards = rendered
    flags = [c for c in cards if c["source"]["topic"]["code"] == "red-flag"]

    marked = [card for card in flags if card_subjects(card).conditions]

    fracture = any(flag.code == "hip-stress-fracture" for flag in differential.red_flags)
    assert len(marked) == (1 if fracture else 0)


def test_subjects_carry_the_knowledge_version(
    rendered: tuple[Differential, list[Mapping[str, Any]]],
) -> None:
    differential, cards = rendered

    assert {card_subjects(card).knowledge_version for card in cards} == {
        differential.knowledge_version
    }


def test_subjects_are_not_guessed_from_the_text() -> None:
    # The subject comes from the extension: a card naming a test in words but not in its
    # extension is about no test.
    card = {
        "summary": "Next: MRI lumbar spine without contrast",
        "detail": "mri-lumbar-spine",
        "source": {"topic": {"code": "next-test"}},
    }

    assert card_subjects(card) == card_subjects({**card, "extension": {}})
    assert card_subjects(card).tests == ()
    assert card_subjects(card).topic == "next-test"


def test_order_card_is_about_the_drafted_and_the_useful_test() -> None:
    findings = {"buttock-pain": True, "pain-radiates-below-knee": True}
    differential = evaluate(load_knowledge_base(), Presentation(findings=findings))
    card = render_order_card(
        "xr-1",
        differential.ratings["xray-hip-pelvis"],
        differential,
        patient_id="p-1",
        knowledge_url="https://cds.example.org",
    ).to_json()

    subjects = card_subjects(card)

    assert subjects.tests == ("xray-hip-pelvis", "mri-lumbar-spine")
    assert "lumbar-disc-sciatica" in subjects.conditions
