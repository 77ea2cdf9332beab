"""The FHIR fallback against a real FHIR R4 server on loopback (sekmet-fhir).

The server is started once per session on a free port with a temporary database; a
vignette's resources are loaded into it and the hook is called without prefetch.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import pytest
import requests

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.fhir_server import put_resource
from tests.support.paths import VIGNETTES

URL = "/cds-services/gluteal-pain-differential"
FILLER_OBSERVATIONS = 45  # above the server's page size of 20: the search spans 3 pages

pytestmark = pytest.mark.slow


def _filler(patient_id: str, number: int) -> dict[str, Any]:
    """An observation that is no finding of ours (a heart rate), to make the search page."""
    return {
        "resourceType": "Observation",
        "id": f"{patient_id}-hr-{number}",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": "2026-11-18T15:00:00Z",
        "valueQuantity": {"value": 60 + number, "unit": "/min"},
    }


@pytest.fixture(scope="session")
def loaded_vignette(fhir_server: str) -> dict[str, Any]:
    """Vignette 19's patient on the server, with filler observations stored first."""
    vignette = json.loads((VIGNETTES / "19-fhir-server-fallback.json").read_text())
    data = vignette["fhirServerData"]
    patient = data["Patient"]
    observations = [_filler(patient["id"], n) for n in range(FILLER_OBSERVATIONS)]
    observations += [entry["resource"] for entry in data["Observation"]["entry"]]
    for resource in [patient, *observations]:
        put_resource(fhir_server, resource)
    vignette["observations"] = observations
    prepared: dict[str, Any] = vignette
    return prepared


def _call(body: dict[str, Any], vignette: dict[str, Any], settings: Settings) -> Any:
    evaluated_at = datetime.fromisoformat(vignette["evaluatedAt"])
    open_http = Settings(database_url=settings.database_url, allow_http_fhir=True)
    client = create_app(open_http, clock=lambda: evaluated_at).test_client()
    response = client.post(URL, json=body)
    assert response.status_code == 200, response.get_json()
    return _without_uuids(response.get_json())


def _without_uuids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_uuids(v) for k, v in value.items() if k != "uuid"}
    if isinstance(value, list):
        return [_without_uuids(v) for v in value]
    return value


def test_fallback_reads_the_same_cards_as_prefetch_across_pages(
    fhir_server: str,
    loaded_vignette: dict[str, Any],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = copy.deepcopy(loaded_vignette["request"])
    request["fhirServer"] = fhir_server
    del request["fhirAuthorization"]  # the test server is open
    with_prefetch = copy.deepcopy(request)
    with_prefetch["prefetch"] = {
        "patient": loaded_vignette["fhirServerData"]["Patient"],
        "observations": {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": obs} for obs in loaded_vignette["observations"]],
        },
        "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": []},
    }
    searched: list[str] = []
    original_get = requests.Session.get

    def spy(session: requests.Session, url: str, **kwargs: Any) -> requests.Response:
        searched.append(url)
        return original_get(session, url, **kwargs)

    monkeypatch.setattr(requests.Session, "get", spy)

    fetched = _call(request, loaded_vignette, settings)
    expected = _call(with_prefetch, loaded_vignette, settings)

    assert fetched["cards"]
    assert fetched == expected
    assert sum("/Observation" in url for url in searched) >= 3  # every page was read
