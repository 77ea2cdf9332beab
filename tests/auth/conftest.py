"""Caller-authentication fixtures: real ES384 / RS384 keys, a JWKS served by ``responses``."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from flask import Flask
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import store_of
from tests._clock import FakeClock

ISSUER = "https://sandbox.cds-hooks.org"
JWKS_URL = "https://sandbox.cds-hooks.org/.well-known/jwks.json"
SERVICE_URL = "http://localhost/cds-services/gluteal-pain-differential"
FEEDBACK_URL = f"{SERVICE_URL}/feedback"


@dataclass(frozen=True)
class SigningKey:
    """A private key and the public JWK an issuer publishes for it."""

    kid: str
    alg: str
    private: Any
    jwk: dict[str, Any]


def es384_key(kid: str = "es-1") -> SigningKey:
    private = ec.generate_private_key(ec.SECP384R1())
    jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, "ES384", private, {**jwk, "kid": kid, "alg": "ES384", "use": "sig"})


def rs384_key(kid: str = "rs-1") -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return SigningKey(kid, "RS384", private, {**jwk, "kid": kid, "alg": "RS384", "use": "sig"})


@pytest.fixture(scope="session")
def es_key() -> SigningKey:
    return es384_key()


@pytest.fixture(scope="session")
def rs_key() -> SigningKey:
    return rs384_key()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@dataclass
class Issuer:
    """Mints tokens the way the CDS Hooks sandbox does; remembers each for the log check."""

    clock: FakeClock
    key: SigningKey
    minted: list[str] = field(default_factory=list)

    def token(
        self,
        key: SigningKey | None = None,
        headers: dict[str, Any] | None = None,
        drop: tuple[str, ...] = (),
        jku: str | None = JWKS_URL,
        **claims: Any,
    ) -> str:
        key = key or self.key
        now = int(self.clock().timestamp())
        payload = {
            "iss": ISSUER,
            "aud": FEEDBACK_URL,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
            **claims,
        }
        for name in drop:
            payload.pop(name)
        header = {"kid": key.kid, **({"jku": jku} if jku else {}), **(headers or {})}
        self.minted.append(jwt.encode(payload, key.private, algorithm=key.alg, headers=header))
        return self.minted[-1]

    def remember(self, token: str) -> str:
        self.minted.append(token)
        return token


@pytest.fixture
def issuer(clock: FakeClock, es_key: SigningKey) -> Issuer:
    return Issuer(clock, es_key)


@pytest.fixture
def jwks(es_key: SigningKey, rs_key: SigningKey) -> Iterator[responses.RequestsMock]:
    """The sandbox's JWKS, with one ES384 and one RS384 key; no real network."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(JWKS_URL, json={"keys": [es_key.jwk, rs_key.jwk]})
        yield mock


def jwks_fetches(mock: responses.RequestsMock) -> int:
    return sum(1 for call in mock.calls if call.request.url == JWKS_URL)


@pytest.fixture
def make_app(tmp_path: Path, clock: FakeClock) -> Iterator[Callable[..., Flask]]:
    """The service as production builds it, trusting the sandbox's issuer."""
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        settings = Settings(
            **{
                "database_url": f"sqlite:///{tmp_path / 'auth.sqlite3'}",
                "trusted_issuers": {ISSUER: JWKS_URL},
                "public_base_url": "http://localhost",
                "patient_hash_salt": "s",
                **overrides,
            }
        )
        apps.append(create_app(settings, clock=clock))
        return apps[-1]

    yield build
    for app in apps:
        store_of(app).close()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
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
