"""Discovery: what an EHR reads first (contract section 2)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import hook_request

EXPECTED = {
    "gluteal-pain-differential": "patient-view",
    "gluteal-pain-order-select": "order-select",
    "gluteal-pain-order-sign": "order-sign",
}
TEMPLATES = {
    "patient": "Patient/{{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "questionnaireResponses": "QuestionnaireResponse?patient={{context.patientId}}"
    "&questionnaire=https://gluteal-cds.org/fhir/Questionnaire/finding-capture",
    # Contract section 2 (12-06): clinical notes, optional.
    "notes": "DocumentReference?patient={{context.patientId}}&category=clinical-note"
    "&status=current",
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
        # The observations only as far back as the service reads them (issue 26).
        assert service["prefetch"] == {
            **TEMPLATES,
            "observations": TEMPLATES["observations"] + "&date=ge{{today() - 180 days}}",
        }
        assert service["title"]
        assert service["description"]


def test_the_observation_age_follows_its_setting_and_plain_is_the_contract_template(
    settings: Settings,
) -> None:
    def observations(**changes: Any) -> set[str]:
        client = create_app(dataclasses.replace(settings, **changes)).test_client()
        services = client.get("/cds-services").get_json()["services"]
        return {service["prefetch"]["observations"] for service in services}

    assert observations(observation_max_age_days=90) == {
        TEMPLATES["observations"] + "&date=ge{{today() - 90 days}}"
    }
    assert observations(prefetch_observations="plain") == {TEMPLATES["observations"]}


def test_card_source_links_lead_to_a_knowledge_page(client: FlaskClient) -> None:
    cards = client.post("/cds-services/gluteal-pain-differential", json=hook_request()).get_json()
    url = cards["cards"][0]["source"]["url"]

    page = client.get(url.removeprefix("http://localhost"))

    assert page.status_code == 200
    assert page.content_type.startswith("text/html")


def test_unknown_knowledge_page_is_404(client: FlaskClient) -> None:
    # A page for clinicians: its 404 is an HTML page for a browser, JSON for anyone else
    # (tests/pages/test_errors.py checks both).
    response = client.get("/knowledge/not-a-condition")

    assert response.status_code == 404
    assert response.get_json()["error"]
