"""A real FHIR R4 server on loopback (sekmet-fhir) for the tests that need one.

Started once per session on a free port with a temporary database, stopped at the end.
Suites use it by importing the ``fhir_server`` fixture into their conftest.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.ci import skip_unless_ci

__all__ = ["fhir_server", "free_port", "put_resource"]


def free_port() -> int:
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
    port = free_port()
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


def put_resource(base: str, resource: dict[str, Any]) -> None:
    """Store ``resource`` on the test server under its own id."""
    response = requests.put(
        f"{base}/{resource['resourceType']}/{resource['id']}",
        json=resource,
        headers={"Content-Type": "application/fhir+json"},
        timeout=10,
    )
    assert response.status_code in {200, 201}, response.text[:300]
