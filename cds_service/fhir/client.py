"""Reads from the EHR's FHIR server when prefetch did not bring the data (contract section 2).

Bounded on every axis: connect and read timeouts per call, a number of search pages, a
size per response and per hook call, and a wall-clock deadline per hook call that covers
reads however slowly the server sends (:mod:`cds_service.fhir.guard`). The bearer token is
sent only to the server the EHR named (``Bundle.link[next]`` must stay under its base URL)
and is never logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from pydantic_core import from_json

from cds_service.fhir.guard import CallGuard, GuardedAdapter, guarding, host_refused

__all__ = [
    "FHIR_SERVER_REFUSAL",
    "LOCAL_ADDRESS_REFUSAL",
    "FhirBudgetSpentError",
    "FhirClient",
    "FhirLimits",
    "FhirReadError",
    "FhirServerPolicy",
    "FhirServerRefusedError",
    "FhirUnreadableError",
    "failed_outcome",
    "quiet_transport_debug_log",
]

_log = logging.getLogger(__name__)
_ACCEPT = "application/fhir+json"
_CHUNK_BYTES = 64 * 1024
# Searches ask the server to refuse a parameter it does not support rather than ignore it
# (FHIR R4 3.1.1.4.3): a server that ignored `patient=` would answer about everyone.
_STRICT = {"Prefer": "handling=strict"}
# Every refusal starts alike and says which setting would allow the server, if any does.
# What it tells the caller is about the URL the caller sent, or (for an address found by a
# lookup) no more than the 400 itself already shows.
FHIR_SERVER_REFUSAL = "is not a FHIR server this service may call"
_MALFORMED = (
    f"{FHIR_SERVER_REFUSAL}: it must be an https base URL without user, query or fragment "
    "(no setting allows those)"
)
_PLAIN_HTTP = (
    f"{FHIR_SERVER_REFUSAL}: it is plain http; GLUTEAL_CDS_ALLOW_HTTP_FHIR=1 allows http "
    "(local testing only)"
)
_NOT_LISTED = (
    f"{FHIR_SERVER_REFUSAL}: it is not on GLUTEAL_CDS_FHIR_ALLOWLIST; add its base URL there "
    "to allow it"
)
_NOT_ISSUERS = (
    f"{FHIR_SERVER_REFUSAL}: it is not one of the fhirServers of the calling EHR's entry in "
    "GLUTEAL_CDS_TRUSTED_ISSUERS; add it there to allow it"
)
LOCAL_ADDRESS_REFUSAL = (
    f"{FHIR_SERVER_REFUSAL}: it is on a local or private address; add its base URL to "
    "GLUTEAL_CDS_FHIR_ALLOWLIST to allow it (or GLUTEAL_CDS_ALLOW_HTTP_FHIR=1, local "
    "testing only)"
)
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


class FhirUnreadableError(FhirReadError):
    """The server answered, but its data cannot be used: too large, or a failed search."""


class FhirServerRefusedError(FhirReadError):
    """The server's host resolved to an address the service may not call."""


@dataclass(frozen=True)
class FhirLimits:
    """How long and how far one hook call may read from the FHIR server."""

    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0
    max_pages: int = 10
    time_budget_s: float = 8.0
    max_response_bytes: int = 20 * 1024 * 1024
    max_call_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class FhirServerPolicy:
    """Which ``fhirServer`` URLs the service may call back (contract section 6)."""

    allow_http: bool = False  # local testing: plain http and local addresses too
    allowlist: tuple[str, ...] = ()
    # issuer -> the FHIR base URLs its calls may name; issuers not listed are not bound.
    issuer_servers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def refusal(self, base_url: str, issuer: str | None = None) -> str | None:
        """Why ``base_url`` may not be called by ``issuer``'s call, or None when it may.

        The reason names the setting that would allow the server (contract section 2).
        """
        try:
            parts = urlsplit(base_url)
            host = parts.hostname
        except ValueError:
            return _MALFORMED
        if not host or parts.query or parts.fragment or "?" in base_url or "@" in parts.netloc:
            return _MALFORMED
        if parts.scheme.lower() not in ({"https", "http"} if self.allow_http else {"https"}):
            return _PLAIN_HTTP if parts.scheme.lower() == "http" else _MALFORMED
        return self._listing_refusal(base_url, host, issuer)

    def _listing_refusal(self, base_url: str, host: str, issuer: str | None) -> str | None:
        """Why a well-formed ``base_url`` is not one the operator allows, or None."""
        if self.allowlist and _normalise(base_url) not in {_normalise(u) for u in self.allowlist}:
            return _NOT_LISTED
        bound = self.issuer_servers.get(issuer or "")
        if bound is not None and _normalise(base_url) not in {_normalise(u) for u in bound}:
            return _NOT_ISSUERS
        if not self.allow_http and host not in self.permitted_hosts() and host_refused(host):
            return LOCAL_ADDRESS_REFUSAL
        return None

    def permitted_hosts(self) -> frozenset[str]:
        """Hosts named by the operator (allow-list, issuers' servers): any address is fine."""
        urls = [*self.allowlist, *(url for urls in self.issuer_servers.values() for url in urls)]
        return frozenset(host for url in urls if (host := _host(url)))

    def guard(self, monotonic: Callable[[], float] = time.monotonic) -> CallGuard:
        """The connection guard of one hook call under this policy."""
        return CallGuard(
            check_addresses=not self.allow_http,
            permitted_hosts=self.permitted_hosts(),
            monotonic=monotonic,
        )


def _host(url: str) -> str | None:
    try:
        return urlsplit(url.strip()).hostname
    except ValueError:
        return None


def _normalise(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _under(url: str, base_url: str) -> bool:
    """True when ``url`` is ``base_url`` or below it, with no user part or dot segments."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if "@" in parts.netloc or any(seg in {".", ".."} for seg in parts.path.split("/")):
        return False
    base = _normalise(base_url)
    here = _normalise(f"{parts.scheme}://{parts.netloc}{parts.path}")
    return here == base or here.startswith(base + "/")


@dataclass
class FhirClient:
    """Reads resources and searches from one FHIR server for one hook call."""

    base_url: str
    access_token: str | None = field(default=None, repr=False)
    limits: FhirLimits = field(default_factory=FhirLimits)
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    monotonic: Callable[[], float] = time.monotonic
    policy: FhirServerPolicy = field(default_factory=FhirServerPolicy)
    # The hook call's deadline (on ``monotonic``), when another client of the same call has
    # already spent part of its budget: one budget per call, however many clients read
    # (review 10c: the search and the note texts each took a whole budget). Else the budget
    # starts at this client's first read.
    deadline: float | None = field(default=None, repr=False)
    # What was left unread, in words without patient data (e.g. "the Observation search
    # was stopped after 10 pages"); the caller tells the clinician the data is incomplete.
    shortfalls: list[str] = field(default_factory=list, init=False)
    _deadline: float | None = field(default=None, init=False, repr=False)
    _bytes_read: int = field(default=0, init=False, repr=False)
    _guard: CallGuard = field(init=False, repr=False)

    def __post_init__(self) -> None:
        quiet_transport_debug_log()
        self._guard = self.policy.guard(self.monotonic)
        if self.deadline is not None:
            self._deadline = self.deadline
            self._guard.deadline = self.deadline
        adapter = GuardedAdapter()
        for prefix in ("https://", "http://"):
            self.session.mount(prefix, adapter)

    def close(self) -> None:
        """Stop watching the deadline (the hook call is done with the server)."""
        self._guard.close()

    def read(self, query: str) -> dict[str, Any]:
        """``GET {base}/{query}`` for a single resource such as ``Patient/123``."""
        return self._get(self._url(query))

    def search(self, query: str) -> list[dict[str, Any]]:
        """The resources of a search, following ``next`` links within the page bound.

        Pages past the bound, or past the time budget once a first page came, are left
        unread and noted in :attr:`shortfalls`.
        """
        return self._resources(self._url(query), query.partition("?")[0])

    def _resources(self, url: str, resource_type: str) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = []
        for page in self._pages(url, resource_type):
            resources.extend(
                entry["resource"]
                for entry in page.get("entry") or []
                if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
            )
        return resources

    def search_from(self, url: str, resource_type: str) -> list[dict[str, Any]]:
        """The resources of a search from its page at ``url`` on (a prefetch's ``next``
        link), as :meth:`search` reads them; a ``url`` away from the server is refused."""
        if not _under(url, self.base_url):
            # The token must not leave the server, nor the base URL, the EHR named.
            raise FhirReadError("a next link points away from fhirServer")
        return self._resources(url, resource_type)

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
            _check_search_outcome(page)
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
        if not isinstance(url, str) or not _under(url, self.base_url):
            # The token must not leave the server, nor the base URL, the EHR named.
            raise FhirReadError("a next link points away from fhirServer")
        return url

    def _url(self, query: str) -> str:
        return f"{self.base_url.rstrip('/')}/{query.lstrip('/')}"

    def attachment(self, url: str) -> bytes:
        """An attachment's bytes from ``url``, on this server only, with the same token,
        limits and address guard; a relative ``url`` is read against the base URL."""
        full = url if "://" in url else self._url(url)
        if not _under(full, self.base_url):
            # The token must not leave the server the EHR named.
            raise FhirReadError("an attachment points away from fhirServer")
        return self._raw(full)

    def _get(self, url: str) -> dict[str, Any]:
        return _parsed(self._raw(url))

    def _raw(self, url: str) -> bytes:
        remaining = self._remaining()
        timeout = (
            min(self.limits.connect_timeout_s, remaining),
            min(self.limits.read_timeout_s, remaining),
        )
        try:
            with guarding(self._guard):
                content = self._fetch(url, timeout)
        except requests.Timeout as exc:
            # A wait the budget had shortened means the budget ran out, not the server.
            limit = timeout[0] if isinstance(exc, requests.ConnectTimeout) else timeout[1]
            if limit == remaining or self._spent():
                raise FhirBudgetSpentError("the time budget ran out while waiting") from None
            raise FhirReadError(type(exc).__name__) from None
        except requests.RequestException as exc:
            if self._guard.refused:
                raise FhirServerRefusedError("the server's address is refused") from None
            if self._spent():  # the deadline shut the connection down mid-read
                raise FhirBudgetSpentError("the time budget ran out while reading") from None
            # Only the exception's class: its text carries the URL, which names the patient.
            raise FhirReadError(type(exc).__name__) from None
        return content

    def _fetch(self, url: str, timeout: tuple[float, float]) -> bytes:
        headers = self._headers()
        if "?" in url:  # a search (first page or next link), never a read
            headers.update(_STRICT)
        response = self.session.get(
            url, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        )
        with response:
            if response.status_code != 200:
                raise FhirReadError(f"HTTP {response.status_code}")
            if response.headers.get("Content-Encoding", "identity").lower() != "identity":
                raise FhirUnreadableError("the answer came compressed, though asked not to")
            return self._body(response)

    def _body(self, response: requests.Response) -> bytes:
        """The body, read in chunks and cut off past the per-response or per-call size."""
        limit = min(self.limits.max_response_bytes, self.limits.max_call_bytes - self._bytes_read)
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FhirUnreadableError("the answer is larger than the service reads")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK_BYTES):
            size += len(chunk)
            self._bytes_read += len(chunk)
            if size > limit:
                raise FhirUnreadableError("the answer is larger than the service reads")
            chunks.append(chunk)
        return b"".join(chunks)

    def _spent(self) -> bool:
        return self._deadline is not None and self.monotonic() >= self._deadline

    def _remaining(self) -> float:
        now = self.monotonic()
        if self._deadline is None:
            self._deadline = now + self.limits.time_budget_s
            self._guard.deadline = self._deadline
        remaining = self._deadline - now
        if remaining <= 0:
            raise FhirBudgetSpentError("time budget for reading the FHIR server is spent")
        return remaining

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": _ACCEPT, "Accept-Encoding": "identity"}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        return headers


def _parsed(content: bytes) -> dict[str, Any]:
    try:
        # Not response.json(): a deeply nested body would blow the recursion limit.
        body = from_json(content, allow_inf_nan=False)
    except ValueError:
        raise FhirReadError("the response is not JSON") from None
    if not isinstance(body, dict):
        raise FhirReadError("the response is not a FHIR resource")
    return body


def _check_search_outcome(page: dict[str, Any]) -> None:
    """A search Bundle carrying an error OperationOutcome is a failed search, not "nothing"."""
    for entry in page.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if failed_outcome(resource):
            raise FhirUnreadableError("the server reported the search failed")


def failed_outcome(resource: object) -> bool:
    """True for an OperationOutcome with an issue of severity error or fatal."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "OperationOutcome":
        return False
    issues = resource.get("issue")
    return isinstance(issues, list) and any(
        isinstance(issue, dict) and issue.get("severity") in {"error", "fatal"} for issue in issues
    )
