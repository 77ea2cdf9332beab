"""The note reader scored on the annotated corpus (issue 25): the tables of docs/notes.md.

Run from the repository root: ``python bench/notes_corpus_report.py [NAME ...]`` with NAME one
of the corpus files (tuning when none is given).
Per finding and overall precision and recall, and negation accuracy; the held-out notes are
reported apart (they were never used to tune the phrases or the rules).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # spaCy's click imports

from tests.fhir_mappings.notes.corpus import Score, notes, score  # noqa: E402


def report(name: str) -> str:
    """A Markdown section for one corpus file."""
    result = score(name)
    lines = [
        f"### {name.replace('_', '-')} ({len(notes(name))} notes)",
        "",
        f"- Overall: precision {result.precision():.2f}, recall {result.recall():.2f} "
        f"({sum(result.tp.values())} read right, {sum(result.fp.values())} read wrongly, "
        f"{sum(result.fn.values())} missed).",
        f"- Negation accuracy: {result.negation_accuracy():.2f} "
        f"({result.absent_read} of {result.absent_gold} negated findings read as absent).",
        f"- Red flags read against the gold: {len(result.unsafe)}; "
        f"red-flag recall {result.red_flag_recall():.2f}.",
        "",
        "| finding | right | wrong | missed | precision | recall |",
        "|---|---|---|---|---|---|",
        *_rows(result),
        "",
        "Errors: " + ("; ".join(result.errors) if result.errors else "none") + ".",
        "",
    ]
    return "\n".join(lines)


def _rows(result: Score) -> list[str]:
    codes = sorted(set(result.tp) | set(result.fp) | set(result.fn))
    return [
        f"| `{code}` | {result.tp[code]} | {result.fp[code]} | {result.fn[code]} "
        f"| {result.precision(code):.2f} | {result.recall(code):.2f} |"
        for code in codes
    ]


if __name__ == "__main__":
    for corpus in sys.argv[1:] or ["tuning"]:
        print(report(corpus))
