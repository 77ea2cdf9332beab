"""One JSON log line per request, a request id end to end, and no patient data in logs."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.ops.json_logging import JsonFormatter
from cds_service.ops.request_log import RequestIdFilter
from cds_service.settings import Settings
from tests.support.hook_requests import (
    FHIR_BASE,
    PATIENT_ID,
    TOKEN,
    bundle,
    finding,
    hook_request,
    patient,
    without_prefetch,
)
from tests.support.paths import VIGNETTES

DIFFERENTIAL = "/cds-services/gluteal-pain-differential"


class JsonLog:
    """What the service logged, formatted as production formats it."""

    def __init__(self, stream: io.StringIO) -> None:
        self._stream = stream

    @property
    def text(self) -> str:
        return self._stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["logger"] == "cds_service.requests"]


@pytest.fixture
def json_log(caplog: pytest.LogCaptureFixture) -> Iterator[JsonLog]:
    """Every record at DEBUG and above, through the production formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    try:
        yield JsonLog(stream)
    finally:
        logging.getLogger().removeHandler(handler)


@responses.activate
def test_one_line_per_hook_call_with_its_facts(client: FlaskClient, json_log: JsonLog) -> None:
    body = hook_request()
    response = client.post(DIFFERENTIAL, json=body)

    [line] = json_log.requests()
    assert line["message"] == "request"
    assert line["level"] == "info"
    assert line["route"] == "/cds-services/<service_id>"
    assert line["service"] == "gluteal-pain-differential"
    assert line["hook"] == "patient-view"
    assert line["hookInstance"] == body["hookInstance"]
    assert line["status"] == 200
    assert line["cards"] == len(response.get_json()["cards"]) > 0
    assert isinstance(line["latencyMs"], float)
    assert line["requestId"] == response.headers["X-Request-ID"]


def test_refused_calls_are_logged_too(client: FlaskClient, json_log: JsonLog) -> None:
    client.post(DIFFERENTIAL, json={"hook": "patient-view"})
    client.get("/cds-services/nope/../../etc")

    first, second = json_log.requests()
    assert (first["status"], first["cards"]) == (400, 0)
    assert second["status"] == 404
    assert second["route"] == "unmatched"  # never the caller's path


def test_a_refused_call_is_one_warning_line_that_says_why(
    client: FlaskClient, json_log: JsonLog
) -> None:
    response = client.post(DIFFERENTIAL, json={"hook": "patient-view"})

    [line] = json_log.lines()  # not also a line from the error handler
    assert line["level"] == "warning"
    assert line["status"] == 400
    assert line["error"] == response.get_json()["error"]


@responses.activate
def test_request_id_is_kept_generated_or_replaced(client: FlaskClient) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-42.a_b:c"})
    generated = client.get("/healthz")
    replaced = client.get("/healthz", headers={"X-Request-ID": "has spaces " + "x" * 200})

    assert kept.headers["X-Request-ID"] == "lb-42.a_b:c"
    assert len(generated.headers["X-Request-ID"]) == 32
    assert replaced.headers["X-Request-ID"] != generated.headers["X-Request-ID"]
    assert " " not in replaced.headers["X-Request-ID"]


def test_request_id_goes_to_the_fhir_server(client: FlaskClient, json_log: JsonLog) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle(finding("buttock-pain")))
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        response = client.post(
            DIFFERENTIAL, json=without_prefetch(), headers={"X-Request-ID": "r-1"}
        )
        sent = {call.request.headers.get("X-Request-ID") for call in rsps.calls}

    assert response.status_code == 200
    assert sent == {"r-1"}
    assert TOKEN not in json_log.text


def test_probes_are_quiet_at_info(client: FlaskClient, json_log: JsonLog) -> None:
    client.get("/healthz")

    [line] = json_log.requests()
    assert line["level"] == "debug"


# -- a full vignette run leaves no patient data and no token in the logs ------------------


def _secrets(vignette: dict[str, Any]) -> set[str]:
    """The patient id, names and the token of a vignette: what must never be logged."""
    request = vignette["request"]
    data = vignette.get("fhirServerData") or {}
    found = {request["context"]["patientId"]}
    patient_resource = (request.get("prefetch") or {}).get("patient") or data.get("Patient") or {}
    for name in patient_resource.get("name", []):
        found |= {name.get("family", ""), *name.get("given", []), name.get("text", "")}
    found.add((request.get("fhirAuthorization") or {}).get("access_token", ""))
    return {secret for secret in found if len(secret) >= 3}  # "v01", not "" or single letters


def _run(vignette: dict[str, Any], settings: Settings) -> None:
    evaluated_at = datetime.fromisoformat(vignette["evaluatedAt"])
    client = create_app(settings, clock=lambda: evaluated_at).test_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        if "fhirServerData" in vignette:
            base = vignette["request"]["fhirServer"].rstrip("/")
            data = vignette["fhirServerData"]
            rsps.get(f"{base}/Patient/{data['Patient']['id']}", json=data["Patient"])
            for resource_type in ("Observation", "Condition"):
                rsps.get(f"{base}/{resource_type}", json=data[resource_type])
        response = client.post(f"/cds-services/{vignette['service']}", json=vignette["request"])
    assert response.status_code == 200


def test_vignette_run_logs_no_patient_data_or_token(settings: Settings, json_log: JsonLog) -> None:
    vignettes = [json.loads(p.read_text()) for p in sorted(VIGNETTES.glob("*.json"))]
    secrets = set().union(*(_secrets(v) for v in vignettes))

    for vignette in vignettes:
        _run(vignette, settings)

    assert len(json_log.requests()) == len(vignettes)
    assert {"v01", "Runner"} <= secrets  # what was looked for: ids, names, tokens
    assert any(v.get("fhirServerData") for v in vignettes)  # the fallback ran, with its token
    leaked = {secret for secret in secrets if secret in json_log.text}
    assert not leaked
