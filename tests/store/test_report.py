"""gluteal-cds feedback-report: shown / accepted / overridden per topic and per test."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cds_service.cli import main
from cds_service.settings import Settings
from cds_service.store import FeedbackStore, feedback_report
from cds_service.store.report import render_report
from tests.support.clock import FakeClock
from tests.support.feedback_report import (
    accepted,
    overridden,
    populate,
    run_report,
    show,
    with_orders,
)
from tests.support.shown import ShownEvent, card


def test_report_counts_per_topic_and_per_test(store: FeedbackStore, clock: FakeClock) -> None:
    populate(store, clock)

    report = store.report()

    topic = report.by_topic
    assert (topic["differential"].shown, topic["differential"].overridden) == (3, 1)
    assert (topic["next-test"].shown, topic["next-test"].accepted) == (3, 1)
    assert topic["next-test"].overridden == 2
    mri = report.by_test[("mri-lumbar-spine", "next-test")]
    assert (mri.shown, mri.accepted, mri.overridden) == (2, 1, 1)
    piriformis = report.by_test[("exam-piriformis", "next-test")]
    assert (piriformis.shown, piriformis.accepted, piriformis.overridden) == (1, 0, 1)
    assert topic["next-test"].reasons == {"already-done [https://example.org/reasons]": 2}
    assert report.unmatched_feedback == 1


def test_report_text_names_topics_tests_and_reasons(
    store: FeedbackStore, clock: FakeClock, settings: Settings
) -> None:
    populate(store, clock)

    text = render_report(feedback_report(settings))

    assert "knowledge versions: 1.2.3" in text
    lines = text.splitlines()
    row = next(line for line in lines if line.strip().startswith("mri-lumbar-spine / next-test"))
    assert row.split()[-5:-2] == ["2", "1", "1"]
    assert "override reason: already-done [https://example.org/reasons]: 2" in text
    assert "comment: MRI was done last week elsewhere" in text
    assert "(no reason given): 1" in text


def test_empty_report_says_nothing_was_recorded(store: FeedbackStore, settings: Settings) -> None:
    assert "(nothing recorded)" in render_report(feedback_report(settings))


def test_the_command_names_the_database_it_reads(
    store: FeedbackStore,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run_report(monkeypatch, capsys, database_url)

    assert status == 0
    assert "(nothing recorded)" in out
    assert err.startswith("gluteal-cds: reading ")
    assert store.engine.url.render_as_string(hide_password=True) in err


def test_run_elsewhere_it_creates_nothing_and_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GLUTEAL_CDS_DATABASE_URL", raising=False)

    status = main(["feedback-report"])

    err = capsys.readouterr().err
    assert status == 1
    assert f"no feedback database at sqlite:///{tmp_path}/instance/gluteal-cds.sqlite3" in err
    assert list(tmp_path.iterdir()) == []  # no ./instance/, no empty database


def test_a_file_that_is_not_a_feedback_database_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).close()

    status, _out, err = run_report(monkeypatch, capsys, f"sqlite:///{other}")

    assert status == 1
    assert f"cannot read the feedback database sqlite:///{other}: OperationalError" in err


def test_columns_fit_a_long_name(
    store: FeedbackStore, clock: FakeClock, settings: Settings
) -> None:
    long_test = "a-test-code-whose-name-is-much-longer-than-forty-characters"
    show(store, ("n-1", "next-test", long_test), ("n-2", "next-test", "mri"))

    lines = render_report(feedback_report(settings)).splitlines()

    section = lines[lines.index("By recommended test (test / card topic)") + 1 :]
    assert len({len(line) for line in section[:3]}) == 1  # header and rows line up
    assert section[1].split()[-5:-2] == ["1", "0", "0"]


def test_accepting_one_suggestion_counts_for_its_own_test_only(
    store: FeedbackStore, clock: FakeClock
) -> None:
    """Issue 26: accepting the MRI order of a next-test card counted all three tests."""
    tests = ("mri-lumbar-spine", "exam-piriformis", "exam-straight-leg-raise")
    shown = with_orders("n-1", "next-test", tests)
    store.queue_shown_cards(
        ShownEvent("gluteal-pain-differential", "patient-view", "h-x", "p-1", [shown])
    )
    store.save_feedback("svc", [accepted(clock, "n-1", "s-mri-lumbar-spine")])

    report = store.report()

    assert report.by_topic["next-test"].accepted == 1
    assert {test: t.accepted for (test, _), t in report.by_test.items()} == {
        "mri-lumbar-spine": 1,
        "exam-piriformis": 0,
        "exam-straight-leg-raise": 0,
    }
    assert {test: t.shown for (test, _), t in report.by_test.items()} == dict.fromkeys(tests, 1)


def test_a_card_resent_within_a_hook_instance_counts_once(
    store: FeedbackStore, clock: FakeClock
) -> None:
    """Issue 26: a sandbox session re-calls order-select on each selection: "shown 9"."""
    for n in range(9):
        show(store, (f"r-{n}", "red-flag", ""), instance="one-session")
    show(store, ("r-other", "red-flag", ""), instance="another-session")
    store.save_feedback("svc", [overridden(clock, "r-3", None), overridden(clock, "r-7", None)])

    tally = store.report().by_topic["red-flag"]

    assert (tally.shown, tally.overridden) == (2, 1)
    assert (tally.override_rate, tally.accept_rate) == (0.5, 0.0)


def test_the_sandbox_session_of_docs_feedback_md_matches_its_hand_count(
    store: FeedbackStore, clock: FakeClock
) -> None:
    """docs/feedback.md's worked example, row by row."""
    tests = ("mri-lumbar-spine", "exam-piriformis", "exam-straight-leg-raise")

    def call(hook: str, *shown: dict[str, Any]) -> None:
        store.queue_shown_cards(
            ShownEvent("gluteal-pain-differential", hook, "H", "p-1", list(shown))
        )

    call("patient-view", card("rf", "red-flag"), with_orders("nt", "next-test", tests))
    for n in range(3):  # each selection re-calls order-select: the same card, a new uuid
        call("order-select", card(f"oa-{n}", "order-appropriateness"))
    store.save_feedback(
        "svc",
        [
            accepted(clock, "nt", "s-mri-lumbar-spine"),
            overridden(clock, "oa-0", None),
            overridden(clock, "oa-2", None),
        ],
    )

    report = store.report()
    rows = dict(report.by_topic)
    rows |= {f"{test} / {topic}": t for (test, topic), t in report.by_test.items()}

    def figures(t: Any) -> tuple[int, int, int, float | None, float | None]:
        return (t.shown, t.accepted, t.overridden, t.accept_rate, t.override_rate)

    assert {name: figures(t) for name, t in rows.items()} == {
        "red-flag": (1, 0, 0, 0.0, 0.0),
        "next-test": (1, 1, 0, 1.0, 0.0),
        "mri-lumbar-spine / next-test": (1, 1, 0, 1.0, 0.0),
        "exam-piriformis / next-test": (1, 0, 0, 0.0, 0.0),
        "exam-straight-leg-raise / next-test": (1, 0, 0, 0.0, 0.0),
        "order-appropriateness": (1, 0, 1, 0.0, 1.0),
    }
