"""Reads from the EHR's FHIR server when prefetch did not bring the data (contract section 2).

Bounded on every axis: connect and read timeouts per call, a number of search pages and a
total time budget per hook call. The bearer token is sent only to the server the EHR named
(``Bundle.link[next]`` must stay on that origin) and is never logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from pydantic_core import from_json

__all__ = [
    "FhirBudgetSpentError",
    "FhirClient",
    "FhirLimits",
    "FhirReadError",
    "FhirServerPolicy",
    "quiet_transport_debug_log",
]

_log = logging.getLogger(__name__)
_ACCEPT = "application/fhir+json"
_TRANSPORT_LOGGER = "urllib3.connectionpool"


def _not_debug(record: logging.LogRecord) -> bool:
    # urllib3 logs every request line at DEBUG, and a FHIR URL names the patient
    # ("Observation?patient=<id>"): those lines must not reach any log.
    return record.levelno > logging.DEBUG


def quiet_transport_debug_log() -> None:
    """Keep urllib3's DEBUG request lines (URLs with patient ids) out of the logs; idempotent."""
    logger = logging.getLogger(_TRANSPORT_LOGGER)
    if _not_debug not in logger.filters:
        logger.addFilter(_not_debug)


class FhirReadError(Exception):
    """The FHIR server could not give what was asked (unreachable, error, slow, malformed)."""


class FhirBudgetSpentError(FhirReadError):
    """The time budget of the hook call ran out before the FHIR server answered."""


@dataclass(frozen=True)
class FhirLimits:
    """How long and how far one hook call may read from the FHIR server."""

    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0
    max_pages: int = 10
    time_budget_s: float = 8.0


@dataclass(frozen=True)
class FhirServerPolicy:
    """Which ``fhirServer`` URLs the service may call back."""

    allow_http: bool = False
    allowlist: tuple[str, ...] = ()

    def refusal(self, base_url: str) -> str | None:
        """Why ``base_url`` may not be called, or None when it may."""
        scheme = urlsplit(base_url).scheme.lower()
        allowed_schemes = {"https", "http"} if self.allow_http else {"https"}
        if scheme not in allowed_schemes or not urlsplit(base_url).hostname:
            return "must be an https URL" if not self.allow_http else "must be an http(s) URL"
        allowed = {_normalise(url) for url in self.allowlist}
        if allowed and _normalise(base_url) not in allowed:
            return "is not on the list of FHIR servers this service may call"
        return None


def _normalise(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass
class FhirClient:
    """Reads resources and searches from one FHIR server for one hook call."""

    base_url: str
    access_token: str | None = field(default=None, repr=False)
    limits: FhirLimits = field(default_factory=FhirLimits)
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    monotonic: Callable[[], float] = time.monotonic
    # What was left unread, in words without patient data (e.g. "the Observation search
    # was stopped after 10 pages"); the caller tells the clinician the data is incomplete.
    shortfalls: list[str] = field(default_factory=list, init=False)
    _deadline: float | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        quiet_transport_debug_log()

    def read(self, query: str) -> dict[str, Any]:
        """``GET {base}/{query}`` for a single resource such as ``Patient/123``."""
        return self._get(self._url(query))

    def search(self, query: str) -> list[dict[str, Any]]:
        """The resources of a search, following ``next`` links within the page bound.

        Pages past the bound, or past the time budget once a first page came, are left
        unread and noted in :attr:`shortfalls`.
        """
        resources: list[dict[str, Any]] = []
        for page in self._pages(self._url(query), query.partition("?")[0]):
            resources.extend(
                entry["resource"]
                for entry in page.get("entry") or []
                if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
            )
        return resources

    def _pages(self, url: str, resource_type: str) -> Iterator[dict[str, Any]]:
        next_url: str | None = url
        for number in range(self.limits.max_pages):
            if next_url is None:
                return
            try:
                page = self._get(next_url)
            except FhirBudgetSpentError:
                if number == 0:
                    raise
                self.shortfalls.append(f"the {resource_type} search ran out of time")
                return
            if page.get("resourceType") != "Bundle":
                raise FhirReadError("a search did not return a Bundle")
            yield page
            next_url = self._next_link(page)
        if next_url is not None:
            _log.warning("FHIR search stopped after %d pages", self.limits.max_pages)
            self.shortfalls.append(
                f"the {resource_type} search was stopped after {self.limits.max_pages} pages"
            )

    def _next_link(self, page: dict[str, Any]) -> str | None:
        links = page.get("link") or []
        url = next(
            (
                link.get("url")
                for link in links
                if isinstance(link, dict) and link.get("relation") == "next"
            ),
            None,
        )
        if url is None:
            return None
        if not isinstance(url, str) or _origin(url) != _origin(self.base_url):
            # The token must not leave the server the EHR named.
            raise FhirReadError("a next link points away from fhirServer")
        return url

    def _url(self, query: str) -> str:
        return f"{self.base_url.rstrip('/')}/{query.lstrip('/')}"

    def _get(self, url: str) -> dict[str, Any]:
        remaining = self._remaining()
        timeout = (
            min(self.limits.connect_timeout_s, remaining),
            min(self.limits.read_timeout_s, remaining),
        )
        try:
            response = self.session.get(
                url, headers=self._headers(), timeout=timeout, allow_redirects=False
            )
        except requests.Timeout as exc:
            # A wait the budget had shortened means the budget ran out, not the server.
            limit = timeout[0] if isinstance(exc, requests.ConnectTimeout) else timeout[1]
            if limit == remaining:
                raise FhirBudgetSpentError("the time budget ran out while waiting") from None
            raise FhirReadError(type(exc).__name__) from None
        except requests.RequestException as exc:
            # Only the exception's class: its text carries the URL, which names the patient.
            raise FhirReadError(type(exc).__name__) from None
        if response.status_code != 200:
            raise FhirReadError(f"HTTP {response.status_code}")
        try:
            # Not response.json(): a deeply nested body would blow the recursion limit.
            body = from_json(response.content, allow_inf_nan=False)
        except ValueError:
            raise FhirReadError("the response is not JSON") from None
        if not isinstance(body, dict):
            raise FhirReadError("the response is not a FHIR resource")
        return body

    def _remaining(self) -> float:
        now = self.monotonic()
        if self._deadline is None:
            self._deadline = now + self.limits.time_budget_s
        remaining = self._deadline - now
        if remaining <= 0:
            raise FhirBudgetSpentError("time budget for reading the FHIR server is spent")
        return remaining

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": _ACCEPT}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers
