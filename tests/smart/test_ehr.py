"""The app's EHR: its write goes through the same guards as its reads (a host name that
resolves to a local address is refused before any connection, with the token unsent), and it
reads the patient's notes as the hooks do, text held at a url included."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import responses

from cds_service.fhir.client import FhirServerPolicy
from cds_service.hooks.pipeline import Evaluation, record_for
from cds_service.smart.ehr import Ehr, WriteRefusedError
from differential import load_knowledge_base
from tests.support.notes import note


def test_a_write_to_a_name_resolving_to_loopback_is_refused_unsent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connects: list[Any] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connects.append(address))
    ehr = Ehr("https://rebind.example.net/fhir", "the-token", policy=FhirServerPolicy())
    with pytest.raises(WriteRefusedError, match="could not be reached"):
        ehr.create({"resourceType": "QuestionnaireResponse", "status": "completed"})
    assert connects == []


def test_the_app_reads_a_note_held_at_a_url_on_the_ehr_with_its_token() -> None:
    # Contract 3a: a note's text at a `url` on the FHIR server is read with the token, as the
    # hooks do. Before, the bedside app skipped such notes, so its questions were not
    # pre-filled from them while the card (which reads them) was.
    base = "https://ehr.example.org/fhir"
    held = note(
        note_id="n1",
        subject="Patient/p1",
        content=[{"attachment": {"contentType": "text/plain", "url": "Binary/b1"}}],
    )
    empty = {"resourceType": "Bundle", "type": "searchset", "entry": []}
    with responses.RequestsMock() as rsps:
        rsps.get(f"{base}/Patient/p1", json={"resourceType": "Patient", "id": "p1"})
        for kind in ("Observation", "Condition", "QuestionnaireResponse"):
            rsps.get(f"{base}/{kind}", json=empty)
        rsps.get(
            f"{base}/DocumentReference",
            json={**empty, "entry": [{"resource": held}]},
        )
        rsps.get(f"{base}/Binary/b1", body="Buttock pain. New saddle numbness since yesterday.")
        data = Ehr(base, "the-token", policy=FhirServerPolicy()).patient_data("p1")

        binary = next(call for call in rsps.calls if str(call.request.url).endswith("/Binary/b1"))
        assert binary.request.headers["Authorization"] == "Bearer the-token"
    assert list(data.note_attachments.values()) == [
        b"Buttock pain. New saddle numbness since yesterday."
    ]
    assert data.shortfalls == ()
    # What the app then shows: the note's findings, marked as read from that note.
    evaluation = Evaluation(
        evaluated_at=datetime(2026, 12, 6, tzinfo=UTC),
        max_age=timedelta(days=180),
        knowledge_url="https://cds.example.org",
    )
    record = record_for(data, evaluation, load_knowledge_base())
    assert record.from_notes["saddle-numbness"].reference == "DocumentReference/n1"
