"""One app per module for the fuzzing tests: hypothesis runs many examples against it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import store_of
from tests.hardening.seeds import serve_fhir_data, vignettes
from tests.support.clock import FIXED_NOW, FakeClock


@pytest.fixture(scope="module")
def shared_clock() -> FakeClock:
    """A clock a test sets to the instant of the vignette it sends."""
    assert vignettes()  # the fuzzers start from them
    return FakeClock(FIXED_NOW)


@pytest.fixture(scope="module")
def shared_app(
    tmp_path_factory: pytest.TempPathFactory, shared_clock: FakeClock
) -> Iterator[Flask]:
    """The service as production builds it; the FHIR servers of the vignettes are mocked."""
    database = tmp_path_factory.mktemp("fuzz") / "feedback.sqlite3"
    app = create_app(
        Settings(database_url=f"sqlite:///{database}", patient_hash_salt="s"), clock=shared_clock
    )
    app.testing = True
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_fhir_data(rsps)
        yield app
    store_of(app).close()


@pytest.fixture(scope="module")
def shared_client(shared_app: Flask) -> FlaskClient:
    return shared_app.test_client()
