"""The guards of every route: the Host header, the security headers, malformed bodies.

Issue 24: a malformed chunked body answered 500 on every POST route (15 of 15 variants).

Gunicorn raises its parse errors while the route reads the body; each must become a
400 JSON answer. Checked in process on every POST route (a body stream that raises what
gunicorn raises) and against the real server with malformed chunk framing on the wire.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gunicorn.http.errors import ChunkMissingTerminator, InvalidChunkSize, NoMoreData

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import hook_request
from tests.support.paths import ROOT
from tests.support.serving import free_port, wait_until_up

HOOK = "/cds-services/gluteal-pain-differential"
ROUTES = (
    "/cds-services/gluteal-pain-differential",
    "/cds-services/gluteal-pain-differential/feedback",
    "/try",
    "/smart/app",
)
ERRORS = (InvalidChunkSize(b"zz"), ChunkMissingTerminator(b"xx"), NoMoreData(b""))
# Bodies whose framing gunicorn cannot read: bad sizes, missing terminators, early ends.
VARIANTS = (
    b"zz\r\n{}\r\n0\r\n\r\n",
    b"-1\r\n{}\r\n0\r\n\r\n",
    b"0x2\r\n{}\r\n0\r\n\r\n",
    b"2 \r\n{}\r\n0\r\n\r\n",
    b"2\r\n{}XX0\r\n\r\n",
    b"ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
    b"2\n{}\n0\n\n",
    b"5\r\n{}",  # the connection ends mid-chunk
)


class _Broken:
    """A request body stream that fails the way gunicorn's chunked reader does."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def read(self, *_args: Any) -> bytes:
        raise self.error

    readline = read


def _content_type(route: str) -> str:
    # The pages' forms read form data; the API reads JSON.
    return "application/json" if route.startswith("/cds") else "application/x-www-form-urlencoded"


def _all_routes_app(settings: Settings) -> Flask:
    return create_app(
        replace(
            settings,
            smart_client_id="bedside-app",
            public_base_url="https://cds.example.org",
            patient_hash_salt="a-long-random-secret",
        )
    )


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_post_route_answers_400_json(settings: Settings, error: Exception) -> None:
    app = _all_routes_app(settings)
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    assert {r.replace("<service_id>", "gluteal-pain-differential") for r in posts} >= set(ROUTES)
    client = app.test_client()
    for route in ROUTES:
        response = client.post(
            route,
            content_type=_content_type(route),
            headers={"Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input": _Broken(error), "wsgi.input_terminated": True},
        )
        assert response.status_code == 400, route
        assert "could not be read" in response.get_json()["error"], route
        assert response.headers["Connection"] == "close"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    env = os.environ | {"GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    argv = [sys.executable, "-m", "cds_service.cli", "serve", "--port", str(port)]
    with (tmp_path / "server.log").open("wb") as stderr:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [*argv, "--workers", "1"], cwd=ROOT, env=env, stderr=stderr
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            yield port
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _send(port: int, route: str, body: bytes) -> tuple[int, bytes]:
    head = (
        f"POST {route} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {_content_type(route)}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


@pytest.mark.slow
def test_malformed_chunking_on_the_wire_is_400_json(served: int) -> None:
    for route in ROUTES[:3]:  # /smart/app is off without a SMART client id
        for body in VARIANTS:
            status, answer = _send(served, route, body)
            assert status == 400, (route, body)
            assert "error" in json.loads(answer), (route, body)


@pytest.mark.parametrize("host", ["a b", "()", "x(y)", "ex ample.org:80", "a\tb", "<x>"])
@pytest.mark.parametrize("path", [HOOK, "/", "/try", "/healthz"])
def test_an_odd_host_header_is_a_400_json(client: FlaskClient, host: str, path: str) -> None:
    headers = {"Host": host}
    response = (
        client.post(path, json=hook_request(), headers=headers)
        if path == HOOK
        else client.get(path, headers=headers)
    )

    assert response.status_code == 400
    assert response.get_json() == {"error": "Host: not a valid host name"}


@pytest.mark.parametrize("host", ["cds.example.org", "cds.example.org:8443", "[::1]:8080"])
def test_ordinary_host_headers_pass(client: FlaskClient, host: str) -> None:
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/try", "/knowledge/lumbar-disc-sciatica", "/nope"])
def test_pages_carry_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if response.mimetype == "text/html":
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
