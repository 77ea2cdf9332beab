"""Trusted issuers' signing keys: fetched with ``requests``, cached, re-fetched sparingly.

Kept rather than replaced by PyJWT's ``PyJWKClient``: once its cache lifespan has passed,
a failed fetch raises, so an issuer outage of a few minutes refuses every caller, while
this cache keeps serving the last good keys; its cool-down between forced re-fetches
appeared only in recent PyJWT releases; and it fetches with ``urllib``, outside the
``requests`` connect and read timeouts that bound every other outbound call here.
Verifying the token itself is PyJWT's job (:mod:`cds_service.auth.caller`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

__all__ = ["JwksCache", "KeyNotFound"]

log = logging.getLogger(__name__)

_SIGNING_KEY_TYPES = frozenset({"EC", "RSA"})


class KeyNotFound(Exception):  # noqa: N818 - a lookup outcome, named for what happened
    """The issuer's JWKS has no usable key with this ``kid`` (or could not be fetched)."""


@dataclass
class _IssuerKeys:
    keys: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    fetched_at: float | None = None  # monotonic seconds of the last attempt


class JwksCache:
    """JWK dicts by issuer and ``kid``.

    An unknown ``kid`` triggers a re-fetch (the issuer may have rotated its keys), but at
    most once per ``min_refetch_s`` per issuer, so forged ``kid`` values cannot make us
    hammer the issuer.
    """

    def __init__(
        self,
        jwks_urls: Mapping[str, str],
        *,
        timeout: tuple[float, float] = (2.0, 5.0),
        min_refetch_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keys for the issuers of ``jwks_urls`` (issuer -> JWKS URL)."""
        self._urls = dict(jwks_urls)
        self._timeout = timeout
        self._min_refetch_s = min_refetch_s
        self._monotonic = monotonic
        self._issuers: dict[str, _IssuerKeys] = {}
        self._lock = threading.Lock()

    def key(self, issuer: str, kid: str) -> Mapping[str, Any]:
        """The JWK of ``issuer`` with this ``kid``; raises :class:`KeyNotFound`."""
        with self._lock:
            cached = self._issuers.setdefault(issuer, _IssuerKeys())
            if kid not in cached.keys and self._may_fetch(cached):
                cached.fetched_at = self._monotonic()
                fetched = self._fetch(issuer)
                if fetched is not None:
                    cached.keys = fetched
            found = cached.keys.get(kid)
        if found is None:
            raise KeyNotFound(kid)
        return found

    def _may_fetch(self, cached: _IssuerKeys) -> bool:
        if cached.fetched_at is None:
            return True
        return self._monotonic() - cached.fetched_at >= self._min_refetch_s

    def _fetch(self, issuer: str) -> dict[str, Mapping[str, Any]] | None:
        url = self._urls[issuer]
        try:
            response = requests.get(url, timeout=self._timeout)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("JWKS of %s not available: %s", issuer, exc.__class__.__name__)
            return None
        return _signing_keys(document)


def _signing_keys(document: object) -> dict[str, Mapping[str, Any]]:
    keys = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(keys, list):
        return {}
    return {
        key["kid"]: key
        for key in keys
        if isinstance(key, Mapping)
        and isinstance(key.get("kid"), str)
        and key.get("kty") in _SIGNING_KEY_TYPES
        and key.get("use", "sig") == "sig"
    }
