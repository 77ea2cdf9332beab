"""Scoring the note reader against the hand-annotated corpus (issue 25).

Gold per note: finding -> present | absent | none. A finding read with the gold state is a
true positive; read with the other state, or read where the gold says none or nothing, a
false positive; a gold present/absent not read so, a false negative. Negation accuracy: of
the gold absent findings, the share read as absent.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from differential import load_knowledge_base
from fhir_mappings.notes import NotePhraseSet
from fhir_mappings.notes._read import read_text

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
    """What the reader makes of one note's text."""
    found = read_text(text, phrases())
    return {f.finding: f.present for f in found.findings}


def score(name: str) -> Score:
    """The reader scored on one corpus file."""
    result = Score()
    for note in notes(name):
        _score_note(note, read(note["text"]), result)
    return result


def _score_note(note: dict[str, Any], got: dict[str, bool], result: Score) -> None:
    gold: dict[str, str] = note["gold"]
    for code, state in gold.items():
        if state == "absent":
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
