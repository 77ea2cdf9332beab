"""The request budget: a slow or endless FHIR server gives a prompt answer that says so, or 412."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import pytest
import responses
from flask.testing import FlaskClient
from requests import PreparedRequest

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import (
    FHIR_BASE,
    PATIENT_ID,
    bundle,
    finding,
    hook_request,
    patient,
    without_prefetch,
)

URL = "/cds-services/gluteal-pain-differential"
BUDGET_S = 0.6
PAGE_DELAY_S = 0.1


@pytest.fixture
def budget_client(settings: Settings) -> FlaskClient:
    """The service with a short request budget, as an EHR would want it."""
    return create_app(replace(settings, request_budget_s=BUDGET_S)).test_client()


def _endless_pages(request: PreparedRequest) -> tuple[int, dict[str, str], str]:
    """Each page takes a while and links to another one, forever."""
    time.sleep(PAGE_DELAY_S)
    page = int(request.params.get("page", "1"))  # type: ignore[attr-defined]
    next_url = f"{FHIR_BASE}/Observation?patient={PATIENT_ID}&page={page + 1}"
    body = bundle(finding("buttock-pain", obs_id=f"obs-{page}"), next_url=next_url)
    return 200, {"Content-Type": "application/fhir+json"}, json.dumps(body)


def _differential_detail(body: dict[str, Any]) -> str:
    [card] = [c for c in body["cards"] if c["source"]["topic"]["code"] == "differential"]
    detail: str = card["detail"]
    return detail


def test_endless_slow_search_is_cut_at_the_budget_and_said(budget_client: FlaskClient) -> None:
    body = without_prefetch(prefetch={"patient": patient(), "conditions": bundle()})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback("GET", f"{FHIR_BASE}/Observation", callback=_endless_pages)
        started = time.perf_counter()
        response = budget_client.post(URL, json=body)
        elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed < BUDGET_S + PAGE_DELAY_S  # one page may be in flight when time runs out
    detail = _differential_detail(response.get_json())
    assert "**Data incomplete:** the Observation search ran out of time" in detail


def test_page_bound_is_said_on_the_card(settings: Settings) -> None:
    client = create_app(replace(settings, fhir_max_pages=2)).test_client()
    body = without_prefetch(prefetch={"patient": patient(), "conditions": bundle()})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback("GET", f"{FHIR_BASE}/Observation", callback=_endless_pages)
        response = client.post(URL, json=body)

    assert response.status_code == 200
    assert "the Observation search was stopped after 2 pages" in _differential_detail(
        response.get_json()
    )


def test_no_observations_within_the_budget_is_412(budget_client: FlaskClient) -> None:
    def too_slow(_request: PreparedRequest) -> tuple[int, dict[str, str], str]:
        time.sleep(BUDGET_S)
        return 200, {}, json.dumps(patient())

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_callback("GET", f"{FHIR_BASE}/Patient/{PATIENT_ID}", callback=too_slow)
        started = time.perf_counter()
        response = budget_client.post(URL, json=without_prefetch())
        elapsed = time.perf_counter() - started

    assert response.status_code == 412
    assert "observations" in response.get_json()["error"]
    assert "time budget" in response.get_json()["error"]
    assert elapsed < BUDGET_S + 0.2


@responses.activate
def test_unreadable_resources_are_counted_not_quoted(client: FlaskClient) -> None:
    broken = {"resourceType": "Observation", "id": "x-secret-9", "status": 42}
    body = hook_request()
    body["prefetch"]["observations"] = bundle(finding("buttock-pain"), broken, broken)

    response = client.post(URL, json=body)

    detail = _differential_detail(response.get_json())
    assert "**Data incomplete:** 2 resources could not be read" in detail
    assert "x-secret-9" not in detail


@responses.activate
def test_complete_data_gets_no_note(client: FlaskClient) -> None:
    response = client.post(URL, json=hook_request())

    assert "Data incomplete" not in _differential_detail(response.get_json())


def test_more_fetched_entries_than_the_limit_are_cut_and_said(settings: Settings) -> None:
    client = create_app(replace(settings, max_prefetch_entries=3)).test_client()
    observations = bundle(*(finding("buttock-pain", obs_id=f"obs-{i}") for i in range(5)))
    body = without_prefetch(prefetch={"patient": patient(), "conditions": bundle()})
    with responses.RequestsMock() as rsps:
        rsps.get(f"{FHIR_BASE}/Observation", json=observations)
        response = client.post(URL, json=body)

    assert response.status_code == 200
    detail = _differential_detail(response.get_json())
    assert "only the first 3 Observations from the FHIR server were read" in detail


def test_more_prefetched_entries_than_the_limit_is_the_callers_error(settings: Settings) -> None:
    client = create_app(replace(settings, max_prefetch_entries=3)).test_client()
    observations = bundle(*(finding("buttock-pain", obs_id=f"obs-{i}") for i in range(5)))
    body = hook_request(prefetch={"patient": patient(), "observations": observations})
    response = client.post(URL, json=body)

    assert response.status_code == 400
    assert "prefetch.observations" in response.get_json()["error"]
