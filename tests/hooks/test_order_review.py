"""order-select and order-sign through the HTTP API: which orders are rated, carded, skipped."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest
from flask.testing import FlaskClient

from tests.support.hook_requests import finding
from tests.support.orders import (
    CPT,
    LOINC,
    actions,
    appropriateness,
    hip_xray,
    lumbar_mri,
    order_call,
    order_cards,
    pama_ratings,
    service_request,
    topic,
)

DIFFERENTIAL = "https://gluteal-cds.org/cds-hooks/differential"
SELECT = "/cds-services/gluteal-pain-order-select"
SIGN = "/cds-services/gluteal-pain-order-sign"
URL_BY_HOOK = {"order-select": SELECT, "order-sign": SIGN}


def answer(client: FlaskClient, hook: str, *orders: dict[str, Any], **options: Any) -> Any:
    response = client.post(URL_BY_HOOK[hook], json=order_call(hook, *orders, **options))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_hip_xray_gets_a_card_that_swaps_it_for_the_lumbar_mri(
    client: FlaskClient, hook: str
) -> None:
    body = answer(client, hook, hip_xray("xr-1"), picture="sciatica")

    [card] = order_cards(body)
    assert card["indicator"] == "warning"
    extension = appropriateness(card)
    assert {key: extension[key] for key in ("order", "test", "rating", "alternative")} == {
        "order": "ServiceRequest/xr-1",
        "test": "xray-hip-pelvis",
        "rating": "not-appropriate",
        "alternative": "mri-lumbar-spine",
    }
    assert 1 <= extension["score"] <= 3
    assert "does not separate" in extension["reason"]
    delete, create = actions(card)
    assert delete == {
        "type": "delete",
        "description": "Remove the draft order: X-ray of hip or pelvis",
        "resourceId": "ServiceRequest/xr-1",
    }
    ServiceRequest.model_validate(create["resource"])
    created = create["resource"]
    assert (created["status"], created["subject"]) == ("draft", {"reference": "Patient/pat-1"})
    assert (CPT, "72148") in {(c["system"], c["code"]) for c in created["code"]["coding"]}
    assert {c["code"] for c in card["overrideReasons"]} >= {"patient-preference", "other"}
    assert pama_ratings(body) == {"ServiceRequest/xr-1": "not-appropriate"}


def test_xray_named_only_by_cpt_is_recognised(client: FlaskClient) -> None:
    xray = service_request("xr-cpt", coding=[(CPT, "73502")])

    body = answer(client, "order-sign", xray)

    [card] = order_cards(body)
    assert appropriateness(card)["order"] == "ServiceRequest/xr-cpt"
    assert pama_ratings(body) == {"ServiceRequest/xr-cpt": "not-appropriate"}


def test_xray_named_only_by_text_is_recognised(client: FlaskClient) -> None:
    xray = service_request("xr-text", text="XR pelvis 1 view")
    assert "coding" not in xray["code"]

    body = answer(client, "order-select", xray)

    [card] = order_cards(body)
    assert appropriateness(card)["test"] == "xray-hip-pelvis"
    assert actions(card)[0]["resourceId"] == "ServiceRequest/xr-text"


def test_useful_mri_gets_no_order_card_but_its_rating(client: FlaskClient) -> None:
    body = answer(client, "order-select", lumbar_mri("mri-1"), picture="sciatica")

    # The plan stays in view (what to examine first, the X-ray to avoid): no order card.
    assert not order_cards(body)
    assert [topic(c) for c in body["cards"]] == ["next-test", "avoid-test"]
    assert [c["indicator"] for c in body["cards"]] == ["info", "warning"]
    assert pama_ratings(body) == {"ServiceRequest/mri-1": "appropriate"}
    [action] = body["systemActions"]
    assert action["resource"]["code"] == lumbar_mri("mri-1")["code"]  # the order, unchanged


def test_mri_that_would_not_help_is_swapped_for_the_one_that_would(client: FlaskClient) -> None:
    # A hamstring picture, examined: the lumbar spine is not the question, the hip / pelvis
    # MRI that grades the tendon is.
    body = answer(client, "order-sign", lumbar_mri("mri-1"), picture="hamstring-examined")

    [card] = order_cards(body)
    assert appropriateness(card)["test"] == "mri-lumbar-spine"
    assert appropriateness(card)["alternative"] == "mri-hip-pelvis"
    delete, create = actions(card)
    assert delete["resourceId"] == "ServiceRequest/mri-1"
    assert (CPT, "73721") in {
        (c["system"], c["code"]) for c in create["resource"]["code"]["coding"]
    }
    assert pama_ratings(body) == {"ServiceRequest/mri-1": "not-appropriate"}


def test_exam_alternative_is_named_in_the_label_and_nothing_is_created(
    client: FlaskClient,
) -> None:
    # Buttock pain above the knee, worse sitting (vignette 14's picture): only manual
    # tests separate what is left, so the X-ray is dropped for an examination.
    request = order_call("order-select", hip_xray("xr-1"))
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("pain-worse-sitting", True),
            ("pain-radiates-below-knee", False),
        )
    ]

    body = client.post(SELECT, json=request).get_json()

    [card] = order_cards(body)
    alternative = appropriateness(card)["alternative"]
    assert alternative.startswith("exam-")
    assert [a["type"] for a in actions(card)] == ["delete"]
    assert "examine instead" in card["suggestions"][0]["label"]


def test_order_select_reviews_only_the_selected_orders(client: FlaskClient) -> None:
    orders = (hip_xray("xr-1"), hip_xray("xr-2"), lumbar_mri("mri-1"), lumbar_mri("mri-2"))

    body = answer(
        client,
        "order-select",
        *orders,
        selections=["ServiceRequest/xr-2", "ServiceRequest/mri-1"],
    )

    assert [appropriateness(c)["order"] for c in order_cards(body)] == ["ServiceRequest/xr-2"]
    assert pama_ratings(body) == {
        "ServiceRequest/xr-2": "not-appropriate",
        "ServiceRequest/mri-1": "appropriate",
    }


def test_order_select_with_nothing_selected_is_silent(client: FlaskClient) -> None:
    body = answer(client, "order-select", hip_xray("xr-1"), selections=[])

    assert body == {"cards": []}


def test_order_sign_reviews_every_draft(client: FlaskClient) -> None:
    body = answer(client, "order-sign", hip_xray("xr-1"), hip_xray("xr-2"), lumbar_mri("mri-1"))

    assert len(order_cards(body)) == 2
    assert set(pama_ratings(body)) == {
        "ServiceRequest/xr-1",
        "ServiceRequest/xr-2",
        "ServiceRequest/mri-1",
    }


def test_order_already_signed_gets_no_card_and_no_rating(client: FlaskClient) -> None:
    signed = hip_xray("xr-old", status="active")

    body = answer(client, "order-sign", signed, hip_xray("xr-new"))

    assert [appropriateness(c)["order"] for c in order_cards(body)] == ["ServiceRequest/xr-new"]
    assert pama_ratings(body) == {"ServiceRequest/xr-new": "not-appropriate"}


def test_no_presenting_complaint_is_exactly_no_cards(client: FlaskClient) -> None:
    body = answer(client, "order-sign", hip_xray("xr-1"), picture="no-complaint")

    assert body == {"cards": []}


def test_red_flags_come_first_and_the_first_film_is_kept_when_a_fracture_leads(
    client: FlaskClient,
) -> None:
    body = answer(client, "order-select", hip_xray("xr-1"), picture="stress-fracture")

    # ACR: radiographs are usually appropriate as the first study for a stress fracture, so
    # the film is not cancelled; the red-flag card says the MRI must not wait for it.
    assert topic(body["cards"][0]) == "red-flag"
    assert not order_cards(body)
    assert body["cards"][0]["indicator"] == "critical"
    assert "must not delay the MRI" in body["cards"][0]["detail"]
    assert pama_ratings(body) == {"ServiceRequest/xr-1": "appropriate"}


MEDICATION = {
    "resourceType": "MedicationRequest",
    "id": "med-1",
    "status": "draft",
    "intent": "order",
    "medicationCodeableConcept": {"text": "ibuprofen 400 mg"},
    "subject": {"reference": "Patient/pat-1"},
}
PHYSIO = service_request("pt-1", text="Referral to physiotherapy: lumbar stabilisation")
INJECTION = service_request("inj-1", text="Piriformis corticosteroid injection, left")


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
@pytest.mark.parametrize("order", [MEDICATION, PHYSIO, INJECTION], ids=["drug", "physio", "inj"])
def test_a_red_flag_shows_when_treatment_is_ordered(
    client: FlaskClient, hook: str, order: dict[str, Any]
) -> None:
    # Ordering treatment is when cauda equina must not be missed: the red-flag card alone
    # (no differential or plan card for an order that is not imaging, no rating).
    body = answer(client, hook, order, picture="cauda-equina")

    [card] = body["cards"]
    assert (topic(card), card["indicator"]) == ("red-flag", "critical")
    assert "cauda equina" in card["summary"].lower()
    assert "saddle-numbness" in card["extension"][DIFFERENTIAL]["redFlags"]
    assert "systemActions" not in body


def test_the_tumour_flag_warns_against_the_injection_being_ordered(client: FlaskClient) -> None:
    request = order_call("order-sign", INJECTION)
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True), ("cancer-history", True), ("night-pain-at-rest", True)
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = body["cards"]
    assert (topic(card), card["indicator"]) == ("red-flag", "critical")
    assert "no corticosteroid injection until" in card["detail"]
    assert "tumour" in card["extension"][DIFFERENTIAL]["redFlags"]
    # Review 10b, item 9: the summary, what the clinician reads first, says it too.
    assert "no corticosteroid injection" in card["summary"]


def test_a_bursa_injection_ordered_while_a_fracture_is_possible_shows_the_caution(
    client: FlaskClient,
) -> None:
    # Lateral hip pain, pain on impact: trochanteric bursitis leads, a stress fracture is
    # possible with a bone-stress finding. The injection got {"cards": []}.
    bursa = service_request("inj-2", text="Trochanteric bursa steroid injection")
    request = order_call("order-sign", bursa)
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("lateral-hip-pain", True),
            ("pain-on-impact", True),
            ("greater-trochanter-tenderness", True),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = body["cards"]
    assert (topic(card), card["indicator"]) == ("treatment-caution", "warning")
    assert "no bursa injection until a stress fracture is excluded" in card["summary"]
    assert "systemActions" not in body


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_the_fracture_caution_shows_beside_the_red_flag_on_an_injection_coded_by_cpt(
    client: FlaskClient, hook: str
) -> None:
    bursa = service_request("inj-3", coding=[(CPT, "20610")])

    body = answer(client, hook, bursa, picture="stress-fracture")

    assert [(topic(c), c["indicator"]) for c in body["cards"]] == [
        ("red-flag", "critical"),
        ("treatment-caution", "warning"),
    ]
    assert "injection" in body["cards"][1]["summary"]


def test_orders_no_caution_warns_against_show_no_caution_card(client: FlaskClient) -> None:
    # Nothing else new: the fracture's caution is about injections, not physiotherapy, and
    # an X-ray order gets its rating and plan cards but no caution card.
    for order in (PHYSIO, hip_xray("xr-1")):
        body = answer(client, "order-sign", order, picture="stress-fracture")
        assert "treatment-caution" not in [topic(c) for c in body["cards"]]


def test_a_fracture_red_flag_shows_when_a_drug_is_ordered(client: FlaskClient) -> None:
    body = answer(client, "order-select", MEDICATION, picture="stress-fracture")

    assert [(topic(c), c["indicator"]) for c in body["cards"]] == [("red-flag", "critical")]


@pytest.mark.parametrize(("picture"), ["sciatica", "red-flag-only", "no-complaint"])
def test_treatment_orders_without_a_red_flag_or_complaint_get_no_card(
    client: FlaskClient, picture: str
) -> None:
    # No red flag: nothing is said about orders that are not imaging. A red flag without
    # a presenting complaint starts no differential (contract 5).
    for order in (MEDICATION, PHYSIO, INJECTION):
        assert answer(client, "order-sign", order, picture=picture) == {"cards": []}


def test_orders_of_no_test_we_know_are_left_alone(client: FlaskClient) -> None:
    chest = service_request("cxr-1", coding=[(LOINC, "36643-5")], text="XR Chest 2 views")

    body = answer(client, "order-sign", chest)

    assert body == {"cards": []}


@pytest.mark.parametrize(
    "text",
    [
        "Referral to orthopaedics for hip replacement (X-ray reviewed)",
        "CT-guided piriformis injection, left hip",
        "Fluoroscopy-guided SI joint injection, pelvis",
        "Hip aspiration under ultrasound",
    ],
)
def test_a_referral_or_injection_naming_a_study_is_neither_rated_nor_cancelled(
    client: FlaskClient, text: str
) -> None:
    # Gluteus medius picture (vignette 14's): an X-ray or CT order here would be rated 1-3.
    body = answer(client, "order-sign", service_request("sr-1", text=text), picture="sciatica")

    assert not order_cards(body)
    assert "systemActions" not in body
    assert all("ServiceRequest/sr-1" not in str(card) for card in body["cards"])


@pytest.mark.parametrize(
    "text",
    [
        "MRI lumbar spine - referral indication: saddle numbness",
        "MRI lumbar spine ?suitability for nerve root block",
    ],
)
def test_a_red_flags_mri_with_a_procedure_in_its_indication_is_rated_not_offered_again(
    client: FlaskClient, text: str
) -> None:
    body = answer(client, "order-sign", service_request("m1", text=text), picture="cauda-equina")

    assert topic(body["cards"][0]) == "red-flag"
    assert pama_ratings(body) == {"ServiceRequest/m1": "appropriate"}
    # The MRI drafted is never offered a second time.
    assert not [a for c in body["cards"] for s in c.get("suggestions", []) for a in s["actions"]]


def test_the_tumour_flags_mri_naming_the_cancer_is_rated_and_not_offered_again(
    client: FlaskClient,
) -> None:
    # "prostate" in the indication made it no study: unrated, and the red-flag card offered
    # to create the lumbar MRI already drafted.
    mri = service_request("m1", text="MRI lumbar spine - h/o prostate cancer, night pain")
    request = order_call("order-sign", mri)
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("low-back-pain", True),
            ("cancer-history", True),
            ("night-pain-at-rest", True),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    assert topic(body["cards"][0]) == "red-flag"
    assert pama_ratings(body) == {"ServiceRequest/m1": "appropriate"}
    assert not [a for c in body["cards"] for s in c.get("suggestions", []) for a in s["actions"]]


def test_an_early_lumbar_mri_not_improving_with_physio_is_still_not_advised(
    client: FlaskClient,
) -> None:
    # Radicular pain at 2 weeks: the indication's "physio" made it no study, so unwarned.
    request = order_call(
        "order-sign",
        service_request(
            "m1", text="MRI lumbar spine - sciatica 2 weeks, not improving with physio"
        ),
    )
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("pain-radiates-below-knee", True),
            ("leg-numbness", True),
            ("symptoms-over-6-weeks", False),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = order_cards(body)
    assert appropriateness(card)["order"] == "ServiceRequest/m1"
    assert pama_ratings(body) == {"ServiceRequest/m1": "not-appropriate"}


def _findings(*states: tuple[str, bool]) -> list[dict[str, Any]]:
    return [
        finding(code, present=present, obs_id=f"obs-{index}")
        for index, (code, present) in enumerate(states)
    ]


TROCHANTERIC_REASON = {
    "coding": [{"system": "http://snomed.info/sct", "code": "7674000"}],
    "text": "Trochanteric bursitis",
}


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_the_study_a_red_flag_calls_for_is_never_cancelled(client: FlaskClient, hook: str) -> None:
    body = answer(client, hook, lumbar_mri("mri-1"), picture="cauda-equina")

    assert topic(body["cards"][0]) == "red-flag"
    assert not order_cards(body)
    assert "lumbar spine" in body["cards"][0]["summary"]
    # The MRI being signed is never offered a second time.
    assert not [a for c in body["cards"] for s in c.get("suggestions", []) for a in s["actions"]]
    assert pama_ratings(body) == {"ServiceRequest/mri-1": "appropriate"}


def test_an_orders_reason_alone_starts_the_review(client: FlaskClient) -> None:
    ct_pelvis = service_request("ct-1", coding=[(CPT, "72192")], reasonCode=[TROCHANTERIC_REASON])

    body = answer(client, "order-select", ct_pelvis, picture="no-complaint")

    [card] = order_cards(body)
    extension = appropriateness(card)
    assert (extension["test"], extension["rating"]) == ("ct-hip-pelvis", "not-appropriate")
    assert extension["alternative"].startswith("exam-")  # trochanter palpation, not imaging
    assert pama_ratings(body) == {"ServiceRequest/ct-1": "not-appropriate"}
    assert not [c for c in body["cards"] if topic(c) == "red-flag"]  # a reason raises none


def test_an_order_without_a_reason_is_not_rated_on_anothers_reason(client: FlaskClient) -> None:
    with_reason = service_request("ct-1", coding=[(CPT, "72192")], reasonCode=[TROCHANTERIC_REASON])

    body = answer(client, "order-sign", with_reason, hip_xray("xr-2"), picture="no-complaint")

    assert set(pama_ratings(body)) == {"ServiceRequest/ct-1"}


def test_ct_recognised_by_text_is_rated_and_swapped_for_the_useful_study(
    client: FlaskClient,
) -> None:
    ct_lumbar = service_request("ct-2", text="CT lumbar spine without contrast")

    body = answer(client, "order-select", ct_lumbar, picture="hamstring-examined")

    [card] = order_cards(body)
    assert appropriateness(card)["test"] == "ct-lumbar-spine"
    delete, create = actions(card)
    assert delete["resourceId"] == "ServiceRequest/ct-2"
    assert create["type"] == "create"  # the hamstring picture's MRI, to grade the tendon
    assert body["extension"]["systemActions"] == body["systemActions"]


def test_ct_stands_in_for_an_mri_a_red_flag_calls_for(client: FlaskClient) -> None:
    ct_lumbar = service_request("ct-3", coding=[(CPT, "72131")])

    body = answer(client, "order-select", ct_lumbar, picture="cauda-equina")

    # Rated 5, appropriate; an info card offers the MRI (override: MRI contraindicated).
    [card] = order_cards(body)
    assert card["indicator"] == "info"
    assert appropriateness(card)["rating"] == "appropriate"
    assert appropriateness(card)["alternative"] == "mri-lumbar-spine"
    assert card["summary"].count("CT lumbar spine") == 1
    assert "mri-contraindicated" in [r["code"] for r in card["overrideReasons"]]
    assert pama_ratings(body) == {"ServiceRequest/ct-3": "appropriate"}


SCIATICA_REASONS = [
    {"coding": [{"system": "http://snomed.info/sct", "code": "23056005"}], "text": "Sciatica"},
    {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.31"}]},
    {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M51.16"}]},
]


@pytest.mark.parametrize("reason", SCIATICA_REASONS)
def test_the_orders_reason_never_flips_the_lumbar_mri_rating(
    client: FlaskClient, reason: dict[str, Any]
) -> None:
    # The sandbox flow: patient-view puts the lumbar MRI in the plan; the PAMA screen orders
    # the same MRI with the reason sciatica. Same rating either way, and no card to cancel it.
    plain = answer(client, "order-select", lumbar_mri("mri-1"), picture="sciatica")
    reasoned_order = lumbar_mri("mri-1") | {"reasonCode": [reason]}
    reasoned = answer(client, "order-select", reasoned_order, picture="sciatica")
    assert pama_ratings(plain) == pama_ratings(reasoned) == {"ServiceRequest/mri-1": "appropriate"}
    assert not order_cards(reasoned)


STRESS_FRACTURE_REASON = {"coding": [{"system": "http://snomed.info/sct", "code": "240197007"}]}


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_a_study_drafted_for_its_indication_is_not_also_one_to_avoid(
    client: FlaskClient, hook: str
) -> None:
    # A hip X-ray ordered for a suspected stress fracture: ACR's first study, rated
    # appropriate; no card may tell the clinician to avoid that same X-ray.
    xray = hip_xray("xr-1", reasonCode=[STRESS_FRACTURE_REASON])

    body = answer(client, hook, xray, picture="diffuse")

    assert pama_ratings(body) == {"ServiceRequest/xr-1": "appropriate"}
    assert "avoid-test" not in [topic(c) for c in body["cards"]]
    assert not any(
        "X-ray" in card["summary"] and "not" in card["summary"] for card in body["cards"]
    )


def test_a_study_the_plan_lists_next_is_not_cancelled_for_the_orders_reason(
    client: FlaskClient,
) -> None:
    # A positive straight leg raise puts the lumbar MRI on the plan (nextTests); ordered
    # with the reason "trochanteric bursitis" it was rated 3 and offered for deletion.
    request = order_call(
        "order-sign",
        lumbar_mri("mri-1", reasonCode=[TROCHANTERIC_REASON]),
        picture="impact-and-slr",
    )
    del request["prefetch"]["patient"]["gender"]  # no sex recorded

    body = client.post(SIGN, json=request).get_json()

    assert not order_cards(body)
    assert pama_ratings(body) == {"ServiceRequest/mri-1": "appropriate"}
    assert "next-test" in [topic(c) for c in body["cards"]]


SCIATICA_REASON = {"coding": [{"system": "http://snomed.info/sct", "code": "202735001"}]}


def test_a_lumbar_mri_at_day_10_names_the_examination_to_do_instead(client: FlaskClient) -> None:
    # Sciatica named as the reason, under 6 weeks: ACR advises conservative care first. The
    # card names what to do instead of the MRI (contract 5, `alternative`), no study.
    request = order_call("order-sign", lumbar_mri("mri-1", reasonCode=[SCIATICA_REASON]))
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("pain-radiates-below-knee", True),
            ("symptoms-over-6-weeks", False),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = order_cards(body)
    assert appropriateness(card)["alternative"] == "exam-straight-leg-raise"
    assert [a["type"] for a in actions(card)] == ["delete"]
    assert card["suggestions"][0]["label"].endswith("examine instead: straight leg raise")


def test_a_lumbar_mri_at_day_10_never_names_an_examination_already_done(
    client: FlaskClient,
) -> None:
    # Review 10b, item 10: a positive straight leg raise on record, the card still said
    # "examine instead: straight leg raise". Nothing left to examine: it only cancels.
    request = order_call("order-sign", lumbar_mri("mri-1"))
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("pain-radiates-below-knee", True),
            ("leg-numbness", True),
            ("straight-leg-raise-positive", True),
            ("symptoms-over-6-weeks", False),
            ("piriformis-test-positive", False),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = order_cards(body)
    assert "alternative" not in appropriateness(card)
    assert [a["type"] for a in actions(card)] == ["delete"]
    assert "straight leg raise" not in card["suggestions"][0]["label"]
    assert "conservative care first" in card["summary"]


def test_a_lumbar_mri_with_contrast_is_never_called_without_contrast(client: FlaskClient) -> None:
    # CPT 72149: the card called it "MRI lumbar spine without contrast".
    mri = service_request("l1", coding=[(CPT, "72149")], text="MRI lumbar spine with contrast")

    request = order_call("order-sign", mri)
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("diffuse-gluteal-pain", True),
            ("pain-radiates-below-knee", False),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = order_cards(body)
    assert card["summary"].startswith("MRI lumbar spine with contrast not advised now")
    assert card["suggestions"][0]["label"].startswith("Cancel the MRI lumbar spine with contrast")
    assert actions(card)[0]["description"] == (
        "Remove the draft order: MRI lumbar spine with contrast"
    )
    assert "without contrast" not in str(body["cards"])


def test_the_plan_marks_a_study_drafted_with_contrast_as_such(client: FlaskClient) -> None:
    # Sciatica past 6 weeks: the plan's lumbar MRI is without contrast (ACR); the one
    # drafted is with it, and the card says so rather than "already drafted".
    request = order_call("order-select", service_request("l1", coding=[(CPT, "72149")]))
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("pain-radiates-below-knee", True),
            ("straight-leg-raise-positive", True),
            ("piriformis-test-positive", False),
            ("symptoms-over-6-weeks", True),
        )
    ]

    body = client.post(SELECT, json=request).get_json()

    [next_test] = [c for c in body["cards"] if topic(c) == "next-test"]
    assert next_test["summary"].startswith(
        "Next: MRI lumbar spine without contrast (drafted with contrast)"
    )
    assert "already drafted" not in next_test["detail"]
    assert pama_ratings(body) == {"ServiceRequest/l1": "appropriate"}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("MRI lumbar spine w/o and w/ contrast", "MRI lumbar spine with and without contrast"),
        ("MRI lumbar spine without/with contrast", "MRI lumbar spine with and without contrast"),
        (
            "MRI lumbar spine without contrast (no post contrast sequences)",
            "MRI lumbar spine without contrast",
        ),
        ("MRI lumbar spine", "MRI lumbar spine without contrast"),
    ],
)
def test_an_early_lumbar_mri_is_named_with_the_contrast_it_is_ordered_with(
    client: FlaskClient, text: str, named: str
) -> None:
    # Review 10b, item 11: the first two were named "with contrast", the third too.
    request = order_call("order-sign", service_request("m1", text=text))
    request["prefetch"]["observations"]["entry"] = [
        {"resource": resource}
        for resource in _findings(
            ("buttock-pain", True),
            ("pain-radiates-below-knee", True),
            ("leg-numbness", True),
            ("symptoms-over-6-weeks", False),
        )
    ]

    body = client.post(SIGN, json=request).get_json()

    [card] = order_cards(body)
    assert card["summary"].startswith(f"{named} not advised now")
    assert actions(card)[0]["description"] == f"Remove the draft order: {named}"
    if "with and" not in named:
        assert "with contrast" not in str(body["cards"])
