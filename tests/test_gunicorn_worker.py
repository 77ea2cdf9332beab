"""The gunicorn worker, under ``gluteal-cds serve`` on loopback: a request still arriving at
its deadline gets a JSON 408; gunicorn's own errors are JSON and never echo the request."""

from __future__ import annotations

import socket
import time

import pytest
import requests

HOOK = "/cds-services/gluteal-pain-differential"

pytestmark = pytest.mark.slow


def test_a_body_sent_a_byte_at_a_time_is_408_json(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    head = (
        f"POST {HOOK} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n{"
    )
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        try:
            for _ in range(60):  # 12 s at most
                time.sleep(0.2)
                sock.sendall(b" ")
        except OSError:
            pass  # answered and closed
        answer = sock.recv(4096)

    assert answer.startswith(b"HTTP/1.1 408")
    assert b"application/json" in answer
    assert time.monotonic() - started < 8


def test_a_header_too_large_is_431_json(served: str) -> None:
    response = requests.get(served + "/healthz", headers={"X-Big": "a" * 9000}, timeout=10)

    assert response.status_code == 431
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"error": "Request Header Fields Too Large"}


def test_a_malformed_request_line_is_400_json_without_echo(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"G<script>T / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = sock.recv(4096)

    assert answer.startswith(b"HTTP/1.1 400")
    assert b"application/json" in answer
    assert b"script" not in answer
