"""The next-test and avoid-test cards: draft orders for imaging, advice for exams, never twice."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest

from cards._context import CardContext
from cards._test_cards import next_test_cards
from tests.cards import pictures
from tests.cards.rendered import by_topic, render


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
