"""Clinical notes whose text is at a ``url``: read from ``fhirServer`` only (contract 3a).

The same token, SSRF guard, size cap and time budget as every other FHIR read of the call;
a ``url`` on another host or outside the server's base is never followed (the token would
leave). Only this patient's current notes, the 20 newest, with a readable content type are
fetched. A Binary resource answered as JSON is unwrapped. What could not be read is a
shortfall in words without patient data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import requests

from cds_service.fhir.client import (
    FhirBudgetSpentError,
    FhirClient,
    FhirLimits,
    FhirReadError,
    FhirServerPolicy,
)
from fhir_mappings.notes import attachment_urls, inline_data

__all__ = ["read_note_attachments"]

Resource = dict[str, Any]


def read_note_attachments(
    notes: Sequence[Resource],
    *,
    patient_id: str,
    fhir_server: str | None,
    access_token: str | None,
    may_fetch: bool,
    limits: FhirLimits,
    policy: FhirServerPolicy,
    session_factory: Callable[[], requests.Session],
    evaluated_at: datetime | None = None,
    issuer: str | None = None,
    deadline: float | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """The bytes of each attachment ``url`` read (url -> bytes), and the shortfalls. The
    server must be one ``issuer`` (the authenticated caller) may name: its token never goes
    to a ``fhirServer`` outside the caller's listed servers (review 10c)."""
    # The notes read_notes will choose: none dated beyond the evaluation time is fetched.
    urls = attachment_urls(notes, patient_id, fhir_server, evaluated_at)
    if not urls:
        return {}, []
    if fhir_server is None or not may_fetch or policy.refusal(fhir_server, issuer) is not None:
        return {}, [f"{len(urls)} clinical note(s) could not be read (text held on fhirServer)"]
    fetched: dict[str, bytes] = {}
    unread = 0
    with session_factory() as session:
        client = FhirClient(
            fhir_server,
            access_token,
            limits=limits,
            session=session,
            policy=policy,
            deadline=deadline,
        )
        try:
            for url in urls:
                try:
                    fetched[url] = _unwrapped(client.attachment(url))
                except FhirBudgetSpentError:
                    unread += len(urls) - len(fetched) - unread
                    break
                except FhirReadError:
                    unread += 1
        finally:
            client.close()
    shortfall = [f"{unread} clinical note(s) could not be read from fhirServer"] if unread else []
    return fetched, shortfall


def _unwrapped(content: bytes) -> bytes:
    """A Binary resource's data when the server answered FHIR JSON, else the bytes as sent."""
    if not content.lstrip().startswith(b"{"):
        return content
    try:
        resource = json.loads(content)
    except ValueError:
        return content
    data = resource.get("data") if isinstance(resource, dict) else None
    if resource.get("resourceType") != "Binary" or not isinstance(data, str):
        return content
    # The same decoding as an inline attachment's (whitespace allowed, size capped).
    return inline_data(data) or b""
