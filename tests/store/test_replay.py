"""The caller-token replay cache: the database decides, and a database that cannot answer
never holds a hook call (issue 24)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from cds_service.store import FeedbackStore, StoreError
from cds_service.store.replay import ReplayCache, TokenUse
from tests.support.clock import FakeClock
from tests.support.stalled_database import stalled

EHR, OTHER_EHR = "https://ehr.example", "https://other-ehr.example"


def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Wait for ``condition`` (a background thread's work), failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.01)


@pytest.fixture
def make_cache(store: FeedbackStore, clock: FakeClock) -> Iterator[Callable[..., ReplayCache]]:
    """A worker's replay cache on the test database (each call: another worker)."""
    made: list[ReplayCache] = []

    def make(**options: Any) -> ReplayCache:
        options = {"timeout_s": 0.05, "retry_s": 0.05} | options
        made.append(ReplayCache(store.engine, clock=clock, **options))
        return made[-1]

    yield make
    for cache in made:  # no insert nor retry left waiting when the database is closed
        until(_answering(cache))
        cache.flush()


def _answering(cache: ReplayCache) -> Callable[[], bool]:
    return lambda: cache.answering


def use(clock: FakeClock, jti: str, issuer: str = EHR) -> TokenUse:
    return TokenUse(issuer, jti, clock() + timedelta(minutes=5))


def saved_ids(store: FeedbackStore) -> list[str]:
    with store.engine.connect() as connection:
        return sorted(connection.scalars(text("SELECT jti FROM seen_tokens")).all())


def test_a_token_id_is_accepted_once_per_issuer(
    make_cache: Callable[..., ReplayCache], clock: FakeClock
) -> None:
    cache = make_cache()

    assert cache.first_use(use(clock, "jti-1"))
    assert not cache.first_use(use(clock, "jti-1"))
    assert cache.first_use(use(clock, "jti-1", OTHER_EHR))


def test_a_replay_is_refused_by_another_worker(
    make_cache: Callable[..., ReplayCache], clock: FakeClock
) -> None:
    worker_a, worker_b = make_cache(), make_cache()

    assert worker_a.first_use(use(clock, "jti-1"))
    assert not worker_b.first_use(use(clock, "jti-1"))


def test_concurrent_replays_let_exactly_one_through(
    make_cache: Callable[..., ReplayCache], clock: FakeClock
) -> None:
    workers = [make_cache(timeout_s=5), make_cache(timeout_s=5)]
    results: list[bool] = []

    def race(cache: ReplayCache) -> None:
        results.append(cache.first_use(use(clock, "raced")))

    threads = [threading.Thread(target=race, args=(workers[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 7 + [True]


def test_expired_token_ids_are_purged(
    make_cache: Callable[..., ReplayCache], store: FeedbackStore, clock: FakeClock
) -> None:
    cache = make_cache()
    cache.first_use(use(clock, "old"))
    cache.flush()
    clock.advance(600)

    cache.first_use(use(clock, "new"))
    cache.flush()

    assert saved_ids(store) == ["new"]


def test_a_stalled_database_holds_a_check_no_longer_than_the_timeout(
    make_cache: Callable[..., ReplayCache], store: FeedbackStore, clock: FakeClock
) -> None:
    cache = make_cache(timeout_s=0.05)
    cache.first_use(use(clock, "warm-up"))
    with stalled(store.engine):
        started = time.monotonic()
        accepted = cache.first_use(use(clock, "during-stall"))
        took = time.monotonic() - started

    assert accepted
    assert took < 0.5  # the timeout, not the stall


def test_after_a_failure_no_check_waits_and_this_worker_still_refuses_replays(
    make_cache: Callable[..., ReplayCache], store: FeedbackStore, clock: FakeClock
) -> None:
    cache = make_cache()
    events: list[str] = []
    cache.listeners.append(events.append)
    with stalled(store.engine):
        cache.first_use(use(clock, "first"))  # misses the deadline: no check waits after it
        started = time.monotonic()
        fresh = [cache.first_use(use(clock, f"jti-{n}")) for n in range(20)]
        replay = cache.first_use(use(clock, "jti-3"))
        took = time.monotonic() - started

    assert all(fresh)
    assert not replay
    assert took < 0.5  # none waited on the database (21 waits of 50 ms would take over 1 s)
    assert events.count("degraded") == 21


def test_ids_accepted_without_the_database_are_saved_once_it_answers(
    make_cache: Callable[..., ReplayCache],
    store: FeedbackStore,
    clock: FakeClock,
) -> None:
    worker_a, worker_b = make_cache(timeout_s=0.05), make_cache(timeout_s=0.05)
    with stalled(store.engine):
        worker_a.first_use(use(clock, "first"))
        assert worker_a.first_use(use(clock, "while-down"))
    until(lambda: worker_a.answering)  # a retry reached the database and saved the ids

    assert not worker_b.first_use(use(clock, "while-down"))  # the window is closed
    assert "while-down" in saved_ids(store)


def test_a_replay_to_another_worker_during_the_outage_is_reported_late(
    make_cache: Callable[..., ReplayCache],
    store: FeedbackStore,
    clock: FakeClock,
) -> None:
    worker_a, worker_b = make_cache(timeout_s=0.05), make_cache(timeout_s=0.05)
    events: list[str] = []
    worker_b.listeners.append(events.append)
    worker_a.first_use(use(clock, "stolen"))  # saved while the database answers
    with stalled(store.engine):
        worker_b.first_use(use(clock, "first"))
        assert worker_b.first_use(use(clock, "stolen"))  # the window, written down
    until(lambda: worker_b.answering)

    assert "late-replay" in events


def test_refuse_mode_fails_within_the_timeout(
    make_cache: Callable[..., ReplayCache], store: FeedbackStore, clock: FakeClock
) -> None:
    cache = make_cache(timeout_s=0.05, when_unavailable="refuse")
    with stalled(store.engine):
        started = time.monotonic()
        with pytest.raises(StoreError):
            cache.first_use(use(clock, "during-stall"))
        with pytest.raises(StoreError):
            cache.first_use(use(clock, "in-the-back-off"))
        took = time.monotonic() - started

    assert took < 0.5


def test_this_workers_memory_is_bounded(
    make_cache: Callable[..., ReplayCache], store: FeedbackStore, clock: FakeClock
) -> None:
    cache = make_cache(timeout_s=0.05, local_capacity=3)
    with stalled(store.engine):
        for n in range(5):
            cache.first_use(use(clock, f"jti-{n}"))

        # The oldest are forgotten here (the database will have them once it answers).
        assert cache.first_use(use(clock, "jti-0"))
        assert not cache.first_use(use(clock, "jti-4"))
