"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from cds_service.settings import Settings
from cds_service.store import FeedbackStore
from tests.support.app import AppMaker
from tests.support.ci import skip_unless_ci
from tests.support.clock import FakeClock
from tests.support.postgres import find_pg_ctl, postgresql_server
from tests.support.shown import SALT

_database_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgresql_proc() -> Iterator[PostgreSQLExecutor]:
    """One PostgreSQL server for the session (see tests/store/postgres.py)."""
    pg_ctl = find_pg_ctl()
    if pg_ctl is None:
        skip_unless_ci("PostgreSQL server not installed (no pg_ctl); .ci/run installs it")
    try:
        with postgresql_server(pg_ctl) as server:
            yield server
    except KeyError:
        skip_unless_ci("no 'postgres' system user to run the PostgreSQL server as")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'instance' / 'feedback.sqlite3'}"
        return
    server: PostgreSQLExecutor = request.getfixturevalue("postgresql_proc")
    name = f"feedback_{next(_database_numbers)}"
    with DatabaseJanitor(user=server.user, host=server.host, port=server.port, dbname=name):
        yield f"postgresql://{server.user}@{server.host}:{server.port}/{name}"


@pytest.fixture
def clock() -> FakeClock:
    """The store's clock."""
    return FakeClock()


@pytest.fixture
def open_store(database_url: str, clock: FakeClock) -> Iterator[Callable[[], FeedbackStore]]:
    """Open the store on the test database (again: a restart); all are closed afterwards."""
    opened: list[FeedbackStore] = []

    def open_() -> FeedbackStore:
        opened.append(FeedbackStore.open(database_url, patient_hash_salt=SALT, clock=clock))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], FeedbackStore]) -> FeedbackStore:
    """A store on an empty, migrated database."""
    return open_store()


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings pointing at the test database."""
    return Settings(database_url=database_url, patient_hash_salt=SALT)


@pytest.fixture
def client(make_app: AppMaker) -> FlaskClient:
    """A test client of a fresh app."""
    return make_app().test_client()
