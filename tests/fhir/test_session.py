"""The FHIR fallback's session: every call reported with its outcome (counted in the metrics)."""

from __future__ import annotations

import requests
import responses
from flask.testing import FlaskClient

from tests.ops.scrape import scrape, value
from tests.support.hook_requests import (
    FHIR_BASE,
    PATIENT_ID,
    bundle,
    finding,
    patient,
    without_prefetch,
)

DIFFERENTIAL = "/cds-services/gluteal-pain-differential"


def test_fhir_fallback_calls_and_failures_are_counted(client: FlaskClient) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", json=patient())
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle(finding("buttock-pain")))
        rsps.get(f"{FHIR_BASE}/Condition", body=requests.ConnectionError("refused"))
        client.post(DIFFERENTIAL, json=without_prefetch())
        rsps.replace("GET", f"{FHIR_BASE}/Condition", status=503)
        client.post(DIFFERENTIAL, json=without_prefetch())

    text = scrape(client)

    assert value(text, "gluteal_cds_fhir_calls_total", outcome="ok") == 4
    assert value(text, "gluteal_cds_fhir_calls_total", outcome="connection-error") == 1
    assert value(text, "gluteal_cds_fhir_calls_total", outcome="http-error") == 1
    assert value(text, "gluteal_cds_fhir_call_latency_seconds_count") == 6
    assert value(text, "gluteal_cds_hook_requests_total", status="412") == 2
