"""Fixtures of the page tests: the app with the shared vignettes as its examples."""

from __future__ import annotations

import dataclasses

import pytest

from cds_service.settings import Settings
from tests.support.paths import VIGNETTES


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings, with the vignettes folder configured explicitly."""
    return dataclasses.replace(settings, vignettes_dir=VIGNETTES)
