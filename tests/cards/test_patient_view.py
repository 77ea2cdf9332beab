"""patient-view cards: the contract's topic table, its extension, links and draft orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from markdown_it import MarkdownIt

from cards import CardsError
from differential.model import Differential, Status
from tests.cards import pictures
from tests.cards.rendered import BASE, by_topic, extension, render
from tests.support.cds_rules import assert_valid_card, topic

TOPIC_ORDER = ["red-flag", "differential", "next-test", "avoid-test", "treatment-caution"]


@pytest.mark.parametrize("make", pictures.PICTURES.values(), ids=list(pictures.PICTURES))
@pytest.mark.parametrize("patient_id", [None, "p-1"])
def test_every_card_follows_cds_hooks_rules(
    make: Callable[[], Differential], patient_id: str | None
) -> None:
    cards = render(make(), patient_id=patient_id)
    assert cards
    for card in cards:
        assert_valid_card(card)
    topics = [topic(card) for card in cards]
    assert topics == sorted(topics, key=TOPIC_ORDER.index)
    assert topics.count("differential") == 1


def test_inactive_differential_gives_no_cards() -> None:
    assert render(pictures.inactive()) == []


def test_active_differential_without_candidates_is_an_error() -> None:
    with pytest.raises(CardsError, match="candidates"):
        render(Differential(knowledge_version="1.0.0", active=True))


def test_sciatica_picture_shows_conclusion_next_test_and_avoid_test() -> None:
    cards = render(pictures.sciatica_leading(), patient_id="p-1")
    assert [topic(card) for card in cards] == ["differential", "next-test", "avoid-test"]
    differential, next_test, avoid = cards
    assert differential["summary"] == (
        "Most likely: lumbar disc sciatica; possible: piriformis syndrome"
    )
    assert next_test["summary"].startswith("Next: MRI lumbar spine without contrast")
    # The rule's own reason for this picture: no stress-fracture sentence on sciatica.
    assert "stress fracture" not in avoid["summary"]
    assert avoid["summary"].startswith("Avoid X-ray of hip or pelvis")
    assert avoid["indicator"] == "info"  # nobody has ordered it yet


def test_differential_detail_gives_reasons_unknowns_sources_and_unknown_not_absent() -> None:
    [card] = by_topic(render(pictures.sciatica_leading()), "differential")
    detail = card["detail"]
    assert "pain radiating past the knee" in detail
    assert "trigger points in gluteus medius — absent" in detail
    assert "leg numbness" in detail  # most informative unknown
    assert pictures.CITATION.split(",")[0] in detail
    assert "unknown, not as absent" in detail
    assert detail.index("Most likely") < detail.index("Possible") < detail.index("Unlikely")


def test_cards_link_to_the_knowledge_page_of_the_condition_they_are_about() -> None:
    cards = render(pictures.stress_fracture())
    page = f"{BASE}/knowledge/hip-stress-fracture"
    for card in cards:
        assert card["source"]["url"] == page
        assert card["links"] == [
            {"label": "How we reason about hip stress fracture", "url": page, "type": "absolute"}
        ]
    label = cards[0]["source"]["label"]
    assert label == "Gluteal pain CDS (knowledge v1.0.0)"


def test_knowledge_url_may_be_a_function_of_the_condition() -> None:
    cards = render(
        pictures.buttock_undifferentiated(),
        knowledge_url=lambda code: f"https://pages.example/k/{code}.html",
    )
    [differential] = by_topic(cards, "differential")
    assert differential["source"]["url"] == "https://pages.example/k/gluteus-medius-syndrome.html"
    [cautions] = by_topic(cards, "treatment-caution")
    assert cautions["links"][0]["url"] == "https://pages.example/k/ischial-bursitis.html"


def test_undifferentiated_picture_says_the_candidates_are_not_yet_separated() -> None:
    cards = render(pictures.buttock_undifferentiated())
    [card] = by_topic(cards, "differential")
    assert card["summary"] == (
        "Not yet separated: gluteus medius syndrome, ischial bursitis"
        " and high hamstring tendinopathy"
    )
    assert not by_topic(cards, "red-flag")
    statuses = [c["status"] for c in extension(cards)["conditions"]]
    assert statuses == ["possible"] * 3 + ["unlikely"] * 4


def test_long_names_are_trimmed_under_140_characters() -> None:
    long_name = "very long condition name " * 4
    differential = pictures.sciatica_leading()
    renamed = tuple(
        replace(c, name=long_name + c.code, status=Status.POSSIBLE if c.rank > 1 else c.status)
        for c in differential.candidates
    )
    cards = render(replace(differential, candidates=renamed))
    summary = by_topic(cards, "differential")[0]["summary"]
    assert len(summary) < 140
    assert summary.startswith("Most likely: very long")


def test_hostile_labels_cannot_inject_markup_into_detail() -> None:
    differential = pictures.sciatica_leading()
    top = differential.candidates[0]
    hostile = replace(top.supporting[0], label='<script>alert("x")</script>](javascript:x)')
    poisoned = replace(
        differential,
        candidates=(replace(top, supporting=(hostile,)), *differential.candidates[1:]),
        most_informative_unknowns=("<img src=x onerror=alert(1)>",),
    )
    poisoned = replace(
        poisoned,
        candidates=(
            replace(poisoned.candidates[0], name="<b>sciatica</b>"),
            *poisoned.candidates[1:],
        ),
    )
    for card in render(poisoned, patient_id="p-1"):
        assert "<" not in card["summary"]
        assert all("<" not in link["label"] for link in card["links"])
        assert "<script" not in card["detail"]
        assert "<img" not in card["detail"]
        html = MarkdownIt("commonmark").render(card["detail"])  # raw HTML on: worst case
        assert "<script" not in html
        assert "<img" not in html
        assert "href" not in html
