"""Issue 24: one issuer's slow key endpoint plus forged tokens must not stall other callers.

Before: one global lock around the JWKS fetch, no deadline; a JWKS answering a byte every
fifth of a second held every caller of every issuer until it finished.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from cds_service.auth.jwks import JwksCache, KeyNotFound
from cds_service.settings import Settings
from tests.support.app import AppMaker
from tests.support.hook_requests import hook_request
from tests.support.issuer import Issuer, SigningKey, es384_key
from tests.support.slow_peers import Peer, read_request, serving, trickle

SLOW = "https://slow.example.org"
FAST = "https://fast.example.org"
HOOK = "/cds-services/gluteal-pain-differential"


def _jwks_of(key: SigningKey) -> Callable[[socket.socket, threading.Event], None]:
    body = json.dumps({"keys": [key.jwk]}).encode()

    def handle(conn: socket.socket, _stop: threading.Event) -> None:
        read_request(conn)
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
        conn.sendall(head.encode() + b"\r\nConnection: close\r\n\r\n" + body)

    return handle


@pytest.fixture(scope="module")
def fast_key() -> SigningKey:
    return es384_key("fast-1")


@pytest.fixture
def peers(fast_key: SigningKey) -> Iterator[tuple[Peer, Peer]]:
    with serving(trickle(0.2)) as slow, serving(_jwks_of(fast_key)) as fast:
        yield slow, fast


@pytest.fixture
def settings(tmp_path: Path, peers: tuple[Peer, Peer]) -> Settings:
    slow, fast = peers
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'auth.sqlite3'}",
        trusted_issuers={
            SLOW: f"http://127.0.0.1:{slow.port}/jwks",
            FAST: f"http://127.0.0.1:{fast.port}/jwks",
        },
        public_base_url="http://localhost",
        patient_hash_salt="s",
        jwks_timeout_s=1.0,
    )


@pytest.fixture
def app(make_app: AppMaker) -> Flask:
    return make_app()


def _hook(app: Flask, token: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = app.test_client().post(
        HOOK, json=hook_request(), headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code, time.perf_counter() - started


def test_a_slow_jwks_and_forged_tokens_do_not_stall_another_issuers_callers(
    app: Flask, issuer: Issuer, fast_key: SigningKey
) -> None:
    aud = f"http://localhost{HOOK}"
    forged = [issuer.token(iss=SLOW, aud=aud, jku=None, headers={"kid": f"k{i}"}) for i in range(4)]
    genuine = [issuer.token(key=fast_key, iss=FAST, aud=aud, jku=None) for _ in range(40)]
    _hook(app, issuer.token(key=fast_key, iss=FAST, aud=aud, jku=None))  # warm: FAST's keys

    with ThreadPoolExecutor(max_workers=8) as pool:
        stuck = [pool.submit(_hook, app, token) for token in forged]
        time.sleep(0.1)  # the slow fetch is under way
        answered = [_hook(app, token) for token in genuine]
        refused = [future.result(timeout=10) for future in stuck]

    assert {status for status, _ in answered} == {200}
    slowest = sorted(seconds for _, seconds in answered)[-1]
    assert slowest < 0.5, f"a FAST caller waited {slowest:.2f} s"
    assert {status for status, _ in refused} == {401}
    # The one forged call that fetched waited for the deadline, no longer; the rest not at all.
    waits = sorted(seconds for _, seconds in refused)
    assert waits[-1] < 2.0
    assert waits[0] < 0.5


def test_a_failed_fetch_keeps_the_last_good_keys(fast_key: SigningKey) -> None:
    with serving(_jwks_of(fast_key)) as good:
        clock = [0.0]
        cache = JwksCache(
            {FAST: f"http://127.0.0.1:{good.port}/jwks"},
            monotonic=lambda: clock[0],
            min_refetch_s=60,
            deadline_s=0.5,
        )
        assert cache.key(FAST, "fast-1")["kid"] == "fast-1"
    clock[0] = 120.0  # the issuer has gone: a fetch for an unknown kid fails
    with pytest.raises(KeyNotFound):
        cache.key(FAST, "unknown")
    assert cache.key(FAST, "fast-1")["kid"] == "fast-1"


def test_an_oversized_jwks_is_not_read_past_the_cap() -> None:
    def huge(conn: socket.socket, stop: threading.Event) -> None:
        read_request(conn)
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{"keys": ["')
        while not stop.is_set():
            conn.sendall(b"x" * 65536)

    with serving(huge) as peer:
        cache = JwksCache({FAST: f"http://127.0.0.1:{peer.port}/jwks"}, max_bytes=100_000)
        started = time.perf_counter()
        with pytest.raises(KeyNotFound):
            cache.key(FAST, "any")
        assert time.perf_counter() - started < 2.0
