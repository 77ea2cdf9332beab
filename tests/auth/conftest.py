"""Caller-authentication fixtures: real ES384 / RS384 keys, a JWKS served by ``responses``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from flask import Flask

from cds_service.settings import Settings
from tests.support.app import AppMaker
from tests.support.clock import FIXED_NOW, FakeClock
from tests.support.issuer import ISSUER, JWKS_URL, Issuer, SigningKey, es384_key, rs384_key


@pytest.fixture(scope="session")
def es_key() -> SigningKey:
    return es384_key()


@pytest.fixture(scope="session")
def rs_key() -> SigningKey:
    return rs384_key()


@pytest.fixture
def clock() -> FakeClock:
    # The hook builders' data is dated for FIXED_NOW: an earlier clock makes it future-dated,
    # hence unreadable (fhir_mappings.future).
    return FakeClock(FIXED_NOW)


@pytest.fixture
def issuer(clock: FakeClock, es_key: SigningKey) -> Issuer:
    return Issuer(clock, es_key)


@pytest.fixture
def jwks(es_key: SigningKey, rs_key: SigningKey) -> Iterator[responses.RequestsMock]:
    """The sandbox's JWKS, with one ES384 and one RS384 key; no real network."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(JWKS_URL, json={"keys": [es_key.jwk, rs_key.jwk]})
        yield mock


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The service trusting the sandbox's issuer."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'auth.sqlite3'}",
        trusted_issuers={ISSUER: JWKS_URL},
        public_base_url="http://localhost",
        patient_hash_salt="s",
    )


@pytest.fixture
def app(make_app: AppMaker) -> Flask:
    return make_app()


@pytest.fixture(autouse=True)
def no_token_in_logs(caplog: pytest.LogCaptureFixture, issuer: Issuer) -> Iterator[None]:
    """Every auth test also checks that no token it minted was logged."""
    caplog.set_level("DEBUG")
    yield
    logged = caplog.text + json.dumps([r.args for r in caplog.records], default=str)
    for token in issuer.minted:
        assert token not in logged
        signature = token.split(".")[-1]
        assert len(signature) < 8 or signature not in logged  # not even the signature
