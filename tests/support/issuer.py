"""Signing keys and an issuer of the JWTs a CDS client sends (ES384 / RS384, real keys)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
import responses
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from tests.support.clock import FakeClock

__all__ = [
    "FEEDBACK_URL",
    "ISSUER",
    "JWKS_URL",
    "SERVICE_URL",
    "Issuer",
    "SigningKey",
    "es384_key",
    "jwks_fetches",
    "rs384_key",
]

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


def jwks_fetches(mock: responses.RequestsMock) -> int:
    return sum(1 for call in mock.calls if call.request.url == JWKS_URL)
