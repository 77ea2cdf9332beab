"""Accuracy of the differential on published case reports (tests/differential/case_reports).

For each case: where the final diagnosis ranks. For the seven, top-1 and top-3; for mimics
(a final diagnosis outside the seven), where `another-cause` ranks. Run
``python bench/case_report_accuracy.py`` for the table, ``--json`` for the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from differential import Differential, KnowledgeBase, Presentation, evaluate, load_knowledge_base

CASES = Path(__file__).resolve().parents[1] / "tests" / "differential" / "case_reports"
ANOTHER_CAUSE = "another-cause"

Case = dict[str, Any]


def cases() -> Iterator[Case]:
    """Every case of the set, in file order."""
    for path in sorted(CASES.glob("*.yaml")):
        yield yaml.safe_load(path.read_text(encoding="utf-8"))


def presentation(case: Mapping[str, Any]) -> Presentation:
    """The findings the source states, with sex and age where stated."""
    return Presentation(
        findings=dict(case["findings"]), sex=case.get("sex"), age_years=case.get("age")
    )


def ranking(result: Differential) -> list[str]:
    """Condition codes, most probable first, `another-cause` included. A knowledge base that
    does not rank it yet (before issue 22) places it by its open-world probability."""
    ranked = [c.code for c in sorted(result.candidates, key=lambda c: c.rank)]
    if ANOTHER_CAUSE in ranked or not ranked:
        return ranked
    shares = [c.probability for c in sorted(result.candidates, key=lambda c: c.rank)]
    position = sum(share > result.other_probability for share in shares)
    return [*ranked[:position], ANOTHER_CAUSE, *ranked[position:]]


def rank_of(kb: KnowledgeBase, case: Mapping[str, Any]) -> tuple[int | None, list[str]]:
    """Where the final diagnosis ranks (1 = first; None when there is no differential)."""
    ranked = ranking(evaluate(kb, presentation(case)))
    final = case["final"]
    return (ranked.index(final) + 1 if final in ranked else None), ranked


def measure(kb: KnowledgeBase) -> dict[str, Any]:
    """Per case its rank and the leading three; the summary figures."""
    rows = []
    for case in cases():
        rank, ranked = rank_of(kb, case)
        rows.append(
            {
                "id": case["id"],
                "final": case["final"],
                "mimic": case["mimic"],
                "rank": rank,
                "first": ranked[:3],
                "expected": case["expected"]["top1"],
            }
        )
    seven = [r for r in rows if not r["mimic"]]
    mimics = [r for r in rows if r["mimic"]]
    return {
        "knowledge_version": kb.version,
        "seven": len(seven),
        "top1": sum(r["rank"] == 1 for r in seven),
        "top3": sum(r["rank"] is not None and r["rank"] <= 3 for r in seven),
        "mimics": len(mimics),
        "mimics_in_first_two": sum(r["rank"] is not None and r["rank"] <= 2 for r in mimics),
        "rows": rows,
    }


def table(figures: Mapping[str, Any]) -> str:
    """The figures and one row per case, as Markdown."""
    seven, mimics = figures["seven"], figures["mimics"]
    lines = [
        f"Knowledge base {figures['knowledge_version']}: top-1 {figures['top1']}/{seven} "
        f"({figures['top1'] / seven:.0%}), top-3 {figures['top3']}/{seven} "
        f"({figures['top3'] / seven:.0%}) for the seven; `another-cause` in the first two "
        f"for {figures['mimics_in_first_two']}/{mimics} mimics.",
        "",
        "| case | final diagnosis | rank | first three |",
        "|---|---|---|---|",
    ]
    for row in figures["rows"]:
        rank = "—" if row["rank"] is None else str(row["rank"])
        lines.append(f"| {row['id']} | {row['final']} | {rank} | {', '.join(row['first'])} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(load_knowledge_base())
    sys.stdout.write(json.dumps(figures, indent=1) + "\n" if args.json else table(figures))


if __name__ == "__main__":
    main()
