"""The note reader on published case prose (bench/case_report_notes.py): the case-report
set's stated findings read as notes, against the findings its readers mapped by hand. Floors
a little under what it measures (knowledge base 1.23.0: precision 0.93, recall 0.69; 0.93 /
0.45 at the session's start), against reading worse."""

from __future__ import annotations

from tests.support.bench import bench_module


def test_published_case_prose_reads_above_its_floors() -> None:
    result = bench_module("case_report_notes").measure()
    assert result.precision >= 0.9, result.lines
    assert result.recall >= 0.66, result.lines
