"""The OpenAPI 3.1 description: served, generated from the models, and true of the service.

schemathesis generates requests from the description and checks every answer against it:
no 5xx, a documented status, and a body that matches the documented schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
import responses
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cds_service.app import create_app
from cds_service.hooks.services import SERVICES
from cds_service.settings import Settings
from cds_service.store import store_of
from tests.hardening.seeds import FEEDBACK_SEEDS, serve_fhir_data, vignettes

pytestmark = pytest.mark.slow  # schemathesis generates requests from the OpenAPI description


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    app = create_app(Settings(database_url="sqlite://"))
    body: dict[str, Any] = app.test_client().get("/openapi.json").get_json()
    store_of(app).close()
    return body


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A JSON Schema 2020-12 validator of ``schema`` whose refs resolve in ``document``."""
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]})


def request_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["paths"][path]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    return schema


@pytest.mark.parametrize("path", ["/cds-services/{id}", "/cds-services/{id}/feedback"])
def test_service_id_parameter_lists_the_three_services(document: dict[str, Any], path: str) -> None:
    (parameter,) = document["paths"][path]["post"]["parameters"]

    assert parameter["schema"]["enum"] == list(SERVICES)


def test_every_vignette_request_matches_the_described_request(document: dict[str, Any]) -> None:
    hook_requests = validator(document, request_schema(document, "/cds-services/{id}"))

    for vignette in vignettes():
        errors = [e.message for e in hook_requests.iter_errors(vignette["request"])]
        assert not errors, (vignette["name"], errors[:3])


def test_feedback_requests_match_the_described_request(document: dict[str, Any]) -> None:
    feedback = validator(document, request_schema(document, "/cds-services/{id}/feedback"))

    assert all(feedback.is_valid(seed) for seed in FEEDBACK_SEEDS)
    assert not feedback.is_valid({"feedback": [{"card": "x", "outcome": "ignored"}]})


def test_described_request_of_each_hook_names_its_hook(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]

    hooks = {
        name: schemas[name]["properties"]["hook"]["const"]
        for name in ("PatientViewRequest", "OrderSelectRequest", "OrderSignRequest")
    }

    assert sorted(hooks.values()) == sorted(service.hook for service in SERVICES.values())
    assert "selections" in json.dumps(schemas["OrderSelectContext"])


def test_every_vignette_answer_matches_the_described_response(
    document: dict[str, Any], settings: Settings
) -> None:
    described = document["paths"]["/cds-services/{id}"]["post"]["responses"]["200"]
    answers = validator(document, described["content"]["application/json"]["schema"])
    app = create_app(settings)

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_fhir_data(rsps)
        for vignette in vignettes():
            response = app.test_client().post(
                f"/cds-services/{vignette['service']}", json=vignette["request"]
            )
            errors = [e.message for e in answers.iter_errors(response.get_json())]
            assert not errors, (vignette["name"], errors[:3])


# -- schemathesis -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    database = tmp_path_factory.mktemp("openapi") / "feedback.sqlite3"
    app = create_app(Settings(database_url=f"sqlite:///{database}"))
    with responses.RequestsMock(assert_all_requests_are_fired=False):  # no FHIR call leaves
        yield app
    store_of(app).close()


@pytest.fixture(scope="module")
def api_schema(api_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/openapi.json", api_app)


OPERATIONS = [
    ("/cds-services", "GET"),
    ("/cds-services/{id}", "POST"),
    ("/cds-services/{id}/feedback", "POST"),
    ("/healthz", "GET"),
    ("/readyz", "GET"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# schemathesis' own pytest plugin (from_fixture) does not run under pytest 9: the cases are
# drawn with hypothesis directly from each operation's strategy instead.
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_service_keeps_its_description(api_schema: Any, path: str, method: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=60 if method == "POST" else 5,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def keeps_description(case: Any) -> None:
        case.validate_response(case.call(), checks=CHECKS)

    keeps_description()
