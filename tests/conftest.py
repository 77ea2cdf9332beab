"""Shared fixtures: an app built with test settings and a fixed clock, and its client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings

FIXED_NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Stop at once, saying why, when ``../shared`` is not beside the repository."""
    if not (SHARED / "CONTRACT.md").is_file() or not (SHARED / "vignettes").is_dir():
        raise pytest.UsageError(
            f"{SHARED} is missing: the tests read the interface contract (CONTRACT.md), the "
            "clinical vignettes (vignettes/) and the CDS Hooks specification (cds-hooks/) "
            "from the shared folder that sits next to this repository. Put it there (see "
            "README, 'Before you start') and run the tests again."
        )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings a test can rely on: a private SQLite file, https-only FHIR, any origin."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'gluteal-cds.sqlite3'}",
        allow_http_fhir=False,
    )


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A clock stopped at :data:`FIXED_NOW`."""
    return lambda: FIXED_NOW


@pytest.fixture
def app(settings: Settings, clock: Callable[[], datetime]) -> Flask:
    """The service as production builds it, with the test settings and clock."""
    app = create_app(settings, clock=clock)
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of :func:`app`."""
    return app.test_client()
