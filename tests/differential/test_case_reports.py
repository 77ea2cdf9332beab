"""The external validation set of published case reports: well formed, and its figures do not
regress (floors measured with knowledge base 1.10.0, on the first 21 patients and on the whole
set separately; see docs/calibration.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from differential import load_knowledge_base
from tests.support.bench import bench_module
from tests.support.paths import ROOT

KB = load_knowledge_base()
FIRST_ROUND = ROOT / "docs" / "case-reports-baseline.json"
SUSPECTS = {"hip-joint", "sacroiliac-joint", "vascular", "tumour-or-infection", "referred"}
# The first 21 patients (issue 22's first round, the rows of docs/case-reports-baseline.json).
# Measured at 1.10.0: top-1 11/15, top-3 12/15, mimics 6/6 (1.2.0: 6/15, 10/15, 3/6; 1.9.0
# with the second reader's corrections: 10/15, 12/15, 6/6).
FIRST_ROUND_TOP1_FLOOR = 11 / 15
FIRST_ROUND_TOP3_FLOOR = 12 / 15
# The whole set (47 patients since the fifth round). Measured at 1.21.0: top-1 23/35, top-3
# 26/35, mimics 11/12 (at 1.10.0 on 39 patients: 19/30, 21/30, 9/9; the fifth round's six
# added 3 and 4 with 1.20.1 and 1.21.0 alike). Counts, not shares: a harder patient added to
# the set must not pass for a regression of the knowledge base. (An easy one added could hide
# one: raise the floors with every patient added, as docs/calibration.md records.)
TOP1_FLOOR = 23
TOP3_FLOOR = 26


BENCH = bench_module("case_report_accuracy")
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


def _shares(rows: list[dict[str, Any]]) -> tuple[float, float, float]:
    """Top-1 and top-3 shares for the seven, and the share of mimics with another cause in
    the first two."""
    seven = [row for row in rows if not row["mimic"]]
    mimics = [row for row in rows if row["mimic"]]
    ranked = [row["rank"] for row in seven if row["rank"] is not None]
    top1 = sum(rank == 1 for rank in ranked) / len(seven)
    top3 = sum(rank <= 3 for rank in ranked) / len(seven)
    firsts = sum(row["rank"] is not None and row["rank"] <= 2 for row in mimics)
    return top1, top3, firsts / len(mimics)


def _confirmed_by_imaging(case: dict[str, Any]) -> bool:
    """The source states an imaging result that confirms one of the seven (an MRI with bone
    marrow oedema): the service follows it, as the treating clinicians did."""
    confirming = {r.finding for r in KB.decisive_results if r.present == "confirms"}
    return any(case["findings"].get(code) is True for code in confirming)


def test_the_figures_do_not_regress() -> None:
    figures = BENCH.measure(KB)
    assert figures["top1"] >= TOP1_FLOOR
    assert figures["top3"] >= TOP3_FLOOR
    # Every mimic with a stated mimic finding (issue 22's words) has another cause in the
    # first two, unless the source also states an imaging result confirming one of the seven
    # (osteoid-osteoma-schaefer-2003: marrow oedema on the hip MRI, pinned as an impending
    # stress fracture; another cause ranks third there, 0.03 beside trochanteric bursitis's).
    confirmed = {case["id"] for case in CASES if _confirmed_by_imaging(case)}
    stated = {case["id"] for case in CASES if _states_a_mimic_finding(case)}
    rows = [
        row
        for row in figures["rows"]
        if not row["mimic"] or (row["id"] in stated and row["id"] not in confirmed)
    ]
    _, _, mimics = _shares(rows)
    assert mimics == 1.0
    assert len(confirmed & stated) <= 1


def _states_a_mimic_finding(case: dict[str, Any]) -> bool:
    """Issue 22's criterion: the source states a finding that points away from the seven
    (another cause's supporting findings, contract section 4). A mimic stated only as
    buttock pain (a sacroiliitis with no sacroiliac test reported) is not held to it."""
    pointing = {support.finding for support in KB.other_causes.supporting}
    return any(case["findings"].get(code) is True for code in pointing)


def test_the_first_round_figures_do_not_regress() -> None:
    first_round = {row["id"] for row in json.loads(FIRST_ROUND.read_text("utf-8"))["rows"]}
    rows = [row for row in BENCH.measure(KB)["rows"] if row["id"] in first_round]
    assert len(rows) == len(first_round) == 21
    top1, top3, mimics = _shares(rows)
    assert top1 >= FIRST_ROUND_TOP1_FLOOR
    assert top3 >= FIRST_ROUND_TOP3_FLOOR
    assert mimics == 1.0


def test_a_miss_has_its_reason_written_down() -> None:
    figures = BENCH.measure(KB)
    notes = {case["id"]: case.get("note", "") for case in CASES}
    assert all(notes[row["id"]] for row in figures["rows"] if row["rank"] != 1)
