"""A DocumentReference to the note it carries: who it is about, when, and its text.

Contract sections 2 and 3a: only this patient's notes (subject ``Patient/<id>``, absolute on
``fhirServer`` or versioned); status current; ``docStatus`` entered-in-error skipped; dated by
``context.period.start``, else ``date``, else the attachment's ``creation`` (never
``meta.lastUpdated``). The text is the first readable attachment, inline or already fetched
from its ``url`` by the caller.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from fhir_mappings._resources import RawResource, instant, resource_id
from fhir_mappings.future import beyond
from fhir_mappings.notes._text import READABLE, attachment_text, inline_data, media_type
from fhir_mappings.record import DataProblem
from fhir_mappings.subject import PatientContext, subject_problem

__all__ = ["NoteDocument", "about_patient", "note_document", "note_time"]

_TYPE = "DocumentReference"


@dataclass(frozen=True)
class NoteDocument:
    """A readable note: its reference, time (None: undated), cache key and text."""

    reference: str  # "DocumentReference/<id>"
    when: datetime | None
    key: str  # the hash of the note's bytes: a note read once is not read again
    text: str


def about_patient(raw: RawResource, patient_id: str, fhir_server: str | None = None) -> bool:
    """Whether the note's subject (or patient) is ``Patient/<patient_id>`` (contract 2)."""
    return (
        subject_problem(raw, "DocumentReference", PatientContext(patient_id, fhir_server)) is None
    )


def counts(raw: RawResource) -> bool:
    """Status current (or not given) and not entered in error."""
    return raw.get("status", "current") == "current" and raw.get("docStatus") != "entered-in-error"


def _instant(value: object) -> datetime | None:
    """A raw FHIR dateTime / instant string (the note is not validated), else a partial date."""
    if isinstance(value, str) and "T" in value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return instant(value)


def note_time(raw: RawResource, now: datetime | None = None) -> datetime | None:
    """The clinical time of the note; ``meta.lastUpdated`` moves on any edit and is not it.
    With ``now``, a date beyond it (a planned stay's period, a mistyped year) gives way to
    the note's next date; None when every date is beyond it."""
    context = raw.get("context")
    period = context.get("period") if isinstance(context, dict) else None
    candidates = [_instant(period.get("start")) if isinstance(period, dict) else None]
    candidates.append(_instant(raw.get("date")))
    candidates += [_instant(a.get("creation")) for a in _attachments(raw)]
    dated = [c for c in candidates if c is not None]
    return next((c for c in dated if not beyond(c, now)), None)


def note_document(
    raw: RawResource, fetched: Mapping[str, bytes], now: datetime | None = None
) -> NoteDocument | DataProblem:
    """The note's text, or a problem saying why it could not be read (no patient data)."""
    ident = resource_id(raw) or ""
    problem = "no readable attachment"
    for attachment in _attachments(raw):
        data = _data(attachment, fetched)
        if data is None:
            continue
        decoded = attachment_text(attachment.get("contentType"), data)
        if decoded.text is None:
            problem = decoded.problem or problem
            continue
        return NoteDocument(f"{_TYPE}/{ident}", note_time(raw, now), _key(data), decoded.text)
    return DataProblem(_TYPE, ident or None, problem)


def _attachments(raw: RawResource) -> list[RawResource]:
    content = raw.get("content")
    if not isinstance(content, list):
        return []
    found = [item.get("attachment") for item in content if isinstance(item, dict)]
    return [attachment for attachment in found if isinstance(attachment, dict)]


def _data(attachment: RawResource, fetched: Mapping[str, bytes]) -> bytes | None:
    if "data" in attachment:
        return inline_data(attachment["data"])
    url = attachment.get("url")
    return fetched.get(url) if isinstance(url, str) else None


def _key(data: bytes) -> str:
    """The note's words decide what it says: keyed by their hash, never by id and version
    alone (two EHRs can both hold DocumentReference/1 version 1, for two patients)."""
    return hashlib.sha256(data).hexdigest()


def text_url(raw: RawResource) -> str | None:
    """The ``url`` of the note's first readable attachment, when its text is not inline."""
    for attachment in _attachments(raw):
        if media_type(attachment.get("contentType")) not in READABLE:
            continue
        if "data" in attachment:
            return None
        url = attachment.get("url")
        if isinstance(url, str):
            return url
    return None
