"""Order hooks: the appropriateness card's actions and extension, and the PAMA system action."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest

from cards import (
    CardsError,
    InvalidOrderError,
    pama_rating_action,
    pama_rating_of,
    render_order_card,
)
from differential.model import OrderRating, RatingCategory
from terminology._generate_fhir import build_terminology
from tests.cards import pictures
from tests.support.cds_rules import assert_valid_action, assert_valid_card, topic

BASE = "https://cds.example.org"
APPROPRIATENESS = "https://gluteal-cds.org/cds-hooks/appropriateness"
PAMA = "http://fhir.org/argonaut/Extension/pama-rating"
PAMA_SYSTEM = "http://fhir.org/argonaut/CodeSystem/pama-rating"
REASON = "It does not separate sciatica from piriformis syndrome."


def order_card(
    alternative: str | None = "mri-lumbar-spine", *, score: int = 2, **options: Any
) -> dict[str, Any]:
    options.setdefault("patient_id", "p-1")
    options.setdefault("knowledge_url", BASE)
    rating = pictures.order_rating("xray-hip-pelvis", alternative, REASON, score=score)
    return render_order_card("xr-1", rating, pictures.sciatica_leading(), **options).to_json()


def xray_order(**extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": "xr-1",
        "status": "draft",
        "intent": "plan",
        "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "73502"}]},
        "subject": {"reference": "Patient/p-1"},
        **extra,
    }


def test_order_card_says_why_the_xray_will_not_help() -> None:
    card = order_card(score=2)
    assert_valid_card(card)
    assert topic(card) == "order-appropriateness"
    assert card["indicator"] == "warning"
    # The rule's reason for this picture, the study named once.
    assert "does not separate sciatica from piriformis syndrome" in card["summary"]
    assert card["summary"].count("X-ray") == 1
    assert "MRI lumbar spine" in card["detail"]
    assert card["source"]["url"] == f"{BASE}/knowledge/lumbar-disc-sciatica"


def test_a_long_reason_is_shortened_never_dropped() -> None:
    # Contract 5: the summary gives the clinical reason. A reason too long for the summary
    # used to leave "... not advised now" and nothing after it.
    reason = (
        "It neither confirms nor stages trochanteric bursitis, the leading candidate, and "
        "would not separate the candidates still standing."
    )
    rating = pictures.order_rating("mri-lumbar-spine", "mri-hip-pelvis", reason, score=3)
    card = render_order_card(
        "mr-1", rating, pictures.sciatica_leading(), patient_id="p-1", knowledge_url=BASE
    )
    summary = card.to_json()["summary"]
    assert len(summary) < 140
    assert summary.endswith(
        "it neither confirms nor stages trochanteric bursitis, the leading candidate"
    )


def test_suggestion_deletes_the_draft_and_creates_the_useful_study() -> None:
    card = order_card()
    assert card["selectionBehavior"] == "at-most-one"
    [suggestion] = card["suggestions"]
    assert suggestion["isRecommended"] is True
    delete, create = suggestion["actions"]
    assert delete == {
        "type": "delete",
        "description": "Remove the draft order: X-ray of hip or pelvis",
        "resourceId": "ServiceRequest/xr-1",
    }
    order = ServiceRequest.model_validate(create["resource"])
    assert (order.status, order.intent, order.subject.reference) == (
        "draft",
        "order",
        "Patient/p-1",
    )
    assert order.code is not None
    assert order.code.coding is not None
    assert {c.code for c in order.code.coding} == {"30679-5", "72148", "mri-lumbar-spine"}
    assert order.reasonCode is not None
    reason = order.reasonCode[0].text
    assert reason is not None
    assert "lumbar disc sciatica" in reason


def test_exam_alternative_is_named_not_ordered() -> None:
    card = order_card("exam-single-leg-hop")
    assert_valid_card(card)
    [suggestion] = card["suggestions"]
    assert [a["type"] for a in suggestion["actions"]] == ["delete"]
    assert "single-leg hop test" in suggestion["label"]


def test_without_patient_id_only_the_delete_is_offered() -> None:
    [suggestion] = order_card(patient_id=None)["suggestions"]
    assert [a["type"] for a in suggestion["actions"]] == ["delete"]
    assert "MRI lumbar spine" in suggestion["label"]


def test_override_reasons_are_coded_with_display() -> None:
    reasons = order_card()["overrideReasons"]
    assert {r["system"] for r in reasons} == {
        "https://gluteal-cds.org/fhir/CodeSystem/override-reason"
    }
    assert [r["code"] for r in reasons] == [
        "already-discussed",
        "rule-out-other-condition",
        "patient-preference",
        "other",
    ]
    assert all(r["display"] for r in reasons)


def test_override_reasons_offered_are_exactly_the_shipped_code_system() -> None:
    shipped = build_terminology()["CodeSystem-override-reason.json"]

    # The CT-to-MRI swap offers "MRI contraindicated"; the other cards the rest.
    swap = pictures.order_rating("ct-lumbar-spine", "mri-lumbar-spine", score=5)
    swap_card = render_order_card(
        "ct-1", swap, pictures.sciatica_leading(), patient_id=None, knowledge_url=BASE
    )
    offered = {
        (r["system"], r["code"], r["display"])
        for card in (order_card(None), swap_card.to_json())
        for r in card["overrideReasons"]
    }
    assert offered == {(shipped["url"], c["code"], c["display"]) for c in shipped["concept"]}


def test_appropriateness_extension_has_the_contract_keys_and_score() -> None:
    assert order_card(score=2)["extension"][APPROPRIATENESS] == {
        "order": "ServiceRequest/xr-1",
        "test": "xray-hip-pelvis",
        "rating": "not-appropriate",
        "alternative": "mri-lumbar-spine",
        "score": 2,
        "reason": REASON,
    }
    assert "alternative" not in order_card(None)["extension"][APPROPRIATENESS]


def test_inconsistent_order_reference_or_bad_score_is_refused() -> None:
    with pytest.raises(InvalidOrderError):
        render_order_card(
            "xr 1",  # a space: no FHIR id, so no ServiceRequest/<id> to delete
            pictures.order_rating(),
            pictures.sciatica_leading(),
            patient_id=None,
            knowledge_url=BASE,
        )
    with pytest.raises(CardsError, match="1-9"):
        order_card(score=10)


def pama_codes(resource: dict[str, Any]) -> list[str]:
    return [
        coding["code"]
        for ext in resource["extension"]
        if ext["url"] == PAMA
        for coding in ext["valueCodeableConcept"]["coding"]
        if coding["system"] == PAMA_SYSTEM
    ]


@pytest.mark.parametrize("rating", ["appropriate", "not-appropriate", "no-guidelines-apply"])
def test_pama_action_updates_the_order_with_its_rating(rating: str) -> None:
    action = pama_rating_action(xray_order(), rating).to_json()
    assert_valid_action(action)
    assert action["type"] == "update"
    assert action["resource"]["id"] == "xr-1"
    assert pama_codes(action["resource"]) == [rating]


def test_pama_action_replaces_an_earlier_rating_and_keeps_other_extensions() -> None:
    other = {"url": "https://x.example/ext", "valueString": "kept"}
    order = pama_rating_action(xray_order(extension=[other]), "appropriate").to_json()["resource"]
    original = xray_order(extension=[other, *order["extension"][1:]])
    snapshot = copy.deepcopy(original)
    updated = pama_rating_action(original, "not-appropriate").to_json()["resource"]
    assert pama_codes(updated) == ["not-appropriate"]
    assert other in updated["extension"]
    assert original == snapshot  # the caller's resource is not changed


def test_pama_action_on_an_order_shaped_like_the_sandbox_pama_screen() -> None:
    # The public sandbox's PAMA Imaging screen: CPT-coded, intent plan, SNOMED reasonCode.
    order = {
        "resourceType": "ServiceRequest",
        "id": "example-request-id",
        "status": "draft",
        "intent": "plan",
        "code": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "72148"}]},
        "subject": {"reference": "Patient/example"},
        "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "279039007"}]}],
    }
    action = pama_rating_action(order, "appropriate").to_json()
    assert_valid_action(action)
    assert {k: v for k, v in action["resource"].items() if k != "extension"} == order


@pytest.mark.parametrize(
    "resource",
    [
        {"resourceType": "ProcedureRequest", "id": "x", "status": "draft", "intent": "order"},
        {"resourceType": "ServiceRequest", "id": "x", "status": "draft"},  # no intent, subject
        {"resourceType": "ServiceRequest", "status": "draft", "intent": "order"},  # no id
    ],
)
def test_pama_action_refuses_what_is_not_an_r4_service_request(resource: dict[str, Any]) -> None:
    with pytest.raises(InvalidOrderError):
        pama_rating_action(resource, "appropriate")


def test_pama_action_refuses_an_unknown_rating() -> None:
    with pytest.raises(CardsError, match="rating"):
        pama_rating_action(xray_order(), "maybe")


@pytest.mark.parametrize(
    ("score", "category", "pama"),
    [
        (9, "usually-appropriate", "appropriate"),
        (5, "may-be-appropriate", "appropriate"),  # adheres to AUC under PAMA
        (2, "usually-not-appropriate", "not-appropriate"),
    ],
)
def test_pama_rating_of_an_appropriateness_score(
    score: int, category: RatingCategory, pama: str
) -> None:
    rating = OrderRating("mri-lumbar-spine", score, category, "because", None)
    assert pama_rating_of(rating) == pama


def test_a_rating_that_turned_on_findings_a_note_decided_quotes_the_note_once() -> None:
    # Contract 3a: the duration and the radiation a note stated are quoted, one line per
    # note's words, each finding with its state; a finding no note decided is not.
    rating = replace(
        pictures.order_rating("mri-lumbar-spine", None, REASON, score=2),
        findings=(
            ("leg-numbness", True),
            ("pain-radiates-below-knee", True),
            ("symptoms-over-6-weeks", False),
        ),
    )
    words = "2 weeks of R buttock pain radiating past the knee."
    quotes = dict.fromkeys(("pain-radiates-below-knee", "symptoms-over-6-weeks"), words)
    card = render_order_card(
        "mri-1",
        rating,
        pictures.sciatica_leading(),
        patient_id="p-1",
        knowledge_url=BASE,
        note_quotes=quotes,
    ).to_json()

    assert card["detail"].count("Read from a note") == 1
    assert f"“{words}”" in card["detail"]
    assert "6 weeks: no" in card["detail"] or "6 weeks or more: no" in card["detail"]
    assert "numbness" not in card["detail"].lower()


@pytest.mark.parametrize("contrast", ["with contrast", "with and without contrast"])
def test_an_order_with_contrast_is_named_as_ordered_everywhere_on_its_card(contrast: str) -> None:
    rating = pictures.order_rating("mri-lumbar-spine", "exam-piriformis", REASON, score=3)
    card = render_order_card(
        "mri-1",
        rating,
        pictures.sciatica_leading(),
        patient_id="p-1",
        knowledge_url=BASE,
        contrast=contrast,
    ).to_json()

    [suggestion] = card["suggestions"]
    [delete] = suggestion["actions"]
    named = f"MRI lumbar spine {contrast}"
    assert card["summary"].startswith(f"{named} not advised now")
    assert card["detail"].startswith(f"**{named}:**")
    assert suggestion["label"].startswith(f"Cancel the {named};")
    assert delete["description"] == f"Remove the draft order: {named}"
    assert "MRI lumbar spine without contrast" not in str(card)


def test_an_order_without_its_own_contrast_keeps_the_contract_name() -> None:
    rating = pictures.order_rating("mri-lumbar-spine", "exam-piriformis", REASON, score=3)
    card = render_order_card(
        "mri-1", rating, pictures.sciatica_leading(), patient_id="p-1", knowledge_url=BASE
    ).to_json()

    assert card["summary"].startswith("MRI lumbar spine without contrast not advised now")
