"""Clinical notes (DocumentReference) in hook calls, and reading the answers about them."""

from __future__ import annotations

import base64
from typing import Any

from cards import DIFFERENTIAL_EXTENSION
from tests.support.hook_requests import FHIR_BASE, PATIENT_ID, TOKEN, hook_request

__all__ = ["AUTH", "SCIATICA_NOTE", "details", "extension", "note", "with_server"]

SCIATICA_NOTE = (
    "5 weeks of R buttock pain radiating past the knee to the foot. Denies saddle numbness. "
    "No fever.\nExam: SLR positive at 40 degrees."
)


AUTH = {
    "access_token": TOKEN,
    "token_type": "Bearer",
    "expires_in": 300,
    "scope": "user/*.read",
    "subject": "gluteal-cds",
}


def note(
    text: str = SCIATICA_NOTE,
    *,
    note_id: str = "note-1",
    subject: str = f"Patient/{PATIENT_ID}",
    date: str | None = "2026-11-19T15:00:00Z",
    **extra: Any,
) -> dict[str, Any]:
    """A DocumentReference with ``text`` inline."""
    data = base64.b64encode(text.encode()).decode()
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": note_id,
        "status": "current",
        "subject": {"reference": subject},
        "content": [{"attachment": {"contentType": "text/plain", "data": data}}],
    }
    if date is not None:
        resource["date"] = date
    return resource | extra


def extension(answer: Any) -> dict[str, Any]:
    """The differential card's extension in a hook answer."""
    card = next(c for c in answer["cards"] if DIFFERENTIAL_EXTENSION in c.get("extension", {}))
    found: dict[str, Any] = card["extension"][DIFFERENTIAL_EXTENSION]
    return found


def details(answer: Any) -> str:
    """Every card's detail of a hook answer, one after another."""
    return "\n".join(card.get("detail", "") for card in answer["cards"])


def with_server(**overrides: Any) -> dict[str, Any]:
    """A patient-view call naming ``fhirServer`` and its token, as the fallback needs."""
    body = hook_request(fhirServer=FHIR_BASE, fhirAuthorization=AUTH)
    return body | overrides
