"""patient-view cards: the contract's topic table, its extension, links and draft orders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest
from markdown_it import MarkdownIt

from cards import CardsError, render_cards
from cards._context import CardContext
from cards._test_cards import next_test_cards
from differential.model import Differential, Status
from tests.cards import pictures
from tests.support.cds_rules import assert_valid_card, topic

BASE = "https://cds.example.org"
EXTENSION = "https://gluteal-cds.org/cds-hooks/differential"
TOPIC_ORDER = ["red-flag", "differential", "next-test", "avoid-test", "treatment-caution"]


def render(differential: Differential, **options: Any) -> list[dict[str, Any]]:
    options.setdefault("knowledge_url", BASE)
    return [card.to_json() for card in render_cards(differential, **options)]


def by_topic(cards: list[dict[str, Any]], wanted: str) -> list[dict[str, Any]]:
    return [card for card in cards if topic(card) == wanted]


def extension(cards: list[dict[str, Any]]) -> dict[str, Any]:
    [card] = by_topic(cards, "differential")
    value: dict[str, Any] = card["extension"][EXTENSION]
    return value


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


def test_differential_extension_has_the_contracts_exact_shape() -> None:
    differential = pictures.sciatica_leading()
    # The reasoner's order of candidates must not matter: rank does.
    shuffled = replace(differential, candidates=tuple(reversed(differential.candidates)))
    value = extension(render(shuffled))
    assert list(value) == ["knowledgeVersion", "conditions", "nextTests", "avoidTests", "redFlags"]
    assert value["knowledgeVersion"] == "1.0.0"
    assert [c["code"] for c in value["conditions"]] == [
        c.code for c in sorted(differential.candidates, key=lambda c: c.rank)
    ]
    assert len(value["conditions"]) == 7
    assert value["conditions"][0] == {
        "code": "lumbar-disc-sciatica",
        "status": "likely",
        # the patient's sex supports it too, but is not a finding code
        "supporting": ["pain-radiates-below-knee", "straight-leg-raise-positive"],
        "opposing": [],
    }
    assert value["conditions"][2]["opposing"] == ["gluteus-medius-trigger-points"]
    assert value["nextTests"] == ["mri-lumbar-spine", "exam-piriformis"]
    assert value["avoidTests"] == ["xray-hip-pelvis"]
    assert value["redFlags"] == []


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


def test_imaging_next_test_offers_a_valid_draft_service_request() -> None:
    [card] = by_topic(render(pictures.sciatica_leading(), patient_id="p-1"), "next-test")
    assert card["selectionBehavior"] == "at-most-one"
    [suggestion] = card["suggestions"]
    assert suggestion["isRecommended"] is True
    [action] = suggestion["actions"]
    assert action["type"] == "create"
    order = ServiceRequest.model_validate(action["resource"])
    assert (order.status, order.intent) == ("draft", "order")
    assert order.subject.reference == "Patient/p-1"
    assert order.code is not None
    assert order.code.coding is not None
    codings = {(c.system, c.code) for c in order.code.coding}
    assert codings == {
        ("http://loinc.org", "30679-5"),
        ("http://www.ama-assn.org/go/cpt", "72148"),
        ("https://gluteal-cds.org/fhir/CodeSystem/test", "mri-lumbar-spine"),
    }
    assert order.reasonCode is not None
    reason = order.reasonCode[0].text
    assert reason is not None
    assert "lumbar disc sciatica" in reason


@pytest.mark.parametrize("patient_id", [None, "1&_has=x", "p-1\n"])
def test_without_a_fhir_patient_id_no_order_is_offered(patient_id: str | None) -> None:
    # An order needs its subject: a patientId that is no FHIR id must not fail the call.
    [card] = by_topic(render(pictures.sciatica_leading(), patient_id=patient_id), "next-test")
    assert "suggestions" not in card
    assert "selectionBehavior" not in card


def test_exam_next_tests_are_advice_without_orders() -> None:
    [card] = by_topic(render(pictures.buttock_undifferentiated(), patient_id="p-1"), "next-test")
    assert "suggestions" not in card
    assert card["summary"].startswith("Next: pressure on the ischial tuberosity")
    assert "manual muscle testing" in card["detail"]


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


def test_a_drafted_study_stays_in_the_plan_and_is_never_offered_again() -> None:
    differential = pictures.sciatica_leading()
    first = differential.next_tests[0]
    context = CardContext.of(
        differential, "https://cds.example.org", "p-1", drafted=frozenset({first.code})
    )
    [card] = [
        c.model_dump(mode="json", exclude_none=True) for c in next_test_cards(differential, context)
    ]
    assert "already drafted" in card["summary"]
    created = [
        action["resource"]["code"]["coding"][0]["code"]
        for suggestion in card.get("suggestions", [])
        for action in suggestion["actions"]
    ]
    assert "72148" not in created  # the lumbar MRI's CPT: no second order
