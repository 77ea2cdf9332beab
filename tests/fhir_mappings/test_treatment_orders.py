"""Drafted treatment orders a caution warns against (order hooks, contract 5 card table)."""

from __future__ import annotations

from typing import Any

import pytest

from differential.loader import load_knowledge_base
from fhir_mappings import DraftOrdersError, read_treatment_orders
from fhir_mappings.subject import PatientContext
from terminology import code_tables
from tests.fhir_mappings.resources import CPT, bundle

INJECTION = frozenset({"steroid-or-bursa-injection"})


def order(
    text: str | None = None,
    *,
    cpt: str | None = None,
    ident: str = "o-1",
    kind: str = "ServiceRequest",
    **elements: Any,
) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text} if text else {}
    if cpt:
        concept["coding"] = [{"system": CPT, "code": cpt}]
    element = "code" if kind == "ServiceRequest" else "medicationCodeableConcept"
    resource = {
        "resourceType": kind,
        "id": ident,
        "status": "draft",
        "intent": "order",
        element: concept,
        "subject": {"reference": "Patient/p1"},
    }
    return resource | elements


@pytest.mark.parametrize(
    "resource",
    [
        order("Trochanteric bursa injection"),
        order("Corticosteroid injection, left piriformis, ultrasound guided"),
        order("Ischial bursa steroid infiltration"),
        order(cpt="20610"),
        order("Kenalog 40 mg inj", kind="MedicationRequest"),
        order("Depo-Medrone 80 mg injection", kind="MedicationRequest"),
    ],
    ids=["bursa", "steroid", "ischial", "cpt-20610", "kenalog", "depo-medrone"],
)
def test_a_corticosteroid_or_bursa_injection_is_recognised_by_text_or_code(
    resource: dict[str, Any],
) -> None:
    assert read_treatment_orders(bundle(resource)) == INJECTION


@pytest.mark.parametrize(
    "resource",
    [
        order("Referral to physiotherapy: hip strengthening"),
        order("MRI pelvis ?tumour - pre biopsy"),
        order("ibuprofen 400 mg", kind="MedicationRequest"),
        order("Injury clinic review"),
        order("Trochanteric bursa injection", status="active"),
    ],
    ids=["physio", "mri", "drug", "injury", "signed"],
)
def test_other_orders_and_signed_ones_are_no_injection(resource: dict[str, Any]) -> None:
    assert read_treatment_orders(bundle(resource)) == frozenset()


def test_only_the_selected_orders_of_this_patient_count() -> None:
    drafts = bundle(
        order("Trochanteric bursa injection", ident="inj"),
        order("MRI hip", ident="mri"),
        order("Bursa injection", ident="theirs", subject={"reference": "Patient/p2"}),
    )

    assert read_treatment_orders(drafts, ["ServiceRequest/mri"]) == frozenset()
    assert read_treatment_orders(drafts, ["ServiceRequest/inj/_history/2"]) == INJECTION
    only_theirs = ["ServiceRequest/theirs"]
    assert read_treatment_orders(drafts, only_theirs, patient=PatientContext("p1")) == frozenset()


def test_draft_orders_that_are_no_bundle_are_refused() -> None:
    with pytest.raises(DraftOrdersError):
        read_treatment_orders({"resourceType": "ServiceRequest"})


def test_every_order_kind_the_knowledge_base_warns_against_is_recognised() -> None:
    # A kind misspelt in the knowledge base would silently never show its caution.
    kb = load_knowledge_base()
    named = {kind for rule in kb.cautions for kind in rule.warns_on_orders}
    named |= {warning.order for flag in kb.red_flags for warning in flag.order_warnings}
    assert named
    assert named <= {row.code for row in code_tables().order_treatments}
