"""The test database, as a pytest plugin: a SQLite file, and a real PostgreSQL under CI.

Tests that store something (``tests/store``, the feedback route) run against both.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from cds_service.settings import Settings
from tests.support.ci import skip_unless_ci
from tests.support.postgres import find_pg_ctl, postgresql_server
from tests.support.shown import SALT

__all__ = ["database_settings", "database_url", "postgresql_proc"]

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
def database_settings(database_url: str) -> Settings:
    """Settings pointing at the test database."""
    return Settings(database_url=database_url, patient_hash_salt=SALT)
