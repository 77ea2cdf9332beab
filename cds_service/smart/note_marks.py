"""The bedside app's questions pre-filled from clinical notes (contract section 3a).

A finding a note decided is shown with the note's date and words ("from the note of
2026-11-19: '…'") for the clinician to confirm or correct. The marks are built for each page
from the EHR's record and never kept in the session (it holds finding codes, never quotes).
A confirmed answer is a new answer: it is written back, authored today.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["note_marks", "without_note_findings"]


def note_marks(from_notes: Mapping[str, Any]) -> dict[str, str]:
    """Finding code -> "from the note of <date>: '<words>'" for each finding a note decided."""
    marks = {}
    for code, source in from_notes.items():
        when = f"the note of {source.when.date().isoformat()}" if source.when else "an undated note"
        marks[code] = f"from {when}: '{source.quote}'"
    return marks


def without_note_findings(
    findings: Mapping[str, bool], from_notes: Mapping[str, Any]
) -> dict[str, bool]:
    """The record's findings less those only a note gave: answering them is new, and a
    confirmed one is written back as today's answer."""
    return {code: state for code, state in findings.items() if code not in from_notes}
