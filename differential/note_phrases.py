"""The knowledge base's ``note_phrases`` section: the words that name findings in notes.

Read by the note reader (``fhir_mappings.notes``) and shown on ``/knowledge``; the reasoner
itself never sees words, only the findings read from them (contract section 3a).
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import ConfigDict, Field

from differential._cited import Cited, Code, Strict

__all__ = ["NotePhraseRow", "NotePhrases", "PhraseKind"]

PhraseKind = Literal["finding", "exam", "absent"]


class NotePhraseRow(Strict):
    """The phrases of one finding. ``exam_phrases`` name a test and need a stated result;
    ``absent_phrases`` state by themselves that the finding is absent ("afebrile"), unless
    their sentence holds one of ``absent_masked_by`` ("afebrile on paracetamol")."""

    finding: Code
    phrases: tuple[str, ...] = ()
    exam_phrases: tuple[str, ...] = ()
    absent_phrases: tuple[str, ...] = ()
    absent_masked_by: tuple[str, ...] = ()


class NotePhrases(Cited):
    """Every finding's phrases, and which findings a past mention still makes present."""

    histories: tuple[Code, ...] = ()
    rows: tuple[NotePhraseRow, ...] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def targets(self) -> tuple[tuple[str, str, PhraseKind], ...]:
        """(phrase, finding code, kind) for every phrase, in file order: a finding's words,
        a test's name, or words that state the finding absent."""
        kinds: tuple[PhraseKind, ...] = ("finding", "exam", "absent")
        return tuple(
            (phrase, row.finding, kind)
            for row in self.rows
            for kind, phrases in zip(
                kinds, (row.phrases, row.exam_phrases, row.absent_phrases), strict=True
            )
            for phrase in phrases
        )

    @cached_property
    def absent_masks(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(finding code, the words that keep its absent phrases from counting), lower case."""
        return tuple(
            (row.finding, frozenset(word.lower() for word in row.absent_masked_by))
            for row in self.rows
            if row.absent_masked_by
        )
