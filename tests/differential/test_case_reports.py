"""The external validation set of published case reports: well formed, and its figures do not
regress (floors measured with knowledge base 1.4.0; see docs/calibration.md)."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

import pytest

from differential import load_knowledge_base
from tests.support.paths import ROOT

KB = load_knowledge_base()
SUSPECTS = {"hip-joint", "sacroiliac-joint", "vascular", "tumour-or-infection", "referred"}
# Measured at 1.4.0: top-1 9/15, top-3 12/15, mimics 6/6 (before: 6/15, 10/15, 3/6).
TOP1_FLOOR = 0.6
TOP3_FLOOR = 0.8


def _bench() -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("case_report_accuracy")
    finally:
        sys.path.remove(str(ROOT / "bench"))


BENCH = _bench()
CASES: list[dict[str, Any]] = list(BENCH.cases())


def test_the_set_has_twenty_patients_the_seven_and_four_mimics() -> None:
    assert len(CASES) >= 20
    assert sum(case["mimic"] for case in CASES) >= 4
    assert {case["final"] for case in CASES if not case["mimic"]} <= set(KB.condition_by_code)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["id"])
def test_each_case_names_its_source_findings_and_expectation(case: dict[str, Any]) -> None:
    source = case["source"]
    assert source["authors"]
    assert source["title"]
    assert source["journal"]
    assert any(source.get(key) for key in ("pmid", "pmcid", "doi", "url"))
    assert set(case["findings"]) <= set(KB.finding_by_code)
    assert all(isinstance(state, bool) for state in case["findings"].values())
    assert case["expected"]["top1"]
    assert case["expected"]["why"]
    if case["mimic"]:
        assert case["final"] == KB.other_causes.code
        assert case["kind"] in SUSPECTS
    assert case["stated"]


def test_the_figures_do_not_regress() -> None:
    figures = BENCH.measure(KB)
    assert figures["top1"] / figures["seven"] >= TOP1_FLOOR
    assert figures["top3"] / figures["seven"] >= TOP3_FLOOR
    # Every mimic with a stated mimic finding has another cause in the first two.
    assert figures["mimics_in_first_two"] == figures["mimics"]


def test_a_miss_has_its_reason_written_down() -> None:
    figures = BENCH.measure(KB)
    notes = {case["id"]: case.get("note", "") for case in CASES}
    assert all(notes[row["id"]] for row in figures["rows"] if row["rank"] != 1)
