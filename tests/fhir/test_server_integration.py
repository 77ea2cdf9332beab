"""The FHIR fallback against a real FHIR R4 server on loopback (sekmet-fhir).

The server is started once per session on a free port with a temporary database; a
vignette's resources are loaded into it and the hook is called without prefetch.
"""

from __future__ import annotations

import copy
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.ci import skip_unless_ci
from tests.support.paths import VIGNETTES

URL = "/cds-services/gluteal-pain-differential"
FILLER_OBSERVATIONS = 45  # above the server's page size of 20: the search spans 3 pages

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(base: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{base}/metadata", timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            time.sleep(0.2)
    return False


@pytest.fixture(scope="session")
def fhir_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a sekmet-fhir server with an empty temporary database."""
    executable = shutil.which("sekmet") or str(Path(sys.executable).with_name("sekmet"))
    if not Path(executable).exists():
        skip_unless_ci("sekmet-fhir is not installed (test extra)")
    workdir = tmp_path_factory.mktemp("sekmet")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/fhir"
    config = workdir / "settings.yaml"
    config.write_text(
        json.dumps(
            {
                "base_url": base,
                "data_dir": str(workdir),
                "db_path": str(workdir / "fhir.db"),
                "simulator": {"enabled": False},
                "log_inbound": False,
            }
        )
    )
    argv = [executable, "serve", "--config", str(config), "--host", "127.0.0.1"]
    with (workdir / "server.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own test server, fixed arguments
            [*argv, "--port", str(port)],
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            if not _wait_until_up(base, process, seconds=30):
                tail = (workdir / "server.log").read_text(errors="replace")[-500:]
                skip_unless_ci(f"the sekmet-fhir server did not start: {tail}")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def _put(base: str, resource: dict[str, Any]) -> None:
    response = requests.put(
        f"{base}/{resource['resourceType']}/{resource['id']}",
        json=resource,
        headers={"Content-Type": "application/fhir+json"},
        timeout=10,
    )
    assert response.status_code in {200, 201}, response.text[:300]


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
        _put(fhir_server, resource)
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
