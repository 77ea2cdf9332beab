"""Caller authentication (contract section 6): a JWT from a trusted issuer on every call.

Active only when ``GLUTEAL_CDS_TRUSTED_ISSUERS`` is set. Each request under /cds-services
needs ``Authorization: Bearer <JWT>`` signed ES384 or RS384 by a key of the issuer's JWKS,
addressed (``aud``) to the URL called, unexpired and never seen before. A rejected call gets
401 ``{"error": "unauthorized"}``; the reason is logged, the token never.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt
from flask import Flask, Response, g, jsonify, request

from cds_service.auth.jwks import JwksCache, KeyNotFound
from cds_service.runtime import runtime
from cds_service.settings import ConfigurationError, Settings
from cds_service.store import StoreError, store_of
from cds_service.store.replay import ReplayCache, TokenUse

__all__ = [
    "AuthenticationError",
    "CallerVerifier",
    "Rejection",
    "caller_issuer",
    "init_auth",
]

log = logging.getLogger(__name__)

_PROTECTED_PREFIX = "/cds-services"
# Algorithm -> (JWK key type, curve). Nothing else is ever accepted: no "none", no HMAC.
_ALGORITHMS: Mapping[str, tuple[str, str | None]] = {
    "ES384": ("EC", "P-384"),
    "RS384": ("RSA", None),
}
_REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti")
_MAX_JTI_LENGTH = 255
_LATEST_TIME = 253_402_300_799  # 9999-12-31T23:59:59Z, the last second datetime holds


class Rejection(StrEnum):
    """Why a caller was refused; a small fixed set so metrics can count them."""

    MISSING_TOKEN = "missing-token"  # noqa: S105 - a reason code, not a secret
    MALFORMED = "malformed"
    ALGORITHM = "algorithm"
    UNTRUSTED_ISSUER = "untrusted-issuer"
    FOREIGN_JKU = "foreign-jku"
    UNKNOWN_KEY = "unknown-key"
    BAD_SIGNATURE = "bad-signature"
    WRONG_AUDIENCE = "wrong-audience"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    MISSING_CLAIM = "missing-claim"
    REPLAYED = "replayed"
    REPLAY_CHECK_FAILED = "replay-check-failed"
    TOO_LONG_LIVED = "too-long-lived"


class AuthenticationError(Exception):
    """A caller's token was refused; ``reason`` says why (never shown to the caller)."""

    def __init__(self, reason: Rejection) -> None:
        """Refuse for ``reason``."""
        super().__init__(reason.value)
        self.reason = reason


Clock = Callable[[], datetime]


class CallerVerifier:
    """Checks caller JWTs against the trusted issuers' keys and the replay cache."""

    def __init__(
        self,
        trusted_issuers: Mapping[str, str],
        replays: ReplayCache,
        *,
        leeway_s: int,
        clock: Clock,
        keys: JwksCache | None = None,
        max_lifetime_s: int = 3600,
    ) -> None:
        """Trust ``trusted_issuers`` (issuer -> JWKS URL); remember token ids in ``replays``.

        A token whose ``exp`` is more than ``max_lifetime_s`` after its ``iat`` is refused:
        its ``jti`` would have to be kept that long.
        """
        self._issuers = dict(trusted_issuers)
        self._replays = replays
        self._leeway = leeway_s
        self._max_lifetime = max_lifetime_s
        self._clock = clock
        self._keys = keys or JwksCache(self._issuers)

    def verify(self, token: str, audience: str) -> Mapping[str, Any]:
        """The token's claims if it is acceptable for a call to ``audience``, else raise."""
        header = _header(token)
        alg = header.get("alg")
        if (
            not isinstance(alg, str) or alg not in _ALGORITHMS
        ):  # before any key lookup: refuses "none" and HS*
            raise AuthenticationError(Rejection.ALGORITHM)
        issuer = self._issuer(token, header)
        key = self._key(issuer, header, alg)
        claims = _decode(token, key, alg, issuer, audience)
        expires = self._check_times(claims)
        self._check_fresh(issuer, claims, expires)
        return claims

    def _issuer(self, token: str, header: Mapping[str, Any]) -> str:
        issuer = _unverified_claims(token).get("iss")
        if not isinstance(issuer, str) or issuer not in self._issuers:
            raise AuthenticationError(Rejection.UNTRUSTED_ISSUER)
        jku = header.get("jku")
        if jku is not None and jku != self._issuers[issuer]:  # never fetched: only compared
            raise AuthenticationError(Rejection.FOREIGN_JKU)
        return issuer

    def _key(self, issuer: str, header: Mapping[str, Any], alg: str) -> Any:
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError(Rejection.UNKNOWN_KEY)
        try:
            jwk = self._keys.key(issuer, kid)
        except KeyNotFound:
            raise AuthenticationError(Rejection.UNKNOWN_KEY) from None
        key_type, curve = _ALGORITHMS[alg]
        if jwk.get("kty") != key_type or jwk.get("alg", alg) != alg or jwk.get("crv") != curve:
            raise AuthenticationError(Rejection.ALGORITHM)
        try:
            return jwt.PyJWK(dict(jwk), algorithm=alg).key
        except jwt.PyJWTError:
            raise AuthenticationError(Rejection.UNKNOWN_KEY) from None

    def _check_times(self, claims: Mapping[str, Any]) -> datetime:
        now = self._clock().timestamp()
        exp, iat = _number(claims, "exp"), _number(claims, "iat")
        nbf = _number(claims, "nbf") if "nbf" in claims else None
        if exp is None or iat is None:
            raise AuthenticationError(Rejection.MISSING_CLAIM)
        if exp - iat > self._max_lifetime:
            raise AuthenticationError(Rejection.TOO_LONG_LIVED)
        if exp <= now - self._leeway:
            raise AuthenticationError(Rejection.EXPIRED)
        if iat > now + self._leeway or (nbf is not None and nbf > now + self._leeway):
            raise AuthenticationError(Rejection.NOT_YET_VALID)
        return datetime.fromtimestamp(exp, UTC)

    def _check_fresh(self, issuer: str, claims: Mapping[str, Any], expires: datetime) -> None:
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > _MAX_JTI_LENGTH:
            raise AuthenticationError(Rejection.MALFORMED)
        # Kept until the token could no longer pass the exp check anyway.
        keep_until = expires + timedelta(seconds=self._leeway)
        try:
            fresh = self._replays.first_use(TokenUse(issuer, jti, keep_until))
        except StoreError:
            raise AuthenticationError(Rejection.REPLAY_CHECK_FAILED) from None
        if not fresh:
            raise AuthenticationError(Rejection.REPLAYED)


def _header(token: str) -> Mapping[str, Any]:
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise AuthenticationError(Rejection.MALFORMED) from None


def _unverified_claims(token: str) -> Mapping[str, Any]:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AuthenticationError(Rejection.MALFORMED) from None
    return claims


# PyJWT's exception -> our reason; the first matching class wins (subclasses first).
_DECODE_ERRORS: tuple[tuple[type[jwt.PyJWTError], Rejection], ...] = (
    (jwt.InvalidSignatureError, Rejection.BAD_SIGNATURE),
    (jwt.InvalidAudienceError, Rejection.WRONG_AUDIENCE),
    (jwt.InvalidIssuerError, Rejection.UNTRUSTED_ISSUER),
    (jwt.MissingRequiredClaimError, Rejection.MISSING_CLAIM),
    (jwt.PyJWTError, Rejection.MALFORMED),
)


def _decode(token: str, key: Any, alg: str, issuer: str, audience: str) -> Mapping[str, Any]:
    # Times are checked by us against the app's clock, the rest by PyJWT.
    options: Any = {
        "require": list(_REQUIRED_CLAIMS),
        "verify_exp": False,
        "verify_iat": False,
        "verify_nbf": False,
    }
    try:
        return jwt.decode(
            token, key, algorithms=[alg], audience=audience, issuer=issuer, options=options
        )
    except jwt.PyJWTError as exc:
        reason = next(r for kind, r in _DECODE_ERRORS if isinstance(exc, kind))
        raise AuthenticationError(reason) from None


def _number(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise AuthenticationError(Rejection.MALFORMED)
    number = float(value)
    if not math.isfinite(number) or abs(number) > _LATEST_TIME:  # NaN, 1e400, 1e20
        raise AuthenticationError(Rejection.MALFORMED)
    return number


def init_auth(app: Flask, settings: Settings, *, clock: Clock | None = None) -> None:
    """Require caller JWTs under /cds-services when trusted issuers are configured.

    ``clock`` (default: the system clock) decides token expiry and paces JWKS re-fetches.
    """
    if not settings.auth_enabled:
        return
    now = clock or (lambda: datetime.now(UTC))
    keys = JwksCache(
        settings.trusted_issuers,
        timeout=(settings.fhir_connect_timeout_s, settings.fhir_read_timeout_s),
        monotonic=(lambda: now().timestamp()) if clock else time.monotonic,
        deadline_s=settings.jwks_timeout_s,
    )
    replays = ReplayCache(
        store_of(app).engine,
        clock=now,
        timeout_s=settings.replay_check_timeout_s,
        when_unavailable=settings.replay_check_when_database_down,
    )
    replays.listeners = runtime(app).replay_check_listeners  # the metrics plug in there
    verifier = CallerVerifier(
        settings.trusted_issuers,
        replays,
        leeway_s=settings.jwt_leeway_s,
        clock=now,
        keys=keys,
        max_lifetime_s=settings.jwt_max_lifetime_s,
    )
    base_url = settings.public_base_url
    if not base_url:  # check_startup refuses this; never fall back to the Host header
        raise ConfigurationError("GLUTEAL_CDS_PUBLIC_BASE_URL: required with authentication")
    app.before_request(lambda: _authenticate(verifier, base_url))


def _authenticate(verifier: CallerVerifier, public_base_url: str) -> Response | None:
    path = request.path
    protected = path == _PROTECTED_PREFIX or path.startswith(_PROTECTED_PREFIX + "/")
    if not protected or request.method == "OPTIONS":  # CORS preflights carry no token
        return None
    audience = f"{public_base_url}{path}"
    try:
        claims = verifier.verify(_bearer_token(), audience)
    except AuthenticationError as exc:
        log.warning("caller refused on %s: %s", request.method, exc.reason.value)
        for listener in runtime().rejection_listeners:
            listener(exc.reason)
        if exc.reason is Rejection.REPLAY_CHECK_FAILED:
            # Our store failed, not the caller: say so, so the EHR retries.
            response = jsonify(error="the token replay check is unavailable; try again later")
            response.status_code = 503
            response.headers["Retry-After"] = "5"
            return response
        response = jsonify(error="unauthorized")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = "Bearer"
        return response
    g.caller_issuer = claims["iss"]
    return None


def caller_issuer() -> str | None:
    """The issuer of the current call's verified token; None when authentication is off."""
    issuer = g.get("caller_issuer")
    return issuer if isinstance(issuer, str) else None


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError(Rejection.MISSING_TOKEN)
    return token.strip()
