"""Shown cards with orders, feedback on them and the report command, for the report tests."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from cards.catalogue import TEST_SYSTEM as TEST
from cds_service.cli import main
from cds_service.store import Feedback, FeedbackStore
from tests.support.clock import FakeClock
from tests.support.shown import DIFFERENTIAL, ShownEvent, card

__all__ = ["accepted", "ordering", "overridden", "populate", "run_report", "show", "with_orders"]


def ordering(uuid: str, *tests: str) -> dict[str, Any]:
    """A suggestion whose actions create a draft order of each test."""
    resources = [
        {"resourceType": "ServiceRequest", "code": {"coding": [{"system": TEST, "code": t}]}}
        for t in tests
    ]
    return {"uuid": uuid, "actions": [{"type": "create", "resource": r} for r in resources]}


def with_orders(uuid: str, topic: str, tests: tuple[str, ...]) -> dict[str, Any]:
    """A card recommending ``tests``, with one suggestion ordering each, s-<test>."""
    shown = card(uuid, topic, tests=tests)
    if tests:
        shown["suggestions"] = [ordering(f"s-{test}", test) for test in tests]
    return shown


_instances = itertools.count()


def show(store: FeedbackStore, *cards: tuple[str, str, str], instance: str | None = None) -> None:
    """Record the cards of one hook call, given as (uuid, topic, test code or "")."""
    store.queue_shown_cards(
        ShownEvent(
            service_id="gluteal-pain-differential",
            hook="patient-view",
            hook_instance=instance or f"h-{next(_instances)}",
            patient_id="p-1",
            cards=[
                with_orders(uuid, topic, (test,) if test else ()) for uuid, topic, test in cards
            ],
            differential=DIFFERENTIAL,
        )
    )
    store.flush()  # written: a report read through another store (the command's) sees them


def overridden(
    clock: FakeClock, uuid: str, code: str | None, comment: str | None = None
) -> Feedback:
    """An override of ``uuid`` with the reason ``code`` (none: no reason given)."""
    return Feedback(
        card_uuid=uuid,
        outcome="overridden",
        outcome_timestamp=clock(),
        override_reason_code=code,
        override_reason_system="https://example.org/reasons" if code else None,
        user_comment=comment,
    )


def accepted(clock: FakeClock, uuid: str, *suggestions: str) -> Feedback:
    """``uuid`` accepted, by the suggestions named (the MRI order by default)."""
    chosen = suggestions or ("s-mri-lumbar-spine",)
    return Feedback(uuid, "accepted", clock(), accepted_suggestions=chosen)


def populate(store: FeedbackStore, clock: FakeClock) -> None:
    """Three patient-view calls and their feedback: the figures the report tests expect."""
    show(store, ("d-1", "differential", ""), ("n-1", "next-test", "mri-lumbar-spine"))
    show(store, ("d-2", "differential", ""), ("n-2", "next-test", "mri-lumbar-spine"))
    show(store, ("d-3", "differential", ""), ("n-3", "next-test", "exam-piriformis"))
    store.save_feedback(
        "gluteal-pain-differential",
        [
            accepted(clock, "n-1"),
            overridden(clock, "n-2", "already-done", "MRI was done last week elsewhere"),
            overridden(clock, "n-3", "already-done"),
            overridden(clock, "d-1", None),
            overridden(clock, "unknown-card", "x"),
        ],
    )


def run_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, *args: str
) -> tuple[int, str, str]:
    """``gluteal-cds feedback-report *args`` on ``url``: its status, output and errors."""
    monkeypatch.setenv("GLUTEAL_CDS_DATABASE_URL", url)
    status = main(["feedback-report", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err
