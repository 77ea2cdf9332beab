"""Every error of contract section 6: a clear 4xx with a JSON body naming the field."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import hook_request, hook_request_without, without_prefetch

URL = "/cds-services/gluteal-pain-differential"


def test_unknown_service_is_404_json(client: FlaskClient) -> None:
    response = client.post("/cds-services/no-such-service", json=hook_request())

    # Issue 15 changed this: the id the caller sent is no longer repeated.
    assert response.status_code == 404
    assert response.get_json() == {
        "error": "no CDS service with this id (GET /cds-services lists them)"
    }


def test_unknown_path_is_404_json(client: FlaskClient) -> None:
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert "error" in response.get_json()


def test_wrong_method_is_405_json(client: FlaskClient) -> None:
    response = client.get(URL)

    assert response.status_code == 405
    assert "error" in response.get_json()
    assert "POST" in response.headers["Allow"]


def test_missing_data_without_fhir_server_is_412_naming_what_is_missing(
    client: FlaskClient,
) -> None:
    body = hook_request(prefetch={"patient": None, "conditions": None})

    response = client.post(URL, json=body)

    assert response.status_code == 412
    assert "observations" in response.get_json()["error"]


def test_no_prefetch_at_all_without_fhir_server_is_412(client: FlaskClient) -> None:
    response = client.post(URL, json=hook_request_without("prefetch"))

    assert response.status_code == 412
    assert "fhirServer" in response.get_json()["error"]


def test_plain_http_fhir_server_is_refused(client: FlaskClient) -> None:
    body = without_prefetch(fhirServer="http://ehr.example.org/fhir")

    response = client.post(URL, json=body)

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("fhirServer:")


@pytest.mark.parametrize("server", ["ftp://ehr.example.org/fhir", "not a url", "https://"])
def test_fhir_server_that_is_no_https_url_is_refused(client: FlaskClient, server: str) -> None:
    response = client.post(URL, json=without_prefetch(fhirServer=server))

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("fhirServer:")


def test_fhir_server_off_the_allowlist_is_refused(settings: Settings) -> None:
    allowlisted = Settings(
        database_url=settings.database_url, fhir_allowlist=("https://other.example.org/fhir",)
    )
    client = create_app(allowlisted).test_client()

    response = client.post(URL, json=without_prefetch())

    assert response.status_code == 400
    assert "GLUTEAL_CDS_FHIR_ALLOWLIST" in response.get_json()["error"]


def test_unexpected_failure_is_500_json_without_internals(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("cds_service.api.hooks.answer_hook", broken)

    response = client.post(URL, json=hook_request())

    assert response.status_code == 500
    assert response.get_json() == {"error": "internal error"}


def test_too_many_prefetch_entries_is_400(settings: Settings) -> None:
    limited = Settings(database_url=settings.database_url, max_prefetch_entries=2)
    client = create_app(limited).test_client()
    body = hook_request()
    body["prefetch"]["observations"]["entry"] *= 3

    response = client.post(URL, json=body)

    assert response.status_code == 400
    assert response.get_json()["error"].startswith("prefetch.observations:")
