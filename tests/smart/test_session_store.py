"""Sessions live in the service's database: any worker finds them, they expire, they are
capped, and the id is renewed at sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cds_service.smart.session_store import SessionsBusyError, SessionStore
from cds_service.smart.sessions import SmartSession
from cds_service.store import FeedbackStore
from cds_service.store.smart_session_rows import SmartSessionRow


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A database migrated as the service migrates it."""
    database = f"sqlite:///{tmp_path / 'sessions.sqlite3'}"
    FeedbackStore.open(database, patient_hash_salt="s").close()
    return database


def _store(url: str, clock: Clock, **options: object) -> SessionStore:
    # A fresh engine each time: what another worker process sees.
    return SessionStore(FeedbackStore.open(url, patient_hash_salt="s").engine, clock, **options)  # type: ignore[arg-type]


def _signed_in() -> SmartSession:
    return SmartSession(iss="https://ehr/fhir", token={"access_token": "t"}, patient="p-1")


def test_a_session_started_by_one_worker_is_found_by_another(url: str) -> None:
    clock = Clock()
    session = SmartSession(iss="https://ehr/fhir", state="st")
    session_id = _store(url, clock).start(session)

    found = _store(url, clock).get(session_id)

    assert found == session


def test_an_unfinished_launch_expires_after_ten_minutes(url: str) -> None:
    clock = Clock()
    store = _store(url, clock)
    session_id = store.start(SmartSession())
    clock.now += timedelta(minutes=9)
    assert store.get(session_id) is not None
    clock.now += timedelta(minutes=2)
    assert store.get(session_id) is None


def test_use_keeps_a_signed_in_session_alive_for_an_hour(url: str) -> None:
    clock = Clock()
    store = _store(url, clock)
    session_id = store.renew(store.start(SmartSession()), _signed_in())
    clock.now += timedelta(minutes=50)
    store.save(session_id, store.get(session_id) or SmartSession())
    clock.now += timedelta(minutes=50)
    assert store.get(session_id) is not None
    clock.now += timedelta(minutes=61)
    assert store.get(session_id) is None


def test_unfinished_launches_are_capped_and_expired_ones_deleted(url: str) -> None:
    clock = Clock()
    store = _store(url, clock, max_unfinished=3)
    for _ in range(3):
        store.start(SmartSession())
    with pytest.raises(SessionsBusyError):
        store.start(SmartSession())
    clock.now += timedelta(minutes=11)
    store.start(SmartSession())  # the three expired ones are gone
    with store.engine.connect() as connection:
        assert len(connection.execute(select(SmartSessionRow.id_hash)).all()) == 1


def test_renewal_at_sign_in_ends_the_old_id(url: str) -> None:
    clock = Clock()
    store = _store(url, clock)
    planted = store.start(SmartSession())
    session = _signed_in()
    renewed = store.renew(planted, session)
    assert renewed != planted
    assert store.get(planted) is None
    assert store.get(renewed) == session


def test_the_table_holds_no_cookie_value(url: str) -> None:
    clock = Clock()
    store = _store(url, clock)
    session_id = store.start(SmartSession())
    with store.engine.connect() as connection:
        (row,) = connection.execute(select(SmartSessionRow.id_hash, SmartSessionRow.data)).all()
    assert session_id not in row.id_hash
    assert session_id not in row.data


def test_unknown_forged_or_missing_ids_find_nothing(url: str) -> None:
    store = _store(url, Clock())
    assert store.get(None) is None
    assert store.get("forged") is None
    assert store.get("x" * 10_000) is None
