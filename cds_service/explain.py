"""``gluteal-cds explain``: the differential for a set of findings, as readable tables.

A thin command line over :func:`differential.evaluate`, for clinicians reviewing the
knowledge base and for developers checking a rule without an EHR.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from cds_service.hooks.notes import NoteView, read_note_text
from cds_service.hooks.pipeline import load_knowledge
from cds_service.settings import Settings
from differential import evaluate
from differential.model import Candidate, Differential, Evidence, Presentation, Sex

__all__ = ["explain", "render_differential", "render_note"]

_MAX_NOTE = 200_000  # characters: a note the hook reads is at most 200 kB (contract 3a)


def explain(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Evaluate the findings named in ``args`` and print the answer; 2 on unknown codes."""
    kb = load_knowledge(settings)
    present, absent = _codes(args.present), _codes(args.absent)
    unknown = sorted((present | absent) - {finding.code for finding in kb.findings})
    unknown += sorted(set(_codes(args.diagnosed)) - {c.code for c in kb.conditions})
    if unknown:
        print(f"unknown codes: {', '.join(unknown)}", file=sys.stderr)
        return 2
    findings = dict.fromkeys(present, True) | dict.fromkeys(absent, False)
    text = getattr(args, "note", None)
    if text is not None and len(text) > _MAX_NOTE:
        print("the note is longer than the service reads (200 kB)", file=sys.stderr)
        return 2
    note = read_note_text(kb, text or "")
    findings = note.findings | findings  # a code given on the command line wins
    presentation = Presentation(
        findings=findings,
        diagnoses=frozenset(_codes(args.diagnosed)),
        sex=_sex(args.sex),
        age_years=args.age,
    )
    shown = render_note(note) + render_differential(evaluate(kb, presentation))
    (out or sys.stdout).write(shown)
    return 0


def render_note(note: NoteView) -> str:
    """What was read in the note: the text with [[read words]], then one line per phrase."""
    if not note.text.strip():
        return ""
    marked = "".join(f"[[{text}]]" if words else text for text, words in note.segments())
    lines = ["read from the note:", *("  " + line for line in marked.splitlines()), ""]
    for words in note.words:
        context = f" ({', '.join(words.context)})" if words.context else ""
        quoted = note.text[words.start : words.end]
        lines.append(f"  “{quoted}” -> {words.finding}: {words.state}{context}")
    return "\n".join([*lines, "", ""])


def _codes(values: Iterable[str]) -> set[str]:
    return {code.strip() for value in values for code in value.split(",") if code.strip()}


def _sex(value: str | None) -> Sex | None:
    sexes: dict[str, Sex] = {"female": "female", "male": "male", "other": "other"}
    return sexes.get(value or "", "unknown" if value else None)


def render_differential(differential: Differential) -> str:
    """The differential, its reasons and test advice as plain-text tables."""
    lines = [f"knowledge base {differential.knowledge_version}", ""]
    if not differential.active:
        return "\n".join([*lines, "no presenting complaint: no differential", ""])
    lines += _table(
        ("#", "condition", "status", "p", "for", "against"),
        [_candidate_row(candidate) for candidate in differential.candidates],
    )
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]] = (
        ("red flags", [(flag.code, flag.action) for flag in differential.red_flags]),
        ("next tests", [(test.code, test.reason) for test in differential.next_tests]),
        ("avoid", [(test.code, test.reason) for test in differential.avoid_tests]),
        ("treatment cautions", [(c.condition, c.text) for c in differential.cautions]),
    )
    for title, rows in sections:
        if rows:
            lines += ["", f"{title}:", *_table(("code", "why"), rows)]
    if differential.most_informative_unknowns:
        labels = [
            differential.finding_labels.get(code, code)
            for code in differential.most_informative_unknowns
        ]
        lines += ["", "worth recording next: " + "; ".join(labels)]
    return "\n".join([*lines, ""])


def _candidate_row(candidate: Candidate) -> tuple[str, ...]:
    return (
        str(candidate.rank),
        candidate.code + (" (diagnosed)" if candidate.already_diagnosed else ""),
        candidate.status.value,
        f"{candidate.probability:.2f}",
        ", ".join(_stated(evidence) for evidence in candidate.supporting) or "-",
        ", ".join(_stated(evidence) for evidence in candidate.opposing) or "-",
    )


def _stated(evidence: Evidence) -> str:
    """The finding as recorded: an absent one reads "no <code>", never like a present one."""
    return evidence.finding if evidence.present else f"no {evidence.finding}"


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    cells = [list(map(str, header)), *[list(map(str, row)) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    rendered = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return rendered
