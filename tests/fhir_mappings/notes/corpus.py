"""Scoring the note reader against the hand-annotated corpus (issue 25).

Gold per note: finding -> present | absent | none. A finding read with the gold state is a
true positive; read with the other state, or read where the gold says none or nothing, a
false positive; a gold present/absent not read so, a false negative. Negation accuracy: of
the gold absent findings, the share read as absent.

``symptoms-over-6-weeks`` is scored from the duration the reader states (``Read.duration_days``),
decided by the service's own onset rule (contract section 3: 42 days or more before the
evaluation time, present; under, absent), the note written at the evaluation time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from differential import load_knowledge_base
from fhir_mappings._onset import duration_reading
from fhir_mappings.notes import NotePhraseSet, NotesRead, note_onsets
from fhir_mappings.notes._read import ONSET, DatedFinding, read_text
from terminology import code_tables

CORPUS = Path(__file__).resolve().parent.parent / "notes_corpus"


@dataclass
class Score:
    """Counts per finding and overall, and the red-flag safety check."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    absent_gold: int = 0
    absent_read: int = 0
    unsafe: list[str] = field(default_factory=list)  # red flags read present against gold
    errors: list[str] = field(default_factory=list)

    def precision(self, code: str | None = None) -> float:
        tp, fp = self._pick(self.tp, code), self._pick(self.fp, code)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, code: str | None = None) -> float:
        tp, fn = self._pick(self.tp, code), self._pick(self.fn, code)
        return tp / (tp + fn) if tp + fn else 1.0

    def red_flag_recall(self) -> float:
        """Of the red flags the gold states (present or absent), the share read so."""
        flags = red_flags()
        tp = sum(n for code, n in self.tp.items() if code in flags)
        fn = sum(n for code, n in self.fn.items() if code in flags)
        return tp / (tp + fn) if tp + fn else 1.0

    def negation_accuracy(self) -> float:
        return self.absent_read / self.absent_gold if self.absent_gold else 1.0

    @staticmethod
    def _pick(counts: Counter[str], code: str | None) -> int:
        return counts[code] if code is not None else sum(counts.values())


def notes(name: str) -> list[dict[str, Any]]:
    """The notes of one corpus file (``tuning``, ``held_out``, ``held_out_2`` ... ``_4``)."""
    data = yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(data["notes"])


@cache
def phrases() -> NotePhraseSet:
    kb = load_knowledge_base()
    assert kb.note_phrases is not None
    return NotePhraseSet.of(kb.note_phrases)


@cache
def red_flags() -> frozenset[str]:
    return load_knowledge_base().red_flag_findings


def read(text: str) -> dict[str, bool]:
    """What the reader makes of one note's text, its stated duration included."""
    found = read_text(text, phrases())
    got = {f.finding: f.present for f in found.findings}
    over = _over_six_weeks(found.duration_days, found.duration_quote)
    if over is not None:
        got[ONSET] = over
    return got


_WRITTEN = datetime(2026, 1, 1, tzinfo=UTC)  # any time: the note is read when it is written


def _over_six_weeks(days: int | None, quote: str) -> bool | None:
    """The reader's stated duration through the service's own path: dated back from the
    note's time as the reader does (``note_onsets``), then decided by the mapper's onset rule
    (``duration_reading``); None when the note states none."""
    if days is None:
        return None
    when = _WRITTEN - timedelta(days=days)
    stated = DatedFinding(ONSET, True, quote, "DocumentReference/note", when, _WRITTEN)
    onsets = note_onsets(
        NotesRead(onsets=(stated,)), evaluated_at=_WRITTEN, max_age=timedelta(days=1)
    )
    reading = duration_reading([], [], onsets, code_tables(), _WRITTEN)
    return None if reading is None else reading.present


def score(name: str) -> Score:
    """The reader scored on one corpus file."""
    result = Score()
    for note in notes(name):
        _score_note(note, read(note["text"]), result)
    return result


def _score_note(note: dict[str, Any], got: dict[str, bool], result: Score) -> None:
    gold: dict[str, str] = note["gold"]
    for code, state in gold.items():
        if state == "absent" and code != ONSET:  # a short duration is not a negation
            result.absent_gold += 1
            result.absent_read += got.get(code) is False
        if state in {"present", "absent"}:
            if code in got and got[code] == (state == "present"):
                result.tp[code] += 1
            else:
                result.fn[code] += 1
                result.errors.append(f"{note['id']}: {code} gold {state}, read {got.get(code)}")
    for code, present in got.items():
        expected = gold.get(code, "none")
        if expected == "none" or (expected == "present") != present:
            result.fp[code] += 1
            if expected == "none":
                result.errors.append(f"{note['id']}: {code} gold none, read {present}")
        # A red flag read present where the note does not say so raises a false alarm; read
        # absent where it does not say so, it can silence a coded one (newest wins).
        if code in red_flags() and expected != ("present" if present else "absent"):
            result.unsafe.append(f"{note['id']}: {code} read {'present' if present else 'absent'}")
