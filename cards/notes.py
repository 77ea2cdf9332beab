"""Reasons drawn from clinical notes say so and quote the note (contract section 3a).

The reasoner sees findings, never words: after it has answered, each piece of evidence a note
decided is relabelled with the note's words, and a red flag that a note alone raised asks the
clinician to confirm it, quoting it. The quotes are short (at most 80 characters) and travel
only in the cards of this call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from differential.model import Candidate, Differential, Evidence, RedFlag

NOTE_MARK = "read from a note"  # on every reason and red flag raised by a note's words

__all__ = ["NoteQuote", "quoting_notes", "with_note_quotes"]


@dataclass(frozen=True)
class NoteQuote:
    """The note that decided a finding (``DocumentReference/<id>``) and its words."""

    reference: str
    words: str


def quoting_notes(
    differential: Differential, from_notes: Mapping[str, NoteQuote] | None
) -> tuple[Differential, dict[str, str]]:
    """``differential`` quoting the notes that decided its findings, and each such finding's
    note reference (for the extension's ``fromNotes``)."""
    notes = from_notes or {}
    references = {code: quote.reference for code, quote in notes.items()}
    return with_note_quotes(differential, {c: q.words for c, q in notes.items()}), references


def with_note_quotes(differential: Differential, quotes: Mapping[str, str]) -> Differential:
    """``differential`` with every reason and red flag a note decided quoting that note."""
    if not quotes:
        return differential
    return replace(
        differential,
        candidates=tuple(_candidate(c, quotes) for c in differential.candidates),
        red_flags=tuple(_flag(f, quotes) for f in differential.red_flags),
    )


def _candidate(candidate: Candidate, quotes: Mapping[str, str]) -> Candidate:
    return replace(
        candidate,
        supporting=tuple(_evidence(e, quotes) for e in candidate.supporting),
        opposing=tuple(_evidence(e, quotes) for e in candidate.opposing),
    )


def _evidence(evidence: Evidence, quotes: Mapping[str, str]) -> Evidence:
    quote = quotes.get(evidence.finding) if evidence.kind == "finding" else None
    if quote is None:
        return evidence
    return replace(evidence, label=f"{evidence.label} ({NOTE_MARK}: “{quote}”)")


def _flag(flag: RedFlag, quotes: Mapping[str, str]) -> RedFlag:
    quote = quotes.get(flag.code)
    if quote is None:
        return flag
    # What to do comes first, as on every red flag; the caveat follows it (before, the
    # detail read "Do now: Read from a note: confirm …").
    return replace(
        flag,
        name=f"{flag.name} ({NOTE_MARK}: “{quote}”)",
        action=f"{flag.action} {NOTE_MARK.capitalize()}: confirm “{quote}” with the patient.",
    )


def from_note(flag: RedFlag) -> bool:
    """Whether the flag was raised by words read from a note (so the clinician confirms it)."""
    return NOTE_MARK in flag.name
