"""Draft imaging orders as EHRs code and name them (contract section 5, orders).

Epic and Oracle Health send their own procedure codes (an EAP / orderable OID) with the CPT
code beside or not at all, a LOINC / RSNA Playbook code or a RadLex RPID, and the orderable's
name in capitals ("MRI L-SPINE WO CONTRAST"); reasons may be text only.
"""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import read_imaging_orders
from fhir_mappings.subject import PatientContext
from tests.fhir_mappings.resources import CPT, ICD10CM, LOINC, concept

P1 = PatientContext("p1", "https://ehr.example.org/fhir/r4")
EPIC_EAP = "urn:oid:1.2.840.114350.1.13.0.1.7.2.696580"
RADLEX = "http://www.radlex.org"


def order(code: dict[str, Any], ident: str = "sr-1", **elements: Any) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": ident,
        "status": "draft",
        "intent": "order",
        "code": code,
        "subject": {"reference": "Patient/p1"},
        **elements,
    }


def named(text: str, *codings: dict[str, str]) -> dict[str, Any]:
    return {"coding": list(codings), "text": text} if codings else {"text": text}


def recognised(*orders: Any) -> list[tuple[str, str]]:
    draft = {"resourceType": "Bundle", "entry": [{"resource": o} for o in orders]}
    found = read_imaging_orders(draft, patient=P1)
    return [(o.test, o.matched_by) for o in found.orders]


@pytest.mark.parametrize(
    ("text", "test"),
    [
        ("XR HIP 2-3 VIEWS RIGHT", "xray-hip-pelvis"),
        ("XR PELVIS 1 OR 2 VIEWS", "xray-hip-pelvis"),
        ("X-RAY HIP LEFT W PELVIS 2-3 VIEWS", "xray-hip-pelvis"),
        ("MRI LUMBAR SPINE WO CONTRAST", "mri-lumbar-spine"),
        ("MRI L-SPINE WO CONTRAST", "mri-lumbar-spine"),
        ("MR L SPINE W/O CONTRAST", "mri-lumbar-spine"),
        ("MRI LUMBOSACRAL SPINE WITHOUT CONTRAST", "mri-lumbar-spine"),
        ("MRI HIP RIGHT WO CONTRAST", "mri-hip-pelvis"),
        ("MRI PELVIS WO CONTRAST", "mri-hip-pelvis"),
        ("CT LUMBAR SPINE WO CONTRAST", "ct-lumbar-spine"),
        ("CT L-SPINE WO CONTRAST", "ct-lumbar-spine"),
        ("CT PELVIS WO CONTRAST", "ct-hip-pelvis"),
        ("Computed tomography of hip", "ct-hip-pelvis"),
    ],
)
def test_an_epic_orderable_named_in_capitals_is_recognised_by_its_name(
    text: str, test: str
) -> None:
    eap = {"system": EPIC_EAP, "code": "IMG1234", "display": text}
    assert recognised(order(named(text, eap))) == [(test, "text")]


@pytest.mark.parametrize(
    "text",
    [
        "XR FEMUR RIGHT",
        "MRI KNEE RIGHT WO CONTRAST",
        "US HIP RIGHT",
        "XR CHEST 2 VIEWS",
        "NM BONE SCAN WHOLE BODY",
        "MRI THORACIC SPINE WO CONTRAST",
    ],
)
def test_other_studies_named_in_capitals_are_not_ours(text: str) -> None:
    assert recognised(order(named(text))) == []


@pytest.mark.parametrize(
    "text",
    [
        "CT ABDOMEN PELVIS W CONTRAST",
        "CT ABD/PELVIS WO CONTRAST",
        "CT CHEST ABDOMEN PELVIS W CONTRAST",
        "MRI PELVIS PROSTATE W WO CONTRAST",
        "MRI PELVIS FEMALE UTERUS OVARIES",
        "MR ENTEROGRAPHY ABDOMEN PELVIS",
        "CT ANGIO ABDOMEN PELVIS RUNOFF",
        "XR ABDOMEN AND PELVIS",
    ],
)
def test_an_abdominal_or_pelvic_organ_study_is_not_a_hip_pelvis_study(text: str) -> None:
    """ "Pelvis" in an abdominal CT or a prostate MRI names the organs, not the bones."""
    assert recognised(order(named(text))) == []


def test_a_cpt_coding_beside_the_epic_code_wins_over_the_name() -> None:
    code = named(
        "MRI HIP RIGHT WO CONTRAST",
        {"system": EPIC_EAP, "code": "IMG9"},
        {"system": CPT, "code": "72148"},
    )
    assert recognised(order(code)) == [("mri-lumbar-spine", "cpt")]


def test_a_playbook_loinc_code_we_do_not_list_falls_back_to_its_display() -> None:
    """LOINC 36572-6 (XR Pelvis AP) is not in the contract's list: its display still is."""
    code = {"coding": [{"system": LOINC, "code": "36572-6", "display": "XR Pelvis AP"}]}
    assert recognised(order(code)) == [("xray-hip-pelvis", "text")]


def test_a_radlex_playbook_code_is_recognised_by_its_display() -> None:
    code = {
        "coding": [{"system": RADLEX, "code": "RPID2103", "display": "MR Pelvis wo IV contrast"}]
    }
    assert recognised(order(code)) == [("mri-hip-pelvis", "text")]


def test_a_reason_in_text_only_is_no_indication_and_no_error() -> None:
    mri = order(concept(CPT, "72148"), reasonCode=[{"text": "r/o disc herniation, sciatica"}])
    [found] = read_imaging_orders(
        {"resourceType": "Bundle", "entry": [{"resource": mri}]}, patient=P1
    ).orders
    assert found.reasons == frozenset()


def test_a_reason_coded_in_icd10_with_a_display_is_the_indication() -> None:
    reason = {"coding": [{"system": ICD10CM, "code": "M54.41", "display": "Lumbago w sciatica, R"}]}
    mri = order(concept(CPT, "72148"), reasonCode=[reason])
    [found] = read_imaging_orders(
        {"resourceType": "Bundle", "entry": [{"resource": mri}]}, patient=P1
    ).orders
    assert found.reasons == {"lumbar-disc-sciatica"}


def test_other_order_types_in_draft_orders_are_passed_over() -> None:
    """A MedicationRequest and a NutritionOrder beside the X-ray: only the X-ray is imaging."""
    med = {
        "resourceType": "MedicationRequest",
        "id": "m1",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"text": "naproxen"},
    }
    xray = order(concept(LOINC, "24762-7"), ident="xr-1")
    assert recognised(med, xray) == [("xray-hip-pelvis", "loinc")]


def test_an_order_of_another_patient_is_never_read() -> None:
    other = order(concept(CPT, "72148"), subject={"reference": "Patient/p2"})
    assert recognised(other) == []


def test_a_versioned_absolute_subject_on_fhir_server_is_this_patient() -> None:
    mine = order(
        concept(CPT, "72148"),
        subject={"reference": "https://ehr.example.org/fhir/r4/Patient/p1/_history/2"},
    )
    assert recognised(mine) == [("mri-lumbar-spine", "cpt")]
