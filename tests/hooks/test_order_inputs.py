"""What EHRs really send to the order hooks: the sandbox, other FHIR versions, broken bundles."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import responses
from fhir.resources.R4B.servicerequest import ServiceRequest
from flask.testing import FlaskClient

from tests.support.cds_rules import assert_valid_card
from tests.support.hook_requests import FHIR_BASE, PATIENT_ID, TOKEN
from tests.support.orders import (
    CPT,
    PAMA_RATING,
    SNOMED,
    actions,
    hip_xray,
    lumbar_mri,
    order_call,
    order_cards,
    pama_ratings,
)
from tests.support.paths import CDS_HOOKS

SELECT = "/cds-services/gluteal-pain-order-select"
SIGN = "/cds-services/gluteal-pain-order-sign"

# DSTU2 had DiagnosticOrder, STU3 ProcedureRequest; an STU3-era ServiceRequest-like shape
# (``context``, ``requester.agent``) is not valid R4 either.
OTHER_FHIR_VERSIONS = (
    {
        "resourceType": "DiagnosticOrder",
        "id": "dstu2-1",
        "status": "proposed",
        "subject": {"reference": "Patient/pat-1"},
        "item": [{"code": {"coding": [{"system": "http://loinc.org", "code": "24762-7"}]}}],
    },
    {
        "resourceType": "ProcedureRequest",
        "id": "stu3-1",
        "status": "draft",
        "intent": "order",
        "code": {"coding": [{"system": CPT, "code": "73502"}]},
        "subject": {"reference": "Patient/pat-1"},
    },
    {
        "resourceType": "ServiceRequest",
        "id": "stu3-2",
        "status": "draft",
        "intent": "order",
        "code": {"coding": [{"system": CPT, "code": "73502"}]},
        "subject": {"reference": "Patient/pat-1"},
        "context": {"reference": "Encounter/e-1"},
        "requester": {"agent": {"reference": "Practitioner/1"}},
    },
)


def sandbox_pama_order() -> dict[str, Any]:
    """The order of the sandbox's PAMA Imaging screen: lumbar MRI, intent plan, SNOMED reasons."""
    return {
        "resourceType": "ServiceRequest",
        "id": "example-request-id",
        "status": "draft",
        "intent": "plan",
        "code": {
            "coding": [
                {"system": CPT, "code": "72148", "display": "MRI lumbar spine without contrast"}
            ]
        },
        "subject": {"reference": "Patient/pat-1"},
        "reasonCode": [
            {"coding": [{"system": SNOMED, "code": "279039007", "display": "Low back pain"}]}
        ],
    }


@pytest.mark.parametrize("url", [SELECT, SIGN])
def test_other_fhir_versions_are_skipped_without_error(client: FlaskClient, url: str) -> None:
    hook = "order-select" if url == SELECT else "order-sign"

    response = client.post(url, json=order_call(hook, *OTHER_FHIR_VERSIONS, hip_xray("xr-1")))

    assert response.status_code == 200
    assert pama_ratings(response.get_json()) == {"ServiceRequest/xr-1": "not-appropriate"}


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_sandbox_pama_request_gets_a_rating_the_sandbox_can_read(
    client: FlaskClient, hook: str
) -> None:
    request = order_call(hook, sandbox_pama_order(), picture="sciatica")
    assert "type" not in request["context"]["draftOrders"]

    body = client.post(SELECT if hook == "order-select" else SIGN, json=request).get_json()

    # The sandbox looks for an update whose resource is its ServiceRequest with the extension.
    [action] = body["systemActions"]
    assert action["type"] == "update"
    resource = action["resource"]
    assert (resource["resourceType"], resource["id"]) == ("ServiceRequest", "example-request-id")
    [extension] = resource["extension"]
    assert extension["url"] == PAMA_RATING
    assert extension["valueCodeableConcept"]["coding"][0]["code"] == "appropriate"
    assert resource["reasonCode"] == sandbox_pama_order()["reasonCode"]  # the order, as sent
    assert not [c for c in body["cards"] if c["source"]["topic"]["code"] == "order-appropriateness"]


@pytest.mark.parametrize("name", ["order_select_hook_request.json", "order_sign_hook_request.json"])
def test_nutrition_and_medication_orders_are_left_alone(client: FlaskClient, name: str) -> None:
    request = json.loads((CDS_HOOKS / name).read_text(encoding="utf-8"))
    request["prefetch"] = order_call("order-sign")["prefetch"]  # buttock pain recorded
    url = SELECT if request["hook"] == "order-select" else SIGN

    with responses.RequestsMock():  # everything came in prefetch: no FHIR call
        response = client.post(url, json=request)

    assert response.status_code == 200
    assert response.get_json() == {"cards": []}


@pytest.mark.parametrize(
    "draft",
    [
        {"resourceType": "Patient", "id": "p"},
        {"entry": []},
        {"resourceType": "Bundle", "entry": {"resource": {}}},
    ],
    ids=["not-a-bundle", "no-resource-type", "entry-not-a-list"],
)
def test_draft_orders_that_are_no_bundle_are_400_before_any_fhir_call(
    client: FlaskClient, draft: dict[str, Any]
) -> None:
    request = order_call("order-sign", hip_xray())
    request["context"]["draftOrders"] = draft
    del request["prefetch"]
    request |= {
        "fhirServer": FHIR_BASE,
        "fhirAuthorization": {"access_token": TOKEN, "token_type": "Bearer"},
    }

    with responses.RequestsMock():  # a FHIR call would fail the test
        response = client.post(SIGN, json=request)

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("context.draftOrders")


def test_patient_id_that_is_no_fhir_id_gets_the_card_without_an_order(
    client: FlaskClient,
) -> None:
    odd_id = "1&_has=x"  # cannot be a ServiceRequest's subject
    request = json.loads(
        json.dumps(order_call("order-sign", hip_xray())).replace(
            f'"Patient/{PATIENT_ID}"', json.dumps(f"Patient/{odd_id}")
        )
    )
    request["context"]["patientId"] = odd_id
    request["prefetch"]["patient"]["id"] = odd_id

    response = client.post(SIGN, json=request)

    assert response.status_code == 200
    [card] = order_cards(response.get_json())
    assert [a["type"] for a in actions(card)] == ["delete"]


# -- every card and every FHIR resource of every kind of answer ------------------------------


SCENARIOS = {
    "xray-sciatica": ("order-select", (hip_xray("xr-1"),), "sciatica"),
    "xray-stress-fracture": ("order-sign", (hip_xray("xr-1"),), "stress-fracture"),
    "mri-hamstring": ("order-sign", (lumbar_mri("mri-1"),), "hamstring"),
    "mixed-sciatica": ("order-sign", (hip_xray("xr-1"), lumbar_mri("mri-1")), "sciatica"),
    "sandbox-pama": ("order-select", (sandbox_pama_order(),), "hamstring"),
}


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_every_card_and_resource_is_valid(
    client: FlaskClient, scenario: tuple[str, tuple[dict[str, Any], ...], str]
) -> None:
    hook, orders, picture = scenario
    url = SELECT if hook == "order-select" else SIGN

    body = client.post(url, json=order_call(hook, *copy.deepcopy(orders), picture=picture))

    response = body.get_json()
    assert response["cards"] or response["systemActions"]
    for card in response["cards"]:
        assert_valid_card(card)  # CDS Hooks card rules; create resources validated as R4
    for action in response.get("systemActions", []):
        ServiceRequest.model_validate(action["resource"])
    assert len(response.get("systemActions", [])) == len(orders)
