"""Draft orders to the imaging studies of contract section 5."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fhir_mappings import DraftOrdersError, MappingError, read_imaging_orders
from fhir_mappings.subject import PatientContext
from tests.fhir_mappings.resources import CPT, LOINC, bundle, concept
from tests.support.paths import SHARED


def order(
    ident: str = "sr-1", code: dict[str, Any] | None = None, **elements: Any
) -> dict[str, Any]:
    resource = {
        "resourceType": "ServiceRequest",
        "id": ident,
        "status": "draft",
        "intent": "order",
        "code": code or concept(LOINC, "24762-7"),
        "subject": {"reference": "Patient/p1"},
    }
    resource.update(elements)
    return resource


def recognised(*orders: Any, selections: list[str] | None = None) -> list[tuple[str, str]]:
    found = read_imaging_orders(bundle(*orders, kind=None), selections)
    return [(o.test, o.matched_by) for o in found.orders]


@pytest.mark.parametrize(
    ("system", "code", "test", "matched_by"),
    [
        (LOINC, "24762-7", "xray-hip-pelvis", "loinc"),
        (LOINC, "30768-6", "xray-hip-pelvis", "loinc"),
        (LOINC, "30679-5", "mri-lumbar-spine", "loinc"),
        (LOINC, "30671-2", "mri-hip-pelvis", "loinc"),
        (CPT, "73501", "xray-hip-pelvis", "cpt"),
        (CPT, "73502", "xray-hip-pelvis", "cpt"),
        (CPT, "73503", "xray-hip-pelvis", "cpt"),
        (CPT, "72170", "xray-hip-pelvis", "cpt"),
        (CPT, "73522", "xray-hip-pelvis", "cpt"),
        (CPT, "72148", "mri-lumbar-spine", "cpt"),
        (CPT, "72195", "mri-hip-pelvis", "cpt"),
        (CPT, "73721", "mri-hip-pelvis", "cpt"),
        (CPT, "72131", "ct-lumbar-spine", "cpt"),
        (CPT, "72133", "ct-lumbar-spine", "cpt"),
        (CPT, "72192", "ct-hip-pelvis", "cpt"),
        (CPT, "73702", "ct-hip-pelvis", "cpt"),
    ],
)
def test_orders_by_code(system: str, code: str, test: str, matched_by: str) -> None:
    assert recognised(order(code=concept(system, code))) == [(test, matched_by)]


@pytest.mark.parametrize(
    ("text", "test"),
    [
        ("XR hip 2 views", "xray-hip-pelvis"),
        ("X-ray pelvis AP", "xray-hip-pelvis"),
        ("Radiograph of left hip", "xray-hip-pelvis"),
        ("Pelvic radiography", "xray-hip-pelvis"),
        ("MRI lumbar spine without contrast", "mri-lumbar-spine"),
        ("MR L-spine", "mri-lumbar-spine"),
        ("Magnetic resonance imaging of the lumbar spine", "mri-lumbar-spine"),
        ("MRI hip right", "mri-hip-pelvis"),
        ("MR pelvis", "mri-hip-pelvis"),
        ("CT pelvis", "ct-hip-pelvis"),
        ("Computed tomography of the left hip", "ct-hip-pelvis"),
        ("CT lumbar spine without contrast", "ct-lumbar-spine"),
        # An imaging order may say why: it is still the study (not a referral).
        ("MRI lumbar spine: candidate for surgery after 6 weeks", "mri-lumbar-spine"),
        ("MRI pelvis for surgical planning", "mri-hip-pelvis"),
    ],
)
def test_orders_by_text(text: str, test: str) -> None:
    assert recognised(order(code={"text": text})) == [(test, "text")]
    by_display = {"coding": [{"system": "http://ehr.example/proc", "code": "1", "display": text}]}
    assert recognised(order(code=by_display)) == [(test, "text")]


@pytest.mark.parametrize(
    "text",
    ["CT head", "XR knee", "MRI brain", "Mrs hip follow-up", "Hip arthroscopy", "X-ray chest"],
)
def test_other_orders_are_not_recognised(text: str) -> None:
    found = read_imaging_orders(bundle(order(code={"text": text})))
    assert (found.orders, found.considered, found.skipped) == ((), 1, 0)


@pytest.mark.parametrize(
    ("code", "contrast"),
    [
        ({"coding": [{"system": CPT, "code": "72149"}]}, "with contrast"),
        ({"coding": [{"system": CPT, "code": "72158"}]}, "with and without contrast"),
        ({"coding": [{"system": CPT, "code": "73722"}]}, "with contrast"),
        ({"coding": [{"system": CPT, "code": "72197"}]}, "with and without contrast"),
        ({"coding": [{"system": CPT, "code": "72148"}]}, None),
        ({"text": "MRI lumbar spine with contrast"}, "with contrast"),
        ({"text": "MRI L-spine w/ contrast"}, "with contrast"),
        ({"text": "MRI pelvis with and without contrast"}, "with and without contrast"),
        ({"text": "MR hip w/wo"}, "with and without contrast"),
        ({"text": "MRI lumbar spine without contrast"}, None),
        ({"text": "MRI lumbar spine w/o contrast"}, None),
        ({"text": "MRI hip"}, None),
        ({"coding": [{"system": CPT, "code": "73723"}]}, "with and without contrast"),
        ({"text": "MRI lumbar spine w/o and w/ contrast"}, "with and without contrast"),
        ({"text": "MRI lumbar spine without and with contrast"}, "with and without contrast"),
        ({"text": "MRI lumbar spine without/with contrast"}, "with and without contrast"),
        ({"text": "MRI pelvis with/without contrast"}, "with and without contrast"),
        ({"text": "MRI lumbar spine without contrast (no post contrast sequences)"}, None),
        ({"text": "MRI hip non-contrast"}, None),
        ({"text": "MRI lumbar spine post contrast"}, "with contrast"),
        ({"text": "MRI lumbar spine with contrast - no contrast allergy"}, "with contrast"),
        ({"text": "MRI hip w/ and w/o contrast"}, "with and without contrast"),
        (
            {"coding": [{"system": CPT, "code": "72149"}], "text": "MRI lumbar spine w/o"},
            "with contrast",
        ),
    ],
)
def test_an_orders_own_contrast_is_read_from_its_code_or_text(
    code: dict[str, Any], contrast: str | None
) -> None:
    [found] = read_imaging_orders(bundle(order(code=code))).orders
    assert found.test in {"mri-lumbar-spine", "mri-hip-pelvis"}
    assert found.contrast == contrast


def test_a_contrast_mri_coded_only_by_cpt_is_recognised_as_its_study() -> None:
    # CPT 72149 (lumbar MRI with contrast) with no text was not recognised at all.
    assert recognised(order(code=concept(CPT, "72149"))) == [("mri-lumbar-spine", "cpt")]
    assert recognised(order(code=concept(CPT, "72196"))) == [("mri-hip-pelvis", "cpt")]


@pytest.mark.parametrize(
    "text",
    [
        "Referral to orthopaedics for hip replacement (X-ray reviewed)",
        "Orthopaedic consultation re MRI lumbar spine findings",
        "CT-guided piriformis injection, left hip",
        "Fluoroscopy-guided SI joint injection",
        "Hip aspiration under ultrasound",
        "MRI-guided biopsy of pelvic lesion",
        "Physiotherapy referral: hip strengthening, X-ray normal",
        "Total hip arthroplasty",
        "Injection left hip under CT, trochanteric bursa",
        "Consult: MRI hip reviewed",
        "US-guided hip injection",
        "CT pelvis biopsy",
        # The pelvis of these is its organs, wherever the organ is named.
        "MRI pelvis - prostate staging",
        "Prostate MRI (pelvis)",
        "CT abdomen and pelvis, L spine reformats",
    ],
)
def test_a_referral_or_procedure_naming_a_study_is_no_imaging_order(text: str) -> None:
    # Rated as the study it names, it would be "not appropriate" and offered for deletion.
    by_text = read_imaging_orders(bundle(order(code={"text": text})))
    by_display = {"coding": [{"system": "http://ehr.example/proc", "code": "9", "display": text}]}
    assert by_text.orders == read_imaging_orders(bundle(order(code=by_display))).orders == ()


@pytest.mark.parametrize(
    ("text", "test"),
    [
        ("MRI lumbar spine - referral indication: saddle numbness", "mri-lumbar-spine"),
        ("MRI pelvis - referral indication: buttock pain", "mri-hip-pelvis"),
        ("MRI lumbar spine - sciatica 2 weeks, not improving with physio", "mri-lumbar-spine"),
        ("MRI lumbar spine ?suitability for nerve root block", "mri-lumbar-spine"),
        ("XR pelvis AP - no improvement with physio", "xray-hip-pelvis"),
        ("MRI pelvis ?tumour - pre biopsy", "mri-hip-pelvis"),
        ("MRI pelvis pre biopsy", "mri-hip-pelvis"),
        ("MRI lumbar spine sciatica not improving with physiotherapy", "mri-lumbar-spine"),
        ("XR hip (referred by physio)", "xray-hip-pelvis"),
        # An organ in a spine study's indication is a history, not the organ's study.
        ("MRI lumbar spine - h/o prostate cancer, night pain", "mri-lumbar-spine"),
        ("MRI lumbar spine ?mets (breast/chest wall primary)", "mri-lumbar-spine"),
    ],
)
def test_a_procedure_word_in_a_studys_indication_leaves_the_study_recognised(
    text: str, test: str
) -> None:
    # Only what is ordered makes an order a referral or a procedure: these are the studies
    # they name, rated 1-9 (review 10b, item 8: they were neither rated nor carded).
    assert recognised(order(code={"text": text})) == [(test, "text")]
    by_display = {"coding": [{"system": "http://ehr.example/proc", "code": "1", "display": text}]}
    assert recognised(order(code=by_display)) == [(test, "text")]


@pytest.mark.parametrize(
    ("system", "code", "condition"),
    [
        ("http://snomed.info/sct", "7674000", "trochanteric-bursitis"),
        ("http://snomed.info/sct", "129179000", "piriformis-syndrome"),
        ("http://hl7.org/fhir/sid/icd-10-cm", "M54.41", "lumbar-disc-sciatica"),
        ("http://hl7.org/fhir/sid/icd-10-cm", "M8435XA", "hip-stress-fracture"),
    ],
)
def test_an_orders_reason_names_the_working_diagnosis(
    system: str, code: str, condition: str
) -> None:
    reason = {"coding": [{"system": system, "code": code}], "text": "reason"}
    found = read_imaging_orders(bundle(order(code=concept(CPT, "72192"), reasonCode=[reason])))
    # A set equals the frozenset with the same members.
    assert [(o.test, o.reasons) for o in found.orders] == [("ct-hip-pelvis", {condition})]  # type: ignore[comparison-overlap]


def test_a_reason_outside_the_differential_names_no_diagnosis() -> None:
    reason = {"coding": [{"system": "http://snomed.info/sct", "code": "22298006"}]}  # MI
    found = read_imaging_orders(bundle(order(code=concept(CPT, "72148"), reasonCode=[reason])))
    assert [o.reasons for o in found.orders] == [frozenset()]


@pytest.mark.parametrize(
    ("system", "code", "test", "matched_by"),
    [
        ("urn:oid:2.16.840.1.113883.6.1", "24762-7", "xray-hip-pelvis", "loinc"),
        ("urn:oid:2.16.840.1.113883.6.12", "72148", "mri-lumbar-spine", "cpt"),
    ],
)
def test_order_codes_in_a_system_named_by_its_oid(
    system: str, code: str, test: str, matched_by: str
) -> None:
    assert recognised(order(code=concept(system, code))) == [(test, matched_by)]


def test_an_orders_reason_coded_in_icd10cm_by_its_oid() -> None:
    reason = concept("urn:oid:2.16.840.1.113883.6.90", "M70.62")
    found = read_imaging_orders(bundle(order(code=concept(CPT, "72192"), reasonCode=[reason])))
    assert [o.reasons for o in found.orders] == [frozenset({"trochanteric-bursitis"})]


def test_code_wins_over_text() -> None:
    mislabelled = concept(CPT, "72148", text="XR hip")
    assert recognised(order(code=mislabelled)) == [("mri-lumbar-spine", "cpt")]


def test_selections_pick_the_orders() -> None:
    drafts = [
        order("xr-1"),
        order("mri-1", concept(CPT, "72148")),
        order("xr-2", concept(CPT, "73502")),
    ]
    found = read_imaging_orders(bundle(*drafts), ["ServiceRequest/xr-2", "ServiceRequest/mri-1"])
    assert [o.reference for o in found.orders] == ["ServiceRequest/mri-1", "ServiceRequest/xr-2"]
    assert found.considered == 2


@pytest.mark.parametrize(
    "selection",
    [
        "https://ehr.example.org/fhir/r4/ServiceRequest/xr-2",
        "ServiceRequest/xr-2/_history/3",
    ],
)
def test_a_selection_named_absolutely_or_by_version_picks_its_order(selection: str) -> None:
    drafts = [order("xr-1"), order("xr-2", concept(CPT, "73502"))]
    found = read_imaging_orders(bundle(*drafts), [selection])
    assert [o.reference for o in found.orders] == ["ServiceRequest/xr-2"]


def test_order_fields_and_resource_copy() -> None:
    draft = order("xr-1", status="active")
    (found,) = read_imaging_orders(bundle(draft)).orders
    assert (found.id, found.reference, found.status) == ("xr-1", "ServiceRequest/xr-1", "active")
    assert found.resource == draft
    assert found.resource is not draft


def test_other_versions_and_order_types_are_skipped() -> None:
    stu3 = order(
        "stu3",
        context={"reference": "Encounter/1"},
        requester={"agent": {"reference": "Practitioner/1"}},
    )
    dstu2 = {
        "resourceType": "DiagnosticOrder",
        "id": "d2",
        "status": "draft",
        "item": [{"code": concept(LOINC, "24762-7")}],
    }
    medication = {
        "resourceType": "MedicationRequest",
        "id": "m1",
        "status": "draft",
        "intent": "order",
    }
    no_id = order()
    del no_id["id"]
    found = read_imaging_orders(bundle(stu3, dstu2, medication, no_id, "junk", order("ok")))
    assert [o.id for o in found.orders] == ["ok"]
    assert (found.considered, found.skipped) == (6, 5)


def test_sandbox_medication_orders_without_bundle_type() -> None:
    request = json.loads((SHARED / "cds-hooks" / "order_select_hook_request.json").read_text())
    context = request["context"]
    found = read_imaging_orders(context["draftOrders"], context["selections"])
    assert (found.orders, found.skipped) == ((), found.considered)


@pytest.mark.parametrize(
    "value",
    [
        None,
        {"resourceType": "ServiceRequest"},
        {"resourceType": "Bundle", "entry": 3},
        ["ServiceRequest/sr-1"],
        [{"resourceType": "Bundle", "entry": []}],
        [{"fullUrl": "urn:uuid:1"}],
    ],
)
def test_draft_orders_that_are_not_a_bundle(value: Any) -> None:
    with pytest.raises(DraftOrdersError):
        read_imaging_orders(value)
    assert issubclass(DraftOrdersError, MappingError)


@pytest.mark.parametrize(
    ("reference", "named"),
    [
        ("Condition/cond-95", {"cond-95"}),
        ("https://ehr.example.org/fhir/r4/Condition/cond-95", {"cond-95"}),
        ("Condition/cond-95/_history/3", {"cond-95"}),
        ("Observation/obs-1", set()),  # a reason that is not a Condition dates nothing
        ("#contained-1", set()),
        ("Condition/", set()),
    ],
)
def test_an_orders_reason_reference_names_the_condition_whose_onset_dates_the_pain(
    reference: str, named: set[str]
) -> None:
    mri = order(code=concept(CPT, "72148"), reasonReference=[{"reference": reference}])
    [found] = read_imaging_orders(bundle(mri)).orders
    assert found.reason_conditions == named


def test_a_draft_order_about_another_patient_is_never_read() -> None:
    # Contract section 2: another patient's data is never used. A draft order whose subject
    # is someone else would otherwise be rated, and its reason steer this patient's plan.
    ours = order("xr-1", subject={"reference": "Patient/p1"})
    theirs = order(
        "mri-2",
        concept(CPT, "72148"),
        subject={"reference": "Patient/p2"},
        reasonCode=[concept("http://hl7.org/fhir/sid/icd-10-cm", "M51.16")],
    )
    found = read_imaging_orders(bundle(ours, theirs), patient=PatientContext("p1"))
    assert [o.reference for o in found.orders] == ["ServiceRequest/xr-1"]
    assert found.skipped == 1
