"""Shared fixtures: an app built with test settings and a fixed clock, and its client.

Helpers live in :mod:`tests.support`; this file only turns them into fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cds_service.settings import Settings
from tests.ops.scrape import METRICS_TOKEN
from tests.support.app import AppMaker
from tests.support.clock import FIXED_NOW, FakeClock
from tests.support.paths import missing_shared

# Fixtures of the end-to-end suites (a real FHIR server, a real browser, the service under
# `gluteal-cds serve`) and the test databases (SQLite, PostgreSQL), shared by all.
pytest_plugins = [
    "tests.support.fhir_server",
    "tests.support.browser",
    "tests.support.databases",
    "tests.support.serving",
]


def pytest_configure(config: pytest.Config) -> None:
    """Stop at once, saying why, when ``../shared`` is not beside the repository."""
    problem = missing_shared()
    if problem:
        raise pytest.UsageError(problem)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings a test can rely on: a private SQLite file, https-only FHIR, any origin."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'gluteal-cds.sqlite3'}",
        allow_http_fhir=False,
        metrics_token=METRICS_TOKEN,
    )


@pytest.fixture
def clock() -> FakeClock:
    """A clock stopped at :data:`~tests.support.clock.FIXED_NOW`."""
    return FakeClock(FIXED_NOW)


@pytest.fixture
def make_app(settings: Settings, clock: FakeClock) -> Iterator[AppMaker]:
    """Build the service as production does (again: a restart), with ``settings`` and ``clock``."""
    maker = AppMaker(settings, clock)
    yield maker
    maker.close()


@pytest.fixture
def app(make_app: AppMaker) -> Flask:
    """The service as production builds it, with the test settings and clock."""
    app = make_app()
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of :func:`app`."""
    return app.test_client()
