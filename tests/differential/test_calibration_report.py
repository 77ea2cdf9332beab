"""The calibration report in docs/ is the one the knowledge base gives today."""

from __future__ import annotations

import json

from tests.support.bench import bench_module
from tests.support.paths import ROOT


def test_the_committed_calibration_report_is_current() -> None:
    report = bench_module("calibration_report")
    kb = report.load_knowledge_base()
    baseline = json.loads((ROOT / "docs" / "calibration-baseline.json").read_text("utf-8"))
    fresh = report.report(kb, report.measure(kb), baseline)
    committed = (ROOT / "docs" / "calibration.md").read_text("utf-8")
    assert fresh == committed, (
        "run: python bench/calibration_report.py --baseline ... > docs/calibration.md"
    )
    assert "| **no** |" not in committed  # every textbook picture keeps its diagnosis
