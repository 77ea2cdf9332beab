"""``gluteal-cds explain``: the differential for a set of findings, as readable tables.

A thin command line over :func:`differential.evaluate`, for clinicians reviewing the
knowledge base and for developers checking a rule without an EHR.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

from cds_service.hooks.notes import NoteView, read_note_text
from differential import evaluate
from differential.model import Candidate, Differential, Evidence, Presentation
from differential.schema import KnowledgeBase
from fhir_mappings.notes import attachment_text

__all__ = ["MAX_NOTE_CHARS", "explain", "render_differential", "render_note"]

MAX_NOTE_CHARS = 200_000  # a note the hook reads is at most 200 kB (contract 3a)


def explain(
    kb: KnowledgeBase,
    presentation: Presentation,
    note: str | bytes = "",
    out: TextIO | None = None,
) -> int:
    """Print the differential ``kb`` gives for ``presentation`` and what ``note`` adds to it.

    The codes are the caller's to check against ``kb``; a finding ``presentation`` states wins
    over the note's. A note's bytes (a file) are decoded as the hook decodes a plain-text
    attachment (UTF-8, else Windows-1252: a Word smart quote). Returns 2, saying why, for a
    note longer than the service reads.
    """
    text = attachment_text("text/plain", note).text if isinstance(note, bytes) else note
    if text is None or len(text) > MAX_NOTE_CHARS:
        print("the note is longer than the service reads (200 kB)", file=sys.stderr)
        return 2
    read = read_note_text(kb, text)
    asked = replace(presentation, findings=read.findings | dict(presentation.findings))
    (out or sys.stdout).write(render_note(read) + render_differential(evaluate(kb, asked)))
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
