"""The knowledge base's ``note_phrases`` section: the words that name findings in notes.

Read by the note reader (``fhir_mappings.notes``) and shown on ``/knowledge``; the reasoner
itself never sees words, only the findings read from them (contract section 3a).
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from differential._cited import Cited, Code, Strict

__all__ = ["Cluster", "NextTo", "NotePhraseRow", "NotePhrases", "PhraseKind"]

PhraseKind = Literal["finding", "exam", "absent"]


class NextTo(Strict):
    """Words next to a phrase (up to three words before it, six after, in its sentence) that
    say what it names: the part of the body ("numb around the anus" is saddle numbness,
    "numbness in the R hand" no finding of ours) or its course ("foot drop, worse by the
    afternoon" is progressive weakness). ``unless`` words void the rule ("not worse");
    ``when_negated: false`` keeps a denied phrase from it ("no weakness, pain worse"), and a
    phrase that states the finding absent ("never below the knee");
    ``within`` holds its words to so many words of the phrase ("stress incontinence");
    ``denies``: the words say the finding is absent ("bladder and bowels fine").
    ``cues_only``: the rule reads the row's cue phrases only, in their clause (up to a comma,
    semicolon, colon or bracket): a word shared by several findings that names the one
    whose site lies beside it ("point tender over L ischial tuberosity", "GT NTTP")."""

    words: tuple[str, ...] = Field(min_length=1)
    unless: tuple[str, ...] = ()
    findings: tuple[Code, ...] = ()  # what the phrase names then; none: no finding at all
    when_negated: bool = True
    within: int = Field(default=6, ge=1, le=6)
    denies: bool = False
    cues_only: bool = False


class Cluster(Strict):
    """Tests read as a cluster (the sacroiliac provocation tests, Laslett 2005): the finding is
    present when ``present_from`` of them are positive, absent when so many are negative that
    the rest could no longer make it; one test alone reads nothing. ``tests``: each test's
    name as written (its synonyms)."""

    tests: dict[str, tuple[str, ...]] = Field(min_length=2)
    present_from: int = Field(ge=2)


class NotePhraseRow(Strict):
    """The phrases of one finding. ``exam_phrases`` name a test and need a stated result;
    ``absent_phrases`` state by themselves that the finding is absent ("afebrile"), unless
    their sentence holds one of ``absent_masked_by`` ("afebrile on paracetamol").

    ``next_to``: of the rules whose words lie next to a phrase, the one with the word nearest
    to it decides what it names ("leg numbness, no saddle anaesthesia": the leg).
    ``study``: words naming the study whose report states the finding (an MRI, a
    radiograph); its phrases count only in a sentence or report of a study done, never of
    one requested or awaited. ``present_from_ml``: an exam phrase ("bladder scan") followed
    by a volume of at least this many ml reads the finding present. ``present_from_celsius``:
    an exam phrase naming a measure ("T", "temp") followed by a temperature reads the finding
    present at or above it, absent below (°F converted). ``implies``: findings a present
    mention is too ("legs progressively weaker" is leg weakness). ``cluster``: tests that
    count only together. ``cue_phrases``: words that name the finding only where one of its
    ``next_to`` rules says so ("lost 6 kg without trying"); alone they read nothing.
    ``topic_phrases``: words naming the finding's topic in a template ("Bladder/bowel:"):
    read when denied or answered no (absent), or as a ``next_to`` rule names them; never
    present by their name alone ("Bladder/bowel: WNL" is no red flag).
    ``present_below_bmi``: an exam phrase naming the body mass index ("BMI") followed by a
    value below this reads the finding present; a value at or above it reads nothing.
    ``present_below_bone_score``: an exam phrase naming a bone density scan ("DXA")
    followed by T- or Z-scores: any below this reads the finding present, all at or above it
    absent.
    ``absent_wins``: in one note an absent mention wins over a present one (a normal film:
    "cam morphology ... No fracture" is no normal radiograph)."""

    finding: Code
    phrases: tuple[str, ...] = ()
    exam_phrases: tuple[str, ...] = ()
    absent_phrases: tuple[str, ...] = ()
    absent_masked_by: tuple[str, ...] = ()
    next_to: tuple[NextTo, ...] = ()
    study: tuple[str, ...] = ()
    present_from_ml: int | None = Field(default=None, gt=0)
    present_from_celsius: float | None = Field(default=None, ge=35, le=42)
    present_below_bmi: float | None = Field(default=None, ge=15, le=20)
    present_below_bone_score: float | None = Field(default=None, ge=-4, le=0)
    implies: tuple[Code, ...] = ()
    cluster: Cluster | None = None
    cue_phrases: tuple[str, ...] = ()
    topic_phrases: tuple[str, ...] = ()
    absent_wins: bool = False

    @model_validator(mode="after")
    def _cues_have_a_rule(self) -> NotePhraseRow:
        """Cue phrases read only as a rule names them: without one they could never read."""
        if self.cue_phrases and not any(rule.findings for rule in self.next_to):
            raise ValueError(f"{self.finding}: cue_phrases need a next_to rule naming a finding")
        return self


class NotePhrases(Cited):
    """Every finding's phrases, and which findings a past mention still makes present."""

    histories: tuple[Code, ...] = ()
    # Findings that name an earlier event (a prior stress fracture): a mention in today's
    # assessment (under "Impression:", "Assessment:", "Diagnosis:") names the current
    # problem, not an earlier one, unless a history marks it.
    earlier_only: tuple[Code, ...] = ()
    rows: tuple[NotePhraseRow, ...] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def targets(self) -> tuple[tuple[str, str, PhraseKind], ...]:
        """(phrase, finding code, kind) for every phrase, in file order: a finding's words,
        a test's name, or words that state the finding absent."""
        kinds: tuple[PhraseKind, ...] = ("finding", "exam", "absent")
        return (
            tuple(
                (phrase, row.finding, kind)
                for row in self.rows
                for kind, phrases in zip(
                    kinds, (row.phrases, row.exam_phrases, row.absent_phrases), strict=True
                )
                for phrase in phrases
            )
            + tuple(
                (phrase, row.finding, "exam")
                for row in self.rows
                if row.cluster is not None
                for names in row.cluster.tests.values()
                for phrase in names
            )
            + tuple(
                (phrase, row.finding, "finding")
                for row in self.rows
                for phrase in (*row.cue_phrases, *row.topic_phrases)
            )
        )

    @cached_property
    def absent_first(self) -> frozenset[str]:
        """The findings whose absent mention wins over a present one in a note."""
        return frozenset(row.finding for row in self.rows if row.absent_wins)

    @cached_property
    def absent_masks(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(finding code, the words that keep its absent phrases from counting), lower case."""
        return tuple(
            (row.finding, frozenset(word.lower() for word in row.absent_masked_by))
            for row in self.rows
            if row.absent_masked_by
        )
