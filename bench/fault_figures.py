"""Issue 24's fault figures: hook calls of other callers while a peer stalls.

Runs ``gluteal-cds serve`` (2 workers x 4 threads, the shipped arrangement) from a source
tree and measures sequential hook calls of an innocent caller while

- ``jwks``: a trusted issuer's JWKS answers a byte every 0.2 s and forged tokens naming
  that issuer (each with a new kid) arrive from 8 clients;
- ``freeze``: PostgreSQL is stopped (SIGSTOP, every process) while 16 clients send
  feedback;
- ``freeze-auth``: the same with caller authentication on, so every hook call's token id
  meets the frozen database.

Usage: ``python bench/fault_figures.py jwks|freeze|freeze-auth [--source DIR] [--seconds N]``;
``--source`` names the tree to serve (e.g. a checkout of main for the "before" figures). Prints the
innocent caller's p50 / p99 / max in ms and how the others were answered.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.clock import FakeClock  # noqa: E402 - after the path set-up above
from tests.support.hook_requests import hook_request  # noqa: E402
from tests.support.issuer import Issuer, es384_key  # noqa: E402
from tests.support.serving import free_port  # noqa: E402
from tests.support.slow_peers import read_request, serving, trickle  # noqa: E402

HOOK = "/cds-services/gluteal-pain-differential"
SLOW, FAST = "https://slow-ehr.example.org", "https://fast-ehr.example.org"
FORGERS = 4  # clients sending forged tokens at once (the review used 4 forged tokens)


def percentiles(seconds: list[float]) -> str:
    """p50 / p99 / max in ms of ``seconds``."""
    ordered = sorted(seconds)
    if not ordered:
        return "no calls"

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return f"{len(ordered)} calls, p50 {at(0.5):.0f} ms, p99 {at(0.99):.0f} ms, max {at(1):.0f} ms"


@contextlib.contextmanager
def served(source: Path, env: dict[str, str]) -> Iterator[str]:
    """``gluteal-cds serve`` of ``source`` on a free port, 2 workers x 4 threads."""
    port = free_port()
    argv = [sys.executable, "-m", "cds_service.cli", "serve", "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [*argv, "--workers", "2"], cwd=source, env=os.environ | env, stderr=log
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                time.sleep(0.3)
            yield base
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def innocent_calls(base: str, seconds: float, headers: Callable[[], dict[str, str]]) -> list[float]:
    """Sequential hook calls for ``seconds``; their latencies (a failure counts as 10 s)."""
    latencies: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        try:
            ok = requests.post(base + HOOK, json=hook_request(), headers=headers(), timeout=10).ok
        except requests.RequestException:
            ok = False
        latencies.append(time.perf_counter() - started if ok else 10.0)
    return latencies


@contextlib.contextmanager
def flooding(send: Callable[[], int], clients: int) -> Iterator[Callable[[], dict[int, int]]]:
    """``send`` from ``clients`` threads of a forked process (not this one's GIL) while inside;
    yields a function that stops the flood and returns the statuses answered."""
    context = multiprocessing.get_context("fork")  # the target is a closure: fork, not pickle
    stop, results = context.Event(), context.SimpleQueue()

    def child() -> None:
        done = threading.Event()
        threading.Thread(target=lambda: (stop.wait(), done.set()), daemon=True).start()
        results.put(dict(flood(done, send, clients)))

    process = context.Process(target=child, daemon=True)
    process.start()
    time.sleep(0.5)  # the flood is under way

    def finish() -> dict[int, int]:
        stop.set()
        answered: dict[int, int] = results.get()
        process.join(10)
        return answered

    yield finish
    if process.is_alive():
        process.kill()


def flood(stop: threading.Event, send: Callable[[], int], clients: int) -> Counter[int]:
    """``send`` from ``clients`` threads until ``stop``; the statuses answered."""
    answered: Counter[int] = Counter()

    def loop() -> None:
        while not stop.is_set():
            try:
                answered[send()] += 1
            except requests.RequestException:
                answered[0] += 1

    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(clients):
            pool.submit(loop)
        stop.wait()
    return answered


@contextlib.contextmanager
def serving_keys(key: Any) -> Iterator[str]:
    """A JWKS holding ``key``'s public key, served at once; yields its URL."""
    body = json.dumps({"keys": [key.jwk]}).encode()

    def answer(conn: Any, _stop: threading.Event) -> None:
        read_request(conn)
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        conn.sendall(head.encode() + body)

    with serving(answer) as server:
        yield f"http://127.0.0.1:{server.port}/jwks"


def jwks(source: Path, seconds: float) -> None:
    """Innocent FAST caller's hook calls while SLOW's JWKS trickles and forged tokens come."""
    fast_key = es384_key("fast-1")
    issuer = Issuer(FakeClock(datetime.now(UTC)), es384_key("forger"))  # tokens of now
    with serving(trickle(0.2)) as slow, serving_keys(fast_key) as fast_url:
        issuers = {SLOW: f"{slow.url}/jwks", FAST: fast_url}
        env = {
            "GLUTEAL_CDS_TRUSTED_ISSUERS": json.dumps(issuers),
            "GLUTEAL_CDS_PUBLIC_BASE_URL": "http://127.0.0.1",
            "GLUTEAL_CDS_PATIENT_HASH_SALT": "fault-figures-salt",
            "GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/db.sqlite3",
        }
        with served(source, env) as base:
            aud = f"http://127.0.0.1{HOOK}"
            # Minted before the clock starts: signing costs the bench's CPU, not the server's.
            minted = iter(
                [issuer.token(key=fast_key, iss=FAST, aud=aud, jku=None) for _ in range(3000)]
            )
            forgeries = iter(
                [
                    issuer.token(iss=SLOW, aud=aud, jku=None, headers={"kid": f"k{n}"})
                    for n in range(20000)
                ]
            )

            def genuine() -> dict[str, str]:
                return {"Authorization": f"Bearer {next(minted)}"}

            def forged() -> int:
                headers = {"Authorization": f"Bearer {next(forgeries)}"}
                return requests.post(base + HOOK, json={}, headers=headers, timeout=30).status_code

            print(f"no fault: {percentiles(innocent_calls(base, seconds / 2, genuine))}")
            with flooding(forged, FORGERS) as finish:
                latencies = innocent_calls(base, seconds, genuine)
                answered = finish()
            print(f"innocent caller: {percentiles(latencies)}")
            print(f"forged tokens answered: {answered}")


def freeze(source: Path, seconds: float, *, authenticated: bool = False) -> None:
    """Hook calls while PostgreSQL is frozen and feedback floods. Without authentication
    they need no database; with it (``freeze-auth``) every call's token id meets the frozen
    database (before issue 24's second round: 1.5 s, then 503)."""
    from tests.store.test_slow_database import frozen  # noqa: PLC0415 - needs pytest's deps
    from tests.support.postgres import find_pg_ctl, postgresql_server  # noqa: PLC0415

    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        raise SystemExit("PostgreSQL is not installed")
    key = es384_key("ehr-1")
    with postgresql_server(pg_ctl) as server, serving_keys(key) as keys_url:
        env = {
            "GLUTEAL_CDS_DATABASE_URL": (
                f"postgresql://{server.user}@{server.host}:{server.port}/postgres"
            ),
            "GLUTEAL_CDS_PATIENT_HASH_SALT": "fault-salt",
        }
        if authenticated:
            env["GLUTEAL_CDS_TRUSTED_ISSUERS"] = json.dumps({FAST: keys_url})
            env["GLUTEAL_CDS_PUBLIC_BASE_URL"] = "http://127.0.0.1"
        with served(source, env) as base:
            hook_headers = bearer(key, f"http://127.0.0.1{HOOK}", 3000, authenticated)
            feedback_headers = bearer(key, f"http://127.0.0.1{HOOK}/feedback", 8000, authenticated)
            entry = {"card": "c", "outcome": "overridden", "outcomeTimestamp": "2026-12-06T03:00Z"}

            def feedback() -> int:
                answer = requests.post(
                    f"{base}{HOOK}/feedback",
                    json={"feedback": [entry]},
                    headers=feedback_headers(),
                    timeout=30,
                )
                return answer.status_code

            print(f"no fault: {percentiles(innocent_calls(base, seconds / 2, hook_headers))}")
            with frozen(server.port), flooding(feedback, 16) as finish:
                latencies = innocent_calls(base, seconds, hook_headers)
                answered = finish()
            print(f"hook calls during the freeze: {percentiles(latencies)}")
            print(f"feedback answered: {dict(answered)}")


def bearer(key: Any, audience: str, count: int, signed: bool) -> Callable[[], dict[str, str]]:
    """Headers for one call each: a new token of ``key`` for ``audience``, or none at all.

    Minted before the clock starts: signing costs the bench's CPU, not the server's.
    """
    if not signed:
        return dict
    issuer = Issuer(FakeClock(datetime.now(UTC)), key)  # tokens of now
    tokens = iter([issuer.token(iss=FAST, aud=audience, jku=None) for _ in range(count)])
    return lambda: {"Authorization": f"Bearer {next(tokens)}"}


def main() -> None:
    """Run one scenario."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=["jwks", "freeze", "freeze-auth"])
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    source = args.source.resolve()
    if args.scenario == "jwks":
        jwks(source, args.seconds)
    else:
        freeze(source, args.seconds, authenticated=args.scenario == "freeze-auth")


if __name__ == "__main__":
    main()
