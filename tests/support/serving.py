"""The service under gunicorn on loopback, for the tests that need the real server."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.fhir_server import free_port
from tests.support.paths import ROOT

__all__ = ["free_port", "serving_the_service", "wait_until_up"]


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    """Wait (30 s at most) until ``/healthz`` answers; fail if gunicorn exits or never does."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # refused or slow while the workers boot
            time.sleep(0.2)
    pytest.fail("gunicorn did not start")


@contextlib.contextmanager
def serving_the_service(tmp_path: Path) -> Iterator[str]:
    """``gluteal-cds serve`` with 2 workers, local testing on (a loopback FHIR server)."""
    port = free_port()
    env = os.environ | {
        "GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GLUTEAL_CDS_ALLOW_HTTP_FHIR": "1",
    }
    argv = [sys.executable, "-m", "cds_service.cli", "serve", "--port", str(port)]
    with (tmp_path / "server.log").open("wb") as stderr:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [*argv, "--workers", "2"], cwd=ROOT, env=env, stderr=stderr
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``gluteal-cds serve`` with 2 workers, local testing on (a loopback FHIR server)."""
    with serving_the_service(tmp_path) as base:
        yield base
