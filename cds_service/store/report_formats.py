"""The feedback report as JSON or CSV, for a spreadsheet or a script (the text is in report)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from cds_service.store.report import FeedbackReport, Tally, render_report

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "json", "csv")
_CSV_COLUMNS = (
    "section", "test", "topic", "shown", "accepted", "overridden", "accept_rate",
    "override_rate", "override_reasons", "comments",
)  # fmt: skip


def render(report: FeedbackReport, output_format: str) -> str:
    """The report in ``output_format``, one of :data:`FORMATS`."""
    if output_format == "json":
        return json.dumps(_as_json(report), indent=2) + "\n"
    if output_format == "csv":
        return _as_csv(report)
    return render_report(report)


def _as_json(report: FeedbackReport) -> dict[str, Any]:
    return {
        "knowledgeVersions": sorted(report.knowledge_versions),
        "byTopic": [{"topic": t, **_tally(x)} for t, x in sorted(report.by_topic.items())],
        "byTest": [
            {"test": test, "topic": topic, **_tally(x)}
            for (test, topic), x in sorted(report.by_test.items())
        ],
        "unmatchedFeedback": report.unmatched_feedback,
    }


def _tally(tally: Tally) -> dict[str, Any]:
    return {
        "shown": tally.shown,
        "accepted": tally.accepted,
        "overridden": tally.overridden,
        "acceptRate": _rate(tally.accept_rate),
        "overrideRate": _rate(tally.override_rate),
        "overrideReasons": dict(tally.reasons.most_common()),
        "comments": list(tally.comments),
    }


def _as_csv(report: FeedbackReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    writer.writerows(_csv_rows(report))
    return out.getvalue()


def _csv_rows(report: FeedbackReport) -> Iterator[list[object]]:
    for topic, tally in sorted(report.by_topic.items()):
        yield ["topic", "", topic, *_counts(tally)]
    for (test, topic), tally in sorted(report.by_test.items()):
        yield ["test", test, topic, *_counts(tally)]


def _counts(tally: Tally) -> list[object]:
    reasons = "; ".join(f"{reason}: {n}" for reason, n in tally.reasons.most_common())
    comments = " | ".join(tally.comments)
    rates = [_rate(tally.accept_rate), _rate(tally.override_rate)]
    counts = [tally.shown, tally.accepted, tally.overridden]
    return [*counts, *("" if r is None else r for r in rates), _cell(reasons), _cell(comments)]


def _rate(rate: float | None) -> float | None:
    # Three decimals: a share of cards, not a measurement.
    return None if rate is None else round(rate, 3)


def _cell(text: str) -> str:
    # Comments are typed by clinicians: a leading = + - @ would run as a spreadsheet formula.
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text
