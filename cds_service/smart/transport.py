"""The app's calls to the EHR's authorisation side: discovery and the token endpoint.

They go through the FHIR fallback's guarded transport (:mod:`cds_service.fhir.guard`): the
host is resolved once and every address checked against the service's address policy, the
socket is shut down when the call's deadline passes however slowly the peer sends, and the
answer is read in chunks and refused past a size cap. A slow or hostile peer costs one
worker thread for a few seconds and a few kilobytes at most.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from pydantic_core import from_json

from cds_service.fhir.client import FhirServerPolicy
from cds_service.fhir.guard import GuardedAdapter, guarding

__all__ = ["PeerError", "PeerLimits", "call_peer"]

_CHUNK_BYTES = 16 * 1024


class PeerError(Exception):
    """The peer could not be used: refused address, no answer in time, too large, not JSON.

    The message names the kind of failure only, never the URL or the answer.
    """


@dataclass(frozen=True)
class PeerLimits:
    """How long and how much one call to the EHR's authorisation side may take."""

    deadline_s: float = 5.0  # wall clock, connect to last byte
    max_bytes: int = 64 * 1024  # a smart-configuration or token answer is a few kB


def call_peer(
    method: str,
    url: str,
    *,
    policy: FhirServerPolicy,
    limits: PeerLimits,
    session_factory: Callable[[], requests.Session] = requests.Session,
    **kwargs: Any,
) -> tuple[int, dict[str, Any] | None]:
    """``method url`` through the guarded transport; the status and the JSON object answered.

    Raises :class:`PeerError` when the address is refused, the deadline passes, the answer
    is larger than ``limits.max_bytes`` or the peer cannot be reached. The body is None when
    it is not a JSON object.
    """
    if policy.refusal(url):
        raise PeerError("the address is not one this service may call")
    guard = policy.guard()
    guard.deadline = time.monotonic() + limits.deadline_s
    timeout = (min(2.0, limits.deadline_s), limits.deadline_s)
    try:
        with session_factory() as session, guarding(guard):
            adapter = GuardedAdapter()
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            response = session.request(
                method, url, timeout=timeout, allow_redirects=False, stream=True, **kwargs
            )
            with response:
                body = _body(response, limits.max_bytes)
    except requests.RequestException as exc:
        if guard.refused:
            raise PeerError("the address is not one this service may call") from None
        raise PeerError(f"no answer ({type(exc).__name__})") from None
    finally:
        guard.close()
    return response.status_code, _json_object(body)


def _body(response: requests.Response, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PeerError("the answer is larger than the app reads")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise PeerError("the answer is larger than the app reads")
        chunks.append(chunk)
    return b"".join(chunks)


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        parsed = from_json(body, allow_inf_nan=False)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None
