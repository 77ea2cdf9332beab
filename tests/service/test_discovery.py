"""Discovery: what an EHR reads first (contract section 2)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

EXPECTED = {
    "gluteal-pain-differential": "patient-view",
    "gluteal-pain-order-select": "order-select",
    "gluteal-pain-order-sign": "order-sign",
}
TEMPLATES = {
    "patient": "Patient/{{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
}


@pytest.mark.parametrize("path", ["/cds-services", "/cds-services/"])
def test_discovery_lists_the_three_services_with_the_contract_prefetch(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    services = response.get_json()["services"]
    assert {service["id"]: service["hook"] for service in services} == EXPECTED
    for service in services:
        assert service["prefetch"] == TEMPLATES
        assert service["title"]
        assert service["description"]
