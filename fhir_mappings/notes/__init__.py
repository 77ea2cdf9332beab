"""Clinical notes (DocumentReference) to findings, with negation and context (section 3a).

:func:`read_notes` reads the patient's notes with medspaCy (target phrases from the knowledge
base's ``note_phrases``, ConText, sections) into dated :class:`NoteFinding` s;
:func:`apply_notes` lets them count beside the coded record: a coded Observation or answer
of the same day or newer wins, an undated note loses to any coded finding.
Note text is never logged, stored or returned, only short quotes of the words read.
"""

from fhir_mappings.notes._apply import NoteSource, apply_notes, note_onsets
from fhir_mappings.notes._read import (
    NotePhraseSet,
    NotesRead,
    attachment_urls,
    explain_text,
    read_notes,
)
from fhir_mappings.notes._text import MAX_NOTE_BYTES, attachment_text, inline_data

__all__ = [
    "MAX_NOTE_BYTES",
    "NotePhraseSet",
    "NoteSource",
    "NotesRead",
    "apply_notes",
    "attachment_text",
    "attachment_urls",
    "explain_text",
    "inline_data",
    "note_onsets",
    "read_notes",
]
