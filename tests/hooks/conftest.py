"""The order-hook tests run the service with an https public URL, as a deployment has."""

from __future__ import annotations

import dataclasses

import pytest

from cds_service.settings import Settings

BASE_URL = "https://cds.example.org"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared test settings, with card links under :data:`BASE_URL`."""
    return dataclasses.replace(settings, public_base_url=BASE_URL)
