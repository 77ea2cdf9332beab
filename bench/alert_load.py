"""Alert load: how many cards, and how many warnings, a clinician sees per answer.

Runs every shared vignette with prefetch through the HTTP API (the patient-view and order
services), and a generated grid of presentations through the patient-view pipeline, then
prints the median and maximum number of cards, of warning or critical cards, and the largest
number of cards of one topic in one answer. Run: ``python bench/alert_load.py``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from cds_service.app import create_app
from cds_service.hooks.pipeline import assess
from cds_service.settings import Settings
from differential import Presentation, load_knowledge_base

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes"

# What else is on record: nothing, and pictures a clinic sees every week.
PICTURES: Mapping[str, Mapping[str, bool]] = {
    "complaint only": {},
    "radicular exam": {"straight-leg-raise-positive": True, "leg-numbness": True},
    "buttock exams negative": {
        "gluteus-medius-trigger-points": False,
        "ischial-tuberosity-tenderness": False,
        "hamstring-resisted-test-painful": False,
    },
    "bone stress signs": {"single-leg-hop-painful": True, "pain-on-impact": True},
    "painless tuning fork": {"tuning-fork-or-ultrasound-painful": False},
    "lateral hip signs": {"greater-trochanter-tenderness": True, "night-pain-lying-on-side": True},
    "saddle numbness": {"saddle-numbness": True},
    "negative hip MRI": {"mri-bone-stress-injury": False, "pain-on-impact": True},
    "RED-S risk": {"amenorrhoea": True, "low-energy-availability": True},
}


def grid() -> Iterator[tuple[str, Presentation]]:
    """Every presenting complaint of the knowledge base (where the pain is) with every
    picture: 90 presentations."""
    complaints = [f.code for f in load_knowledge_base().findings if f.presenting]
    for complaint, (name, extra) in itertools.product(complaints, PICTURES.items()):
        findings = {complaint: True, **extra}
        yield f"{complaint} + {name}", Presentation(findings=findings, sex="female", age_years=30)


def _counts(cards: Iterable[Mapping[str, Any]]) -> tuple[int, int, int]:
    cards = list(cards)
    warnings = sum(1 for c in cards if c.get("indicator") in {"warning", "critical"})
    topics = Counter(c["source"]["topic"]["code"] for c in cards)
    per_topic = max((n for t, n in topics.items() if t != "order-appropriateness"), default=0)
    return len(cards), warnings, per_topic


def vignette_counts() -> list[tuple[str, tuple[int, int, int]]]:
    """Each vignette with prefetch, answered over HTTP at its own evaluation time."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for path in sorted(VIGNETTES.glob("*.json")):
            case = json.loads(path.read_text(encoding="utf-8"))
            if "prefetch" not in case["request"]:
                continue
            now = datetime.fromisoformat(case["evaluatedAt"].replace("Z", "+00:00"))
            settings = Settings(database_url=f"sqlite:///{folder}/{path.stem}.sqlite3")
            app = create_app(settings, clock=lambda now=now: now)
            reply = app.test_client().post(f"/cds-services/{case['service']}", json=case["request"])
            rows.append((path.stem, _counts(reply.get_json()["cards"])))
    return rows


def grid_counts() -> list[tuple[str, tuple[int, int, int]]]:
    """Each generated presentation through the patient-view pipeline."""
    kb = load_knowledge_base()
    rows = []
    for name, presentation in grid():
        cards = assess(kb, presentation, knowledge_url="http://localhost", patient_id="p1").cards
        rows.append((name, _counts(card.model_dump(by_alias=True) for card in cards)))
    return rows


def _summary(title: str, rows: list[tuple[str, tuple[int, int, int]]]) -> str:
    cards = [r[1][0] for r in rows]
    warnings = [r[1][1] for r in rows]
    per_topic = max(r[1][2] for r in rows)
    return (
        f"{title}: {len(rows)} answers; cards median {statistics.median(cards):g}, max "
        f"{max(cards)}; warnings median {statistics.median(warnings):g}, max {max(warnings)}; "
        f"most cards of one topic in one answer: {per_topic}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", action="store_true", help="print every answer's counts")
    args = parser.parse_args()
    for title, rows in (("vignettes", vignette_counts()), ("grid", grid_counts())):
        print(_summary(title, rows))
        if args.rows:
            for name, (cards, warnings, per_topic) in rows:
                print(f"  {name}: {cards} cards, {warnings} warnings, {per_topic} per topic")


if __name__ == "__main__":
    main()
