"""The feedback report as JSON and CSV (``--format``), for a spreadsheet or a script."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cds_service.store import FeedbackStore
from tests.support.clock import FakeClock
from tests.support.feedback_report import (
    overridden,
    populate,
    run_report,
    show,
)


def test_json_and_csv_hold_the_same_counts(
    store: FeedbackStore,
    clock: FakeClock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    populate(store, clock)

    as_json = json.loads(run_report(monkeypatch, capsys, database_url, "--format", "json")[1])
    rows = list(
        csv.DictReader(
            io.StringIO(run_report(monkeypatch, capsys, database_url, "--format", "csv")[1])
        )
    )

    [mri] = [row for row in as_json["byTest"] if row["test"] == "mri-lumbar-spine"]
    assert (mri["shown"], mri["accepted"], mri["overridden"]) == (2, 1, 1)
    assert mri["comments"] == ["MRI was done last week elsewhere"]
    assert as_json["unmatchedFeedback"] == 1
    [mri_row] = [row for row in rows if row["test"] == "mri-lumbar-spine"]
    assert (mri_row["shown"], mri_row["accepted"], mri_row["overridden"]) == ("2", "1", "1")
    assert mri_row["override_reasons"] == "already-done [https://example.org/reasons]: 1"


def test_a_spreadsheet_never_runs_a_comment_as_a_formula(
    store: FeedbackStore,
    clock: FakeClock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    show(store, ("n-9", "next-test", "exam-piriformis"))
    store.save_feedback(
        "gluteal-pain-differential", [overridden(clock, "n-9", "x", '=HYPERLINK("http://x")')]
    )

    out = run_report(monkeypatch, capsys, database_url, "--format", "csv")[1]

    assert "'=HYPERLINK" in out
