"""The service under gunicorn on loopback, for the tests that need the real server."""

from __future__ import annotations

import subprocess
import time

import pytest
import requests

from tests.support.fhir_server import free_port

__all__ = ["free_port", "wait_until_up"]


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
