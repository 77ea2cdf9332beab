"""The hook request, parsed and validated (contract section 6): a 400 naming the field,
never repeating the value sent."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.hook_requests import hook_request, hook_request_without, without_prefetch

URL = "/cds-services/gluteal-pain-differential"


def _context(**context: Any) -> dict[str, Any]:
    return hook_request(context=context)


BAD_REQUESTS = [
    pytest.param(hook_request_without("hook"), "hook", id="missing hook"),
    pytest.param(hook_request(hook="order-sign"), "hook", id="hook of another service"),
    pytest.param(
        hook_request(hook=7),  # type: ignore[arg-type]  # the wrong type is the test
        "hook",
        id="hook not a string",
    ),
    pytest.param(hook_request_without("hookInstance"), "hookInstance", id="missing hookInstance"),
    pytest.param(hook_request(hookInstance=""), "hookInstance", id="empty hookInstance"),
    pytest.param(hook_request(hookInstance=12), "hookInstance", id="hookInstance not a string"),
    pytest.param(hook_request_without("context"), "context", id="missing context"),
    pytest.param(hook_request(context="patient"), "context", id="context not an object"),
    pytest.param(_context(userId="Practitioner/1"), "context.patientId", id="no patientId"),
    pytest.param(_context(patientId=42), "context.patientId", id="patientId not a string"),
    pytest.param(
        hook_request(fhirAuthorization={"access_token": "t", "token_type": "Bearer"}),
        "fhirAuthorization",
        id="fhirAuthorization without fhirServer",
    ),
    pytest.param(
        without_prefetch(fhirAuthorization={"token_type": "Bearer"}),
        "fhirAuthorization.access_token",
        id="fhirAuthorization without token",
    ),
    pytest.param(hook_request(fhirServer=["x"]), "fhirServer", id="fhirServer not a string"),
    pytest.param(hook_request(prefetch=[]), "prefetch", id="prefetch not an object"),
    pytest.param(
        hook_request(prefetch={"patient": "Patient/1"}),
        "prefetch.patient",
        id="prefetch entry not a resource",
    ),
    pytest.param(
        hook_request(prefetch={"patient": None, "observations": {"resourceType": "Patient"}}),
        "prefetch.observations",
        id="prefetch search not a Bundle",
    ),
]


@pytest.mark.parametrize(("body", "field"), BAD_REQUESTS)
def test_invalid_request_is_400_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    response = client.post(URL, json=body)

    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"{field}:")


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_malformed_json_is_400(client: FlaskClient, body: bytes) -> None:
    response = client.post(URL, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("body:")


def test_order_select_without_draft_orders_is_400(client: FlaskClient) -> None:
    body = hook_request("order-select")
    del body["context"]["draftOrders"]

    response = client.post("/cds-services/gluteal-pain-order-select", json=body)

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("context.draftOrders:")


def test_error_message_does_not_repeat_the_value_sent(client: FlaskClient) -> None:
    response = client.post(URL, json=_context(patientId=["Jane Doe 1970-01-01"]))

    assert "Jane Doe" not in response.get_data(as_text=True)
