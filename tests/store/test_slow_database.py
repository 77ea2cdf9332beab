"""Issue 15, items 4 and 8: a frozen or read-only database never stalls nor misleads.

A frozen PostgreSQL (every process stopped, as a stuck disk or host would leave it) must
not hold a replay check or a probe past the time allowed, and must not turn a caller into
a 401 (nor, since issue 24, a hook call into a 503: the replay check goes on without it);
a SQLite file that served read-only handles must be written again once it recovers, and
``/readyz`` must say 503 while a write would fail.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest
from sqlalchemy import event

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import Feedback, FeedbackStore, StoreError, store_of
from cds_service.store.replay import ReplayCache, TokenUse
from tests.support.clock import FakeClock
from tests.support.hook_requests import hook_request
from tests.support.shown import SALT

pytestmark = pytest.mark.postgres
# A call given up on at its deadline leaves its connection to the thread still waiting on
# the frozen server; psycopg reports it as unclosed when that thread ends. Expected here.
abandoned_connections = pytest.mark.filterwarnings(
    "ignore::pytest.PytestUnraisableExceptionWarning"
)


def _settle() -> None:
    """Let the threads still waiting on the resumed server end, and their handles go."""
    time.sleep(0.5)
    gc.collect()


def _postgres_processes(port: int) -> list[psutil.Process]:
    for connection in psutil.net_connections(kind="tcp"):
        if connection.status == psutil.CONN_LISTEN and connection.laddr.port == port:
            postmaster = psutil.Process(connection.pid)
            return [postmaster, *postmaster.children(recursive=True)]
    raise AssertionError("no PostgreSQL listening on the test port")


@contextlib.contextmanager
def frozen(port: int) -> Iterator[None]:
    """Every process of the PostgreSQL on ``port`` stopped; resumed on exit whatever happens."""
    processes = _postgres_processes(port)
    for process in processes:
        process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGCONT)


@pytest.fixture
def pg_url(postgresql_proc: Any) -> Iterator[tuple[str, int]]:
    from pytest_postgresql.janitor import DatabaseJanitor  # noqa: PLC0415 - optional extra

    server = postgresql_proc
    with DatabaseJanitor(user=server.user, host=server.host, port=server.port, dbname="frozen"):
        yield f"postgresql://{server.user}@{server.host}:{server.port}/frozen", server.port


@abandoned_connections
def test_a_frozen_postgres_holds_neither_the_replay_check_nor_the_probe(
    pg_url: tuple[str, int], clock: FakeClock
) -> None:
    url, port = pg_url
    store = FeedbackStore.open(url, patient_hash_salt=SALT, clock=clock)
    replays = ReplayCache(store.engine, clock=clock)
    expires = clock() + timedelta(minutes=5)
    assert replays.first_use(TokenUse("https://ehr", "warm-up", expires))  # a pooled connection
    try:
        with frozen(port):
            started = time.monotonic()
            assert replays.first_use(TokenUse("https://ehr", "during-freeze", expires))
            checked = time.monotonic() - started
            assert not replays.first_use(TokenUse("https://ehr", "during-freeze", expires))
            assert not store.ping()
            took = time.monotonic() - started
        assert checked < 0.5  # the replay check's 50 ms, not the freeze
        assert took < 2.5  # and the probe's 1.5 s at most
        deadline = time.monotonic() + 10
        while not store.ping():
            assert time.monotonic() < deadline, "the store did not recover"
            time.sleep(0.2)
    finally:
        store.close()


@abandoned_connections
def test_with_postgres_frozen_hook_calls_and_healthz_do_not_wait(
    pg_url: tuple[str, int],
) -> None:
    url, port = pg_url
    app = create_app(Settings(database_url=url, patient_hash_salt="a-long-random-secret"))
    client = app.test_client()
    assert client.post("/cds-services/gluteal-pain-differential", json=hook_request())
    try:
        with frozen(port):
            started = time.monotonic()
            health = client.get("/healthz")
            hook = client.post("/cds-services/gluteal-pain-differential", json=hook_request())
            took = time.monotonic() - started
            ready = client.get("/readyz")
        assert (health.status_code, hook.status_code, ready.status_code) == (200, 200, 503)
        assert took < 1.0
    finally:
        store_of(app).close()
        _settle()


def _feedback(clock: FakeClock, card: str) -> Feedback:
    return Feedback(card_uuid=card, outcome="accepted", outcome_timestamp=clock())


def test_read_only_handles_are_recycled_once_the_disk_recovers(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore.open(f"sqlite:///{path}", patient_hash_salt=SALT, clock=clock)
    read_only = {"on": True}

    @event.listens_for(store.engine, "do_connect")
    def _connect(*_: object) -> sqlite3.Connection | None:
        if read_only["on"]:  # what a handle opened on a read-only disk can do
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return None

    store.engine.dispose()
    try:
        with pytest.raises(StoreError):
            store.save_feedback("svc", [_feedback(clock, "during")])
        assert not store.ping()  # never "ready" while a write would fail

        read_only["on"] = False  # the disk is writable again
        store.ping()  # a probe after recovery
        for n in range(12):
            store.save_feedback("svc", [_feedback(clock, f"after-{n}")])  # none may fail
        assert store.ping()
    finally:
        store.close()


def _feedback_body(card_uuid: str) -> dict[str, Any]:
    entry = {"card": card_uuid, "outcome": "overridden", "outcomeTimestamp": "2026-11-20T15:00Z"}
    return {"feedback": [entry]}


@abandoned_connections
def test_with_postgres_frozen_feedback_fails_fast_and_hook_calls_stay_fast(
    pg_url: tuple[str, int],
) -> None:
    """Issue 24: a 10 s freeze held every thread in feedback calls; hook calls took 1.4-2.8 s."""
    url, port = pg_url
    settings = Settings(database_url=url, patient_hash_salt="a-long-random-secret", threads=4)
    app = create_app(settings)
    hook_url = "/cds-services/gluteal-pain-differential"
    card_uuid = app.test_client().post(hook_url, json=hook_request()).get_json()["cards"][0]["uuid"]
    store_of(app).flush()

    def feedback() -> tuple[int, float]:
        started = time.monotonic()
        answer = app.test_client().post(f"{hook_url}/feedback", json=_feedback_body(card_uuid))
        assert answer.headers.get("Retry-After") == "2"
        return answer.status_code, time.monotonic() - started

    def hook() -> float:
        started = time.monotonic()
        assert app.test_client().post(hook_url, json=hook_request()).status_code == 200
        return time.monotonic() - started

    try:
        with frozen(port), ThreadPoolExecutor(max_workers=8) as pool:
            pending = [pool.submit(feedback) for _ in range(8)]
            hooks = sorted(hook() for _ in range(40))
            answered = [future.result(timeout=10) for future in pending]
        assert {status for status, _ in answered} == {503}
        waited = sorted(seconds for _, seconds in answered)
        # Two slots (threads / 2) wait out the deadline; every other call is refused at once.
        assert all(seconds < 0.3 for seconds in waited[:6]), waited
        assert hooks[-1] < 0.5, f"slowest hook call during the freeze: {hooks[-1]:.3f} s"
    finally:
        store_of(app).close()
        _settle()
