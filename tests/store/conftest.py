"""Store fixtures: every store test runs against SQLite and against a real PostgreSQL
(``database_url``, from :mod:`tests.support.databases`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask.testing import FlaskClient

from cds_service.settings import Settings
from cds_service.store import FeedbackStore
from tests.support.app import AppMaker
from tests.support.clock import FIXED_NOW, FakeClock
from tests.support.shown import SALT


@pytest.fixture
def clock() -> FakeClock:
    """The store's clock, at the time the hook builders' data is dated for (an earlier one
    makes that data future-dated, hence unreadable: fhir_mappings.future)."""
    return FakeClock(FIXED_NOW)


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
def settings(database_settings: Settings) -> Settings:
    """Settings pointing at the test database."""
    return database_settings


@pytest.fixture
def client(make_app: AppMaker) -> FlaskClient:
    """A test client of a fresh app."""
    return make_app().test_client()
