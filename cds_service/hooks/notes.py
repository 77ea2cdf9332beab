"""Clinical notes in a hook call: the reader's settings from the knowledge base, reading.

The knowledge base's ``note_phrases`` become the reader's targets once per knowledge base
(the medspaCy pipeline behind them is built once per worker, on first use). A call's notes
are read only for its own patient (a DocumentReference about anyone else is never read; the
generic subject check of issue 24 will cover it too).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from differential import KnowledgeBase
from fhir_mappings import PatientRecord, SearchResults
from fhir_mappings.notes import NotePhraseSet, apply_notes, read_notes

__all__ = ["NoteReader", "note_reader", "with_notes"]


@dataclass(frozen=True)
class NoteReader:
    """What reading notes needs from the knowledge base."""

    phrases: NotePhraseSet
    test_findings: frozenset[str]  # findings only a test reveals: an undated note never sets


_lock = threading.Lock()
_readers: dict[int, tuple[KnowledgeBase, NoteReader | None]] = {}


def note_reader(kb: KnowledgeBase) -> NoteReader | None:
    """The reader for ``kb``; None when its knowledge base names no note phrases."""
    with _lock:
        held = _readers.get(id(kb))
        if held is not None and held[0] is kb:
            return held[1]
    reader = _build(kb)
    with _lock:
        if len(_readers) > 8:  # knowledge bases reloaded in tests: keep it bounded
            _readers.clear()
        _readers[id(kb)] = (kb, reader)
    return reader


def _build(kb: KnowledgeBase) -> NoteReader | None:
    phrases = kb.note_phrases
    if phrases is None:
        return None
    revealed = frozenset(f for test in kb.tests for f in test.reveals)
    return NoteReader(
        NotePhraseSet(phrases.targets, frozenset(phrases.histories)),
        test_findings=revealed,
    )


def with_notes(
    record: PatientRecord,
    notes: tuple[dict[str, object], ...],
    *,
    reader: NoteReader | None,
    patient_id: str | None,
    fhir_server: str | None,
    fetched: dict[str, bytes] | None,
    evaluated_at: datetime,
    max_age: timedelta,
) -> PatientRecord:
    """``record`` with what the patient's notes say, where coded data does not decide."""
    if reader is None or not notes:
        return record
    read = read_notes(
        SearchResults(notes), patient_id, reader.phrases, fetched=fetched, fhir_server=fhir_server
    )
    return apply_notes(
        record,
        read,
        evaluated_at=evaluated_at,
        max_age=max_age,
        histories=reader.phrases.histories,
        test_findings=reader.test_findings,
    )
