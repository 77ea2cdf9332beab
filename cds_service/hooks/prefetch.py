"""Gathers the patient's data for a hook call: from prefetch, else from the FHIR server.

Contract section 2: a prefetch key that came is used; a key whose value is ``null`` means
"no data" and is not fetched; an absent key is read from ``fhirServer``. Data that is needed
and cannot be had either way is a :class:`FhirDataUnavailableError` (HTTP 412).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import requests

from cds_service.errors import FhirDataUnavailableError, InvalidRequestError
from cds_service.fhir.client import (
    LOCAL_ADDRESS_REFUSAL,
    FhirBudgetSpentError,
    FhirClient,
    FhirLimits,
    FhirReadError,
    FhirServerPolicy,
    FhirServerRefusedError,
    FhirUnreadableError,
    failed_outcome,
)
from cds_service.hooks.note_attachments import read_note_attachments
from cds_service.hooks.prefetch_templates import OPTIONAL_PREFETCH_KEYS, PREFETCH_TEMPLATES
from cds_service.hooks.request import HookRequest

__all__ = ["FhirFallback", "PatientData", "gather_patient_data"]

_log = logging.getLogger(__name__)

Resource = dict[str, Any]
_SEARCH_KEYS = ("observations", "conditions", "questionnaireResponses", "notes")
# Without observations there are no findings: running out of time before any came is a 412.
_NEEDED_KEYS = ("observations",)
_RESOURCE_TYPE = {
    "patient": "Patient",
    "observations": "Bundle",
    "conditions": "Bundle",
    "questionnaireResponses": "Bundle",
    "notes": "Bundle",
}
_RESOURCE_NAME = {
    "patient": "the Patient",
    "observations": "Observations",
    "conditions": "Conditions",
    "questionnaireResponses": "Questionnaire answers",
    "notes": "clinical notes",
}
# What one key yields: the Patient, a search's resources, or None for "no data".
_Found = Resource | list[Resource] | None


@dataclass(frozen=True)
class PatientData:
    """The resources the differential is computed from."""

    patient: Resource | None
    observations: tuple[Resource, ...]
    conditions: tuple[Resource, ...]
    # What the FHIR fallback left unread, in words without patient data.
    shortfalls: tuple[str, ...] = ()
    # Answers to our bedside Questionnaire (contract section 3), when any came.
    questionnaire_responses: tuple[Resource, ...] = ()
    # Clinical notes (DocumentReference, contract section 3a), and the attachments read
    # from their `url` on fhirServer (url -> bytes); read only for `patient_id`.
    notes: tuple[Resource, ...] = ()
    note_attachments: Mapping[str, bytes] = field(default_factory=dict)
    # Whom the data must be about (context.patientId) and where absolute references point;
    # resources about anyone else are left out when mapped (contract section 2).
    patient_id: str | None = None
    fhir_server: str | None = None


@dataclass(frozen=True)
class FhirFallback:
    """How a call may read what prefetch lacks: server policy, limits, HTTP sessions."""

    policy: FhirServerPolicy
    limits: FhirLimits
    max_entries: int  # per search, prefetch included
    session_factory: Callable[[], requests.Session] = requests.Session
    # The authenticated caller, whose `fhirServers` (if listed) bind the `fhirServer` named.
    issuer: str | None = None


def gather_patient_data(
    request: HookRequest, fallback: FhirFallback, evaluated_at: datetime | None = None
) -> PatientData:
    """The patient's resources for ``request``, fetching what prefetch lacks as ``fallback``
    allows (its issuer's ``fhirServers``, if listed, bind the ``fhirServer`` named); no
    note dated beyond ``evaluated_at`` has its text fetched."""
    found = _from_prefetch(request.prefetch or {}, fallback.max_entries)
    # One time budget for every FHIR read of the call: searches, pages and note texts.
    deadline = time.monotonic() + fallback.limits.time_budget_s
    shortfalls = _complete(request, fallback, found, deadline)
    notes = _searched(found, "notes")
    attachments, unread_notes = read_note_attachments(
        notes,
        patient_id=request.patient_id,
        fhir_server=request.fhirServer,
        access_token=request.access_token,
        may_fetch=_may_fetch(request, fallback.policy),
        limits=fallback.limits,
        policy=fallback.policy,
        session_factory=fallback.session_factory,
        evaluated_at=evaluated_at,
        issuer=fallback.issuer,
        deadline=deadline,
    )
    patient = found["patient"]
    return PatientData(
        patient=patient if isinstance(patient, dict) else None,
        observations=_searched(found, "observations"),
        conditions=_searched(found, "conditions"),
        shortfalls=(*shortfalls, *unread_notes),
        questionnaire_responses=_searched(found, "questionnaireResponses"),
        notes=notes,
        note_attachments=attachments,
        patient_id=request.patient_id,
        fhir_server=request.fhirServer,
    )


def _complete(
    request: HookRequest, fallback: FhirFallback, found: dict[str, _Found], deadline: float
) -> list[str]:
    """Fetch into ``found`` the keys the prefetch lacks and the pages it cut short, as
    ``fallback`` allows; the notes of what could not be read."""
    missing = [key for key in PREFETCH_TEMPLATES if key not in found]
    shortfalls = _optional_unfetched(request, fallback, missing, found)
    paged = _next_links(request.prefetch or {}, found)
    followed = paged if _may_follow(request, fallback) else {}
    shortfalls += [_unsent_note(key) for key in paged if key not in followed]
    if not missing and not followed:
        return shortfalls
    with fallback.session_factory() as session:
        client = _client(request, fallback, session, missing or list(followed), deadline)
        try:
            late = _fetch_missing(client, request.patient_id, missing, found)
            late += _follow_pages(client, followed, found)
        finally:
            client.close()
        shortfalls += [*client.shortfalls, *late]
    # What we fetched ourselves is cut to the limit and said so, not refused.
    return shortfalls + [
        note
        for key in [*missing, *followed]
        if (note := _truncate(found, key, fallback.max_entries))
    ]


def _optional_unfetched(
    request: HookRequest, fallback: FhirFallback, missing: list[str], found: dict[str, _Found]
) -> list[str]:
    """Mark as no data the optional keys that lack and cannot be fetched (contract section
    2: never a reason to refuse the call); the notes of what the card should say."""
    optional = [key for key in missing if key in OPTIONAL_PREFETCH_KEYS]
    if not optional:
        return []
    refusal = None
    if request.fhirServer is not None and request.access_token is not None:
        if len(optional) < len(missing):
            return []  # a needed key is fetched, or the server refused with a 400, all alike
        refusal = fallback.policy.refusal(request.fhirServer, fallback.issuer)
        if refusal is None:
            return []  # the server may be called: fetch them
        # Counts and the setting only (no patient data): why the card says data is missing.
        _log.warning("optional prefetch keys not fetched: fhirServer %s", refusal)
    failed = _reported_failed(request.prefetch or {})
    for key in optional:
        found[key] = None
        missing.remove(key)
    notes = [_failed_note(key) for key in optional if key in failed]
    unsent = [_RESOURCE_NAME[key] for key in optional if key not in failed]
    if refusal is not None and unsent:
        notes.append(
            f"{' and '.join(unsent)} were not sent and could not be fetched (the service may "
            "not call this fhirServer)"
        )
    return notes


def _failed_note(key: str) -> str:
    return f"{_RESOURCE_NAME[key]} could not be read (the EHR's search for them reported an error)"


def _reported_failed(prefetch: Mapping[str, Resource | None]) -> set[str]:
    """The keys the EHR sent as a failure: an OperationOutcome, or a search Bundle holding
    one of severity error or fatal (contract section 2: unreadable, not "no findings")."""
    return {
        key
        for key, value in prefetch.items()
        if isinstance(value, dict)
        and (value.get("resourceType") == "OperationOutcome" or _search_failed(value))
    }


def _fetch_missing(
    client: FhirClient, patient_id: str, missing: list[str], found: dict[str, _Found]
) -> list[str]:
    """Fetch each missing key into ``found``; the notes for keys the time budget left unread."""
    late: list[str] = []
    unreadable: list[str] = []
    for key in missing:
        try:
            found[key] = _fetch(client, key, patient_id)
        except FhirBudgetSpentError:
            found[key] = None
            late.append(key)
        except FhirUnreadableError:
            found[key] = None
            unreadable.append(key)
    if needed := [key for key in late if key in _NEEDED_KEYS]:
        raise FhirDataUnavailableError(
            f"prefetch lacks {', '.join(needed)} and fhirServer did not provide it within "
            "the time budget"
        )
    if needed := [key for key in unreadable if key in _NEEDED_KEYS]:
        raise FhirDataUnavailableError(
            f"prefetch lacks {', '.join(needed)} and what fhirServer answered could not be "
            "read (too large, or the search failed)"
        )
    return [f"{_RESOURCE_NAME[key]} could not be read in time" for key in late] + [
        f"{_RESOURCE_NAME[key]} could not be read (the FHIR server's answer was too large or "
        "reported an error)"
        for key in unreadable
    ]


def _searched(found: Mapping[str, _Found], key: str) -> tuple[Resource, ...]:
    resources = found[key]
    return tuple(resources) if isinstance(resources, list) else ()


def _truncate(found: dict[str, _Found], key: str, max_entries: int) -> str | None:
    """Keep the first ``max_entries`` fetched resources; a note when some were dropped."""
    resources = found.get(key)
    if not isinstance(resources, list) or len(resources) <= max_entries:
        return None
    found[key] = resources[:max_entries]
    return f"only the first {max_entries} {_RESOURCE_NAME[key]} from the FHIR server were read"


def check_fhir_server(
    request: HookRequest, policy: FhirServerPolicy, issuer: str | None = None
) -> None:
    """Refuse a ``fhirServer`` the service may not call, before any connection (section 6).

    Called only when something must be fetched: with a complete prefetch, a plain-http or
    unlisted ``fhirServer`` is no error (contract section 2).
    """
    if request.fhirServer is not None and (refusal := policy.refusal(request.fhirServer, issuer)):
        raise InvalidRequestError("fhirServer", refusal)


def _may_fetch(request: HookRequest, policy: FhirServerPolicy) -> bool:
    # CDS Hooks 2.0: every FHIR call carries the EHR's access token; an open server is
    # read only for local testing.
    return request.access_token is not None or policy.allow_http


def _from_prefetch(prefetch: Mapping[str, Resource | None], max_entries: int) -> dict[str, _Found]:
    found: dict[str, _Found] = {}
    for key in PREFETCH_TEMPLATES:
        if key not in prefetch:
            continue
        value = prefetch[key]
        if value is not None and value.get("resourceType") == "OperationOutcome":
            continue  # CDS Hooks 2.0: the client tried and failed; the service may fetch it
        if value is not None and _search_failed(value):
            continue  # a search Bundle reporting an error: unreadable, fetch it if we can
        found[key] = _checked(value, key, max_entries)
    return found


def _next_links(
    prefetch: Mapping[str, Resource | None], found: Mapping[str, _Found]
) -> dict[str, str]:
    """The prefetched searches the EHR sent only a first page of: key -> ``next`` link."""
    links = {key: _next_link(prefetch.get(key)) for key in _SEARCH_KEYS if key in found}
    return {key: url for key, url in links.items() if url is not None}


def _next_link(value: Resource | None) -> str | None:
    links = value.get("link") if isinstance(value, dict) else None
    urls = [
        link.get("url")
        for link in (links if isinstance(links, list) else [])
        if isinstance(link, dict) and link.get("relation") == "next"
    ]
    return next((url for url in urls if isinstance(url, str)), None)


def _may_follow(request: HookRequest, fallback: FhirFallback) -> bool:
    """Whether the other pages of a prefetch may be read: the EHR's token and a server the
    service may call (with a complete prefetch, a server it may not call is no error)."""
    return (
        request.fhirServer is not None
        and request.access_token is not None
        and fallback.policy.refusal(request.fhirServer, fallback.issuer) is None
    )


def _follow_pages(
    client: FhirClient, links: Mapping[str, str], found: dict[str, _Found]
) -> list[str]:
    """Read the other pages of prefetched searches into ``found``; notes for those unread."""
    unread: list[str] = []
    for key, url in links.items():
        try:
            more = client.search_from(url, _RESOURCE_NAME[key])
        except FhirReadError:  # away from fhirServer, too slow, too large, failed
            unread.append(_unsent_note(key))
            continue
        resources = found.get(key)
        found[key] = [*(resources if isinstance(resources, list) else []), *more]
    return unread


def _unsent_note(key: str) -> str:
    """What the card says when only the first page of a prefetched search could be read."""
    return (
        f"only the first page of the prefetched {_RESOURCE_NAME[key]} was read (the EHR sent "
        "more pages)"
    )


def _checked(value: Resource | None, key: str, max_entries: int) -> _Found:
    if value is None:
        return None  # "no data" (contract section 2)
    expected = _RESOURCE_TYPE[key]
    kind = value.get("resourceType")
    if key == "patient" and kind == "Bundle":
        return value  # a search for the patient (Patient?_id=): the mapper reads its entry
    if kind != expected:
        raise InvalidRequestError(f"prefetch.{key}", f"must be a {expected} or null")
    return _bundle_resources(value, key, max_entries) if key in _SEARCH_KEYS else value


def _search_failed(value: Resource) -> bool:
    entries = value.get("entry") if value.get("resourceType") == "Bundle" else None
    if not isinstance(entries, list):
        return False
    for entry in entries:  # hundreds of observations: a plain loop, outcomes checked alone
        resource = entry.get("resource") if isinstance(entry, dict) else None
        is_outcome = (
            isinstance(resource, dict) and resource.get("resourceType") == "OperationOutcome"
        )
        if is_outcome and failed_outcome(resource):
            return True
    return False


def _client(
    request: HookRequest,
    fallback: FhirFallback,
    session: requests.Session,
    missing: list[str],
    deadline: float | None = None,
) -> FhirClient:
    policy = fallback.policy
    lacking = _lacking(request, missing)
    if request.fhirServer is None:
        raise FhirDataUnavailableError(
            f"{lacking} and the request names no fhirServer to read them from"
        )
    if not _may_fetch(request, policy):
        raise FhirDataUnavailableError(
            f"{lacking} and the request gives no "
            "fhirAuthorization to read them with (every FHIR call needs the EHR's token; "
            "GLUTEAL_CDS_ALLOW_HTTP_FHIR=1 reads an open server, local testing only)"
        )
    check_fhir_server(request, policy, fallback.issuer)
    return FhirClient(
        request.fhirServer,
        request.access_token,
        limits=fallback.limits,
        session=session,
        policy=policy,
        deadline=deadline,
    )


def _lacking(request: HookRequest, missing: list[str]) -> str:
    """What the prefetch lacks, in a 412's words: absent keys, and searches that failed."""
    failed = _reported_failed(request.prefetch or {})
    absent = [key for key in missing if key not in failed]
    said = [f"prefetch lacks {', '.join(absent)}"] if absent else []
    if reported := [key for key in missing if key in failed]:
        said.append(f"the EHR's {', '.join(reported)} search reported an error (OperationOutcome)")
    return "; ".join(said)


def _fetch(client: FhirClient, key: str, patient_id: str) -> _Found:
    # Quoted whole: an id with "/", "?" or "&" must not change the query.
    query = PREFETCH_TEMPLATES[key].replace("{{context.patientId}}", quote(patient_id, safe=""))
    try:
        if key in _SEARCH_KEYS:
            return client.search(query)
        resource = client.read(query)
    except (FhirBudgetSpentError, FhirUnreadableError):
        raise  # the caller decides: a note, or 412 when the key was needed
    except FhirServerRefusedError:
        raise InvalidRequestError("fhirServer", LOCAL_ADDRESS_REFUSAL) from None
    except FhirReadError:
        if key in OPTIONAL_PREFETCH_KEYS:
            return None  # e.g. a server that does not support the search: no answers
        # One wording for every failure: the answer must not map the server's ports.
        raise FhirDataUnavailableError(
            f"prefetch lacks {key} and fhirServer could not provide it"
        ) from None
    if resource.get("resourceType") != _RESOURCE_TYPE[key]:
        if key in OPTIONAL_PREFETCH_KEYS:
            return None
        raise FhirDataUnavailableError(f"fhirServer returned no {_RESOURCE_TYPE[key]} for {key}")
    return resource


def _bundle_resources(bundle: Resource, key: str, max_entries: int) -> list[Resource]:
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise InvalidRequestError(f"prefetch.{key}.entry", "must be a list")
    if len(entries) > max_entries:  # the caller sent too much: its error
        raise InvalidRequestError(f"prefetch.{key}", f"more than {max_entries} entries")
    return [
        entry["resource"]
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
    ]
