"""The differential card's conclusion: several problems at once, and another cause named."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cards import render_cards
from differential.model import Candidate, Differential, Status
from tests.cards import pictures

ANOTHER = "another-cause"


def _card(differential: Differential) -> dict[str, Any]:
    cards = [
        c.model_dump(mode="json", exclude_none=True)
        for c in render_cards(differential, knowledge_url="https://cds.example")
    ]
    [card] = [c for c in cards if c["source"]["topic"]["code"] == "differential"]
    return card


def _with_another_cause(
    order: list[tuple[str, Status]], suspected: tuple[str, ...], first: bool
) -> Differential:
    seven = pictures.ranking(order)
    fever = pictures.evidence("fever", "fever")
    another = Candidate(
        code=ANOTHER,
        name="Another cause (hip joint, sacroiliac joint, vascular, tumour or infection, referred)",
        rank=1 if first else len(seven) + 1,
        status=Status.POSSIBLE,
        probability=0.4,
        supporting=(replace(fever, rationale="Fever is no feature of the seven."),),
        opposing=(),
        suspected=suspected,
    )
    shifted = tuple(replace(c, rank=c.rank + 1) for c in seven) if first else seven
    return Differential(
        knowledge_version="1.0.0",
        active=True,
        candidates=(another, *shifted),
        other_probability=0.4,
        other_label=another.name,
        other_code=ANOTHER,
    )


def test_two_conditions_likely_at_once_are_both_named() -> None:
    differential = replace(
        pictures.sciatica_leading(),
        candidates=pictures.ranking(
            [
                ("trochanteric-bursitis", Status.LIKELY),
                ("lumbar-disc-sciatica", Status.LIKELY),
                ("piriformis-syndrome", Status.POSSIBLE),
            ]
        ),
    )
    summary = _card(differential)["summary"]
    assert summary == (
        "Two problems likely: trochanteric bursitis and lumbar disc sciatica; "
        "possible: piriformis syndrome"
    )


def test_three_likely_read_as_several_problems() -> None:
    order = [
        (code, Status.LIKELY)
        for code in ("trochanteric-bursitis", "lumbar-disc-sciatica", "hip-stress-fracture")
    ]
    summary = _card(replace(pictures.sciatica_leading(), candidates=pictures.ranking(order)))[
        "summary"
    ]
    assert summary.startswith("Several problems likely: trochanteric bursitis, lumbar disc")


def test_another_cause_leading_is_named_with_what_it_points_to() -> None:
    differential = _with_another_cause(
        [("gluteus-medius-syndrome", Status.POSSIBLE)], ("tumour-or-infection",), first=True
    )
    card = _card(differential)
    assert card["summary"] == (
        "None of the seven fits well: consider another cause (tumour or infection). "
        "Closest of the seven: gluteus medius syndrome"
    )
    assert "Suspected: tumour or infection" in card["detail"]
    assert "Fever is no feature of the seven." in card["detail"]  # why, and who says so
    assert pictures.CITATION in card["detail"]
    conditions = card["extension"]["https://gluteal-cds.org/cds-hooks/differential"]["conditions"]
    assert conditions[0]["code"] == ANOTHER
    assert conditions[0]["supporting"] == ["fever"]
    assert conditions[0]["suspected"] == ["tumour-or-infection"]


def test_another_cause_possible_is_listed_with_its_kinds() -> None:
    differential = _with_another_cause(
        [("gluteus-medius-syndrome", Status.POSSIBLE), ("ischial-bursitis", Status.POSSIBLE)],
        ("sacroiliac-joint", "referred"),
        first=False,
    )
    summary = _card(differential)["summary"]
    assert "another cause (sacroiliac joint and referred pain)" in summary


def test_the_seven_carry_no_suspected_list() -> None:
    card = _card(pictures.sciatica_leading())
    conditions = card["extension"]["https://gluteal-cds.org/cds-hooks/differential"]["conditions"]
    assert all("suspected" not in c for c in conditions)


def test_another_cause_always_carries_a_suspected_list() -> None:
    differential = _with_another_cause(
        [("gluteus-medius-syndrome", Status.POSSIBLE)], (), first=False
    )
    conditions = _card(differential)["extension"]["https://gluteal-cds.org/cds-hooks/differential"][
        "conditions"
    ]
    [entry] = [c for c in conditions if c["code"] == ANOTHER]
    assert entry["suspected"] == []


def test_the_next_test_does_not_separate_two_conditions_both_likely() -> None:
    both = pictures.ranking(
        [("trochanteric-bursitis", Status.LIKELY), ("lumbar-disc-sciatica", Status.LIKELY)]
    )
    test = pictures.advice(
        "exam-resisted-abduction",
        "Resisted hip abduction",
        "exam",
        "trochanteric-bursitis",
        "lumbar-disc-sciatica",
    )
    differential = replace(pictures.sciatica_leading(), candidates=both, next_tests=(test,))
    cards = [
        c.model_dump(mode="json", exclude_none=True)
        for c in render_cards(differential, knowledge_url="https://cds.example")
    ]
    [card] = [c for c in cards if c["source"]["topic"]["code"] == "next-test"]
    assert "to separate" not in card["summary"]
    assert "for trochanteric bursitis (lumbar disc sciatica is likely too)" in card["summary"]


def test_a_condition_ranked_after_a_less_probable_one_says_why() -> None:
    # A cancer history alone raises another cause's share above the leading condition's, but
    # never puts it first (contract 4): without a word the bands read as an error.
    differential = _with_another_cause(
        [
            ("gluteus-medius-syndrome", Status.POSSIBLE),
            ("lumbar-disc-sciatica", Status.POSSIBLE),
            ("high-hamstring-tendinopathy", Status.POSSIBLE),
            ("trochanteric-bursitis", Status.POSSIBLE),
            ("hip-stress-fracture", Status.POSSIBLE),
        ],
        ("tumour-or-infection",),
        first=False,
    )
    leading = replace(differential.candidates[0], probability=0.15)
    another = replace(differential.candidates[-1], probability=0.6)
    differential = replace(
        differential, candidates=(leading, *differential.candidates[1:-1], another)
    )
    card = _card(differential)
    assert "ranked after conditions with findings of their own" in card["detail"]
    assert card["summary"].endswith("first with findings of its own: gluteus medius syndrome")


def test_a_ranking_in_order_of_probability_says_nothing_more() -> None:
    card = _card(pictures.buttock_undifferentiated())
    assert "ranked after" not in card["detail"]
