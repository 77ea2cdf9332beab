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
from fhir_mappings.notes import (
    NotePhraseSet,
    NotesRead,
    apply_notes,
    explain_text,
    read_notes,
)
from fhir_mappings.notes._nlp import DURATION, Mention

__all__ = [
    "NoteReader",
    "NoteView",
    "ReadWords",
    "note_reader",
    "read_call_notes",
    "read_note_text",
    "warm_note_reader",
    "with_notes",
]


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
        NotePhraseSet.of(phrases),
        test_findings=revealed,
    )


def read_call_notes(
    notes: tuple[dict[str, object], ...],
    *,
    reader: NoteReader | None,
    patient_id: str | None,
    fhir_server: str | None,
    fetched: dict[str, bytes] | None,
    evaluated_at: datetime | None = None,
) -> NotesRead | None:
    """What a call's notes say (None: no notes, or no note phrases in the knowledge base);
    a note dated beyond ``evaluated_at`` is unreadable (fhir_mappings.future)."""
    if reader is None or not notes:
        return None
    return read_notes(
        SearchResults(notes),
        patient_id,
        reader.phrases,
        fetched=fetched,
        fhir_server=fhir_server,
        evaluated_at=evaluated_at,
    )


def with_notes(
    record: PatientRecord,
    read: NotesRead | None,
    *,
    reader: NoteReader | None,
    evaluated_at: datetime,
    max_age: timedelta,
) -> PatientRecord:
    """``record`` with what the patient's notes say, where coded data does not decide."""
    if read is None or reader is None:
        return record
    return apply_notes(
        record,
        read,
        evaluated_at=evaluated_at,
        max_age=max_age,
        histories=reader.phrases.histories,
        test_findings=reader.test_findings,
    )


@dataclass(frozen=True)
class ReadWords:
    """One phrase read in a note's text: where, which finding, how it counts, and why."""

    start: int
    end: int
    finding: str
    label: str  # the finding in words
    state: str  # "present", "absent" or "not a finding"
    context: tuple[str, ...]  # e.g. ("negated",), ("uncertain",), ("family",)


@dataclass(frozen=True)
class NoteView:
    """What the reader made of a note's text, for a clinician to check (/try, explain)."""

    text: str
    words: tuple[ReadWords, ...]
    findings: dict[str, bool]

    def segments(self) -> list[tuple[str, ReadWords | None]]:
        """The text cut into plain runs and read phrases, in order, for highlighting."""
        parts: list[tuple[str, ReadWords | None]] = []
        at = 0
        for words in sorted(self.words, key=lambda w: w.start):
            if words.start < at:
                continue  # overlapping phrases: the first one shown
            parts += [
                (self.text[at : words.start], None),
                (self.text[words.start : words.end], words),
            ]
            at = words.end
        return [*parts, (self.text[at:], None)]


_STATES = {True: "present", False: "absent", None: "not a finding"}


def read_note_text(kb: KnowledgeBase, text: str) -> NoteView:
    """Read ``text`` as a clinical note of the knowledge base's findings, showing the words."""
    reader = note_reader(kb)
    if reader is None or not text.strip():
        return NoteView(text, (), {})
    words: list[ReadWords] = []
    findings: dict[str, bool] = {}
    for mention, state in explain_text(text, reader.phrases):
        if mention.label == DURATION:
            continue
        finding = kb.finding_by_code.get(mention.label)
        label = finding.label if finding is not None else mention.label
        words.append(
            ReadWords(
                mention.start,
                mention.end,
                mention.label,
                label,
                _STATES[state],
                _why(mention, state),
            )
        )
        if state is not None and not findings.get(mention.label, False):
            findings[mention.label] = state
    return NoteView(text, tuple(words), findings)


def _why(mention: Mention, state: bool | None) -> tuple[str, ...]:
    flags = {
        "negated": mention.negated,
        "uncertain": mention.uncertain,
        "hypothetical": mention.hypothetical,
        "family": mention.family,
        "history": mention.historical,
        "not done": mention.not_done,
        "empty field": mention.empty_field,
        "no result stated": mention.exam and state is None and not mention.negated,
    }
    return tuple(name for name, on in flags.items() if on)


def warm_note_reader(kb: KnowledgeBase | None) -> None:
    """Build the note reader's pipeline now (~2 s: spaCy, medspaCy, the rules) rather than
    on the first call that carries a note. The WSGI entry point calls it in each worker."""
    reader = note_reader(kb) if kb is not None else None
    if reader is not None:
        explain_text("warm-up", reader.phrases)
