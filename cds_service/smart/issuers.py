"""Which EHRs may launch the app, their pinned SMART endpoints, and launches in flight.

A launch names its EHR (``iss``). Only the FHIR base URLs the operator configured are
accepted, compared before anything is fetched: an attacker's ``iss`` costs no outbound
request. A configured EHR's ``.well-known/smart-configuration`` is fetched through the
guarded transport (:mod:`cds_service.smart.transport`), its endpoints checked against the
same address policy, and kept for ``ttl`` (pinned): the client secret only ever goes to the
token endpoint found there. Calls to the EHR's authorisation side take one of a few slots
per worker, so a slow EHR cannot hold every thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from cds_service.errors import ServiceError
from cds_service.fhir.client import FhirServerPolicy
from cds_service.settings import Settings
from cds_service.smart.transport import PeerError, PeerLimits, call_peer

__all__ = ["Issuers", "LaunchBusyError", "UnknownIssuerError", "normalised_issuer"]


class UnknownIssuerError(ServiceError):
    """The launch names an EHR this service was not configured for."""

    status = 400


class LaunchBusyError(ServiceError):
    """Every launch slot of this worker is waiting on an EHR."""

    status = 503


class DiscoveryError(ServiceError):
    """The configured EHR publishes no usable SMART configuration."""

    status = 502


def normalised_issuer(url: str) -> str:
    """``url`` compared as the contract compares FHIR base URLs: case of scheme and host,
    and a trailing slash, do not matter."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


@dataclass
class Issuers:
    """The configured EHRs, their discovered endpoints, and the launch slots."""

    allowed: tuple[str, ...]
    policy: FhirServerPolicy  # addresses, schemes: the FHIR fallback's rules
    limits: PeerLimits = field(default_factory=PeerLimits)
    session_factory: Callable[[], requests.Session] = requests.Session
    slots: int = 2  # per worker: the other threads keep /healthz and the hooks answering
    slot_wait_s: float = 0.5
    ttl_s: float = 600.0
    monotonic: Callable[[], float] = time.monotonic
    _cache: dict[str, tuple[float, dict[str, Any]]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _slots: threading.BoundedSemaphore = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.slots)

    @classmethod
    def from_settings(
        cls, settings: Settings, session_factory: Callable[[], requests.Session]
    ) -> Issuers:
        """The app's issuers under ``settings``; their hosts may have private addresses."""
        allowed = settings.smart_launch_issuers
        policy = FhirServerPolicy(
            allow_http=settings.allow_http_fhir,
            # Hosts the operator named may resolve to private addresses (an EHR inside the
            # hospital's network); no URL list, so the token endpoint's path is not refused.
            issuer_servers={"smart-issuers": allowed, "fhir-allowlist": settings.fhir_allowlist},
        )
        return cls(tuple(allowed), policy, session_factory=session_factory)

    def check(self, iss: str) -> str:
        """The configured issuer ``iss`` names; :class:`UnknownIssuerError` if none."""
        wanted = normalised_issuer(iss)
        for configured in self.allowed:
            if wanted and normalised_issuer(configured) == wanted:
                return configured.rstrip("/")
        raise UnknownIssuerError(
            "This EHR (iss) is not one the bedside app is configured for "
            "(GLUTEAL_CDS_SMART_ISSUERS); launch it from a configured EHR."
        )

    @contextmanager
    def slot(self) -> Iterator[None]:
        """One call to an EHR's authorisation side; :class:`LaunchBusyError` if all are taken."""
        if not self._slots.acquire(timeout=self.slot_wait_s):
            raise LaunchBusyError("Too many launches are waiting on the EHR; try again shortly.")
        try:
            yield
        finally:
            self._slots.release()

    def configuration(self, issuer: str) -> dict[str, Any]:
        """The pinned SMART configuration of the configured ``issuer`` (fetched if not kept)."""
        now = self.monotonic()
        with self._lock:
            kept = self._cache.get(issuer)
        if kept is not None and kept[0] > now:
            return kept[1]
        with self.slot():
            configuration = self._discover(issuer)
        with self._lock:
            self._cache[issuer] = (now + self.ttl_s, configuration)
        return configuration

    def token_call(self, url: str, **kwargs: Any) -> tuple[int, dict[str, Any] | None]:
        """POST to a pinned token endpoint through the guarded transport, in a slot."""
        with self.slot():
            return call_peer(
                "POST",
                url,
                policy=self.policy,
                limits=self.limits,
                session_factory=self.session_factory,
                **kwargs,
            )

    def _discover(self, issuer: str) -> dict[str, Any]:
        url = f"{issuer}/.well-known/smart-configuration"
        try:
            status, body = call_peer(
                "GET",
                url,
                policy=self.policy,
                limits=self.limits,
                session_factory=self.session_factory,
                headers={"Accept": "application/json"},
            )
        except PeerError:
            body, status = None, 0
        if status != 200 or body is None or not self._usable(body):
            raise DiscoveryError("The EHR publishes no usable SMART configuration.")
        return dict(body)

    def _usable(self, body: Mapping[str, Any]) -> bool:
        endpoints = [body.get("authorization_endpoint"), body.get("token_endpoint")]
        return all(isinstance(url, str) and self.policy.refusal(url) is None for url in endpoints)
