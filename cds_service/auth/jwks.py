"""Trusted issuers' signing keys: fetched with ``requests``, cached, re-fetched sparingly.

Kept rather than replaced by PyJWT's ``PyJWKClient``: once its cache lifespan has passed,
a failed fetch raises, so an issuer outage of a few minutes refuses every caller, while
this cache keeps serving the last good keys; its cool-down between forced re-fetches
appeared only in recent PyJWT releases; and it fetches with ``urllib``, outside the
``requests`` connect and read timeouts that bound every other outbound call here.
Verifying the token itself is PyJWT's job (:mod:`cds_service.auth.caller`).

No issuer can stall another's callers (issue 24: one slow JWKS plus four forged tokens
held every caller for 59 s behind one lock): each issuer has its own state; a known key is
read without any lock; one fetch per issuer runs at a time, bounded by a wall-clock
deadline (the FHIR transport's guard, :mod:`cds_service.fhir.guard`) and a size cap; a
caller that finds a fetch under way or cooling down is refused at once rather than queued.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from pydantic_core import from_json

from cds_service.fhir.guard import CallGuard, GuardedAdapter, guarding

__all__ = ["MAX_JWKS_BYTES", "JwksCache", "KeyNotFound"]

log = logging.getLogger(__name__)

_SIGNING_KEY_TYPES = frozenset({"EC", "RSA"})
# A JWKS of a dozen RSA keys with certificate chains is ~50 KB; anything far larger is not one.
MAX_JWKS_BYTES = 1024 * 1024
_CHUNK_BYTES = 16 * 1024


class KeyNotFound(Exception):  # noqa: N818 - a lookup outcome, named for what happened
    """The issuer's JWKS has no usable key with this ``kid`` (or could not be fetched)."""


class _JwksUnavailable(Exception):  # noqa: N818 - why a fetch gave nothing; logged by class
    """The JWKS could not be read: too slow, too large, or not a JSON object."""


@dataclass
class _IssuerKeys:
    # Replaced whole after a good fetch, never changed in place: read without a lock.
    keys: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fetched_at: float | None = None  # monotonic seconds of the last attempt
    fetching: threading.Lock = field(default_factory=threading.Lock)


class JwksCache:
    """JWK dicts by issuer and ``kid``.

    An unknown ``kid`` triggers a re-fetch (the issuer may have rotated its keys), but at
    most once per ``min_refetch_s`` per issuer, so forged ``kid`` values cannot make us
    hammer the issuer; a failed fetch keeps the last good keys.
    """

    def __init__(
        self,
        jwks_urls: Mapping[str, str],
        *,
        timeout: tuple[float, float] = (2.0, 5.0),
        min_refetch_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        deadline_s: float = 3.0,
        max_bytes: int = MAX_JWKS_BYTES,
    ) -> None:
        """Keys for the issuers of ``jwks_urls`` (issuer -> JWKS URL).

        One fetch takes at most ``deadline_s`` of wall time, however slowly the issuer
        answers, and reads at most ``max_bytes``.
        """
        self._urls = dict(jwks_urls)
        self._timeout = timeout
        self._min_refetch_s = min_refetch_s
        self._monotonic = monotonic
        self._deadline_s = deadline_s
        self._max_bytes = max_bytes
        # One entry per configured issuer, made now: no lock is needed to find it later.
        self._issuers = {issuer: _IssuerKeys() for issuer in self._urls}

    def key(self, issuer: str, kid: str) -> Mapping[str, Any]:
        """The JWK of ``issuer`` with this ``kid``; raises :class:`KeyNotFound`."""
        cached = self._issuers.get(issuer)
        if cached is None:
            raise KeyNotFound(kid)
        found = cached.keys.get(kid)
        if found is None and self._refresh(issuer, cached):
            found = cached.keys.get(kid)
        if found is None:
            raise KeyNotFound(kid)
        return found

    def _refresh(self, issuer: str, cached: _IssuerKeys) -> bool:
        """Fetch ``issuer``'s keys unless a fetch is under way or cooling down; True if run."""
        if not self._may_fetch(cached) or not cached.fetching.acquire(blocking=False):
            return False  # never queue behind another caller's fetch
        try:
            if not self._may_fetch(cached):  # another caller fetched just now
                return False
            cached.fetched_at = self._monotonic()
            fetched = self._fetch(issuer)
            if fetched is not None:
                cached.keys = fetched
            return True
        finally:
            cached.fetching.release()

    def _may_fetch(self, cached: _IssuerKeys) -> bool:
        if cached.fetched_at is None:
            return True
        return self._monotonic() - cached.fetched_at >= self._min_refetch_s

    def _fetch(self, issuer: str) -> dict[str, Mapping[str, Any]] | None:
        try:
            document = self._download(self._urls[issuer])
        except (requests.RequestException, _JwksUnavailable) as exc:
            log.warning("JWKS of %s not available: %s", issuer, exc.__class__.__name__)
            return None
        return _signing_keys(document)

    def _download(self, url: str) -> object:
        """The JSON at ``url``, read within the deadline and the size cap."""
        # The URL is the operator's (GLUTEAL_CDS_TRUSTED_ISSUERS): no address policy, but
        # the guard's deadline shuts the socket down whatever it is waiting for.
        guard = CallGuard(check_addresses=False, deadline=time.monotonic() + self._deadline_s)
        try:
            with requests.Session() as session, guarding(guard):
                session.mount("https://", GuardedAdapter())
                session.mount("http://", GuardedAdapter())
                connect, read = self._timeout
                timeout = (min(connect, self._deadline_s), min(read, self._deadline_s))
                response = session.get(url, timeout=timeout, stream=True)
                with response:
                    response.raise_for_status()
                    body = self._body(response)
        finally:
            guard.close()
        try:
            return from_json(body, allow_inf_nan=False)
        except ValueError:
            raise _JwksUnavailable("not JSON") from None

    def _body(self, response: requests.Response) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise _JwksUnavailable("too large")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK_BYTES):
            size += len(chunk)
            if size > self._max_bytes:
                raise _JwksUnavailable("too large")
            chunks.append(chunk)
        return b"".join(chunks)


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
