"""Issue 15, item 1: two slow peers cannot starve ``gluteal-cds serve``.

The real server (gunicorn, 2 workers, the shipped configuration) on loopback, with:
two hook calls whose ``fhirServer`` (on loopback, started here) sends a byte every fifth of
a second, and two requests sent a byte at a time (slowloris). ``/healthz`` and an ordinary
hook call must still answer within a second; the stuck calls end with a JSON answer
within their budget; the half-sent requests get a JSON 408 (the worker's deadline, and
gunicorn's own errors as JSON: tests/test_gunicorn_worker.py).
"""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.hook_requests import hook_request, without_prefetch
from tests.support.slow_peers import serving, trickle

HOOK = "/cds-services/gluteal-pain-differential"
pytestmark = pytest.mark.slow


def _half_sent(port: int, stop: threading.Event) -> bytes:
    """A request sent a byte every 0.2 s until stopped; what the server answered."""
    head = f"POST {HOOK} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            for byte in (head + "X-Slow: " + "a" * 200).encode():
                if stop.wait(0.2):
                    break
                sock.sendall(bytes([byte]))
        except OSError:
            pass  # the server answered and closed: read what it said
        try:
            return sock.recv(4096)
        except OSError:
            return b""


def _timed(
    method: str, url: str, timeout: float = 10, **kwargs: object
) -> tuple[float, requests.Response]:
    started = time.monotonic()
    response = requests.request(method, url, timeout=timeout, **kwargs)  # type: ignore[arg-type]
    return time.monotonic() - started, response


def test_two_slow_fhir_servers_and_two_slowloris_do_not_starve_the_service(
    served: str,
) -> None:
    port = int(served.rsplit(":", 1)[1])
    stop = threading.Event()
    with serving(trickle(0.2)) as fhir, ThreadPoolExecutor(max_workers=4) as pool:
        stuck = [
            pool.submit(_timed, "POST", served + HOOK, json=without_prefetch(fhirServer=fhir.url))
            for _ in range(2)
        ]
        loris = [pool.submit(_half_sent, port, stop) for _ in range(2)]
        time.sleep(0.5)  # all four are holding their threads now

        health_s, health = _timed("GET", served + "/healthz")
        hook_s, hook = _timed("POST", served + HOOK, json=hook_request())
        results = [future.result(timeout=15) for future in stuck]
        answers = [future.result(timeout=15) for future in loris]
        stop.set()

    assert (health.status_code, hook.status_code) == (200, 200)
    assert health_s < 1.0
    assert hook_s < 1.0
    for took, response in results:
        assert response.status_code == 412  # the observations never came
        assert response.headers["Content-Type"] == "application/json"
        assert took < 2.5  # the 2 s budget, not the trickle's 12 s
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408")
        assert b"application/json" in answer
