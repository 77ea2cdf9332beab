"""The knowledge base's ``note_phrases`` section: the words that name findings in notes.

Read by the note reader (``fhir_mappings.notes``) and shown on ``/knowledge``; the reasoner
itself never sees words, only the findings read from them (contract section 3a).
"""

from __future__ import annotations

from functools import cached_property

from pydantic import ConfigDict, Field

from differential._cited import Cited, Code, Strict

__all__ = ["NotePhraseRow", "NotePhrases"]


class NotePhraseRow(Strict):
    """The phrases of one finding. ``exam_phrases`` name a test and need a stated result."""

    finding: Code
    phrases: tuple[str, ...] = ()
    exam_phrases: tuple[str, ...] = ()


class NotePhrases(Cited):
    """Every finding's phrases, and which findings a past mention still makes present."""

    histories: tuple[Code, ...] = ()
    rows: tuple[NotePhraseRow, ...] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def targets(self) -> tuple[tuple[str, str, bool], ...]:
        """(phrase, finding code, is an exam name) for every phrase, in file order."""
        return tuple(
            (phrase, row.finding, exam)
            for row in self.rows
            for exam, phrases in ((False, row.phrases), (True, row.exam_phrases))
            for phrase in phrases
        )
