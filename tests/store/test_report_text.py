"""Caller text in the report: one line, no control character, escapes shown (issue 15)."""

from __future__ import annotations

from cds_service.store import FeedbackStore
from cds_service.store.report import render_report
from tests.support.clock import FakeClock
from tests.support.shown import card, overridden_card, shown_in_call


def test_the_report_table_cannot_be_forged_by_override_text(
    store: FeedbackStore, clock: FakeClock
) -> None:
    store.queue_shown_cards(
        shown_in_call("h", card("c-1", "differential"), card("c-2", "next-test"))
    )
    forged_row = "x\n  next-test        999       0         999"
    store.save_feedback(
        "gluteal-pain-differential",
        [
            overridden_card(clock, "c-1", display=forged_row, comment="\x1b[2J\x1b[31mred\u202e"),
            overridden_card(clock, "c-2", comment="two\r\nlines"),
        ],
    )
    text = render_report(store.report())

    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\r" not in text
    assert "999" not in text.split("override reason")[0]  # no forged table row
    assert all(not line.startswith("  next-test        999") for line in text.splitlines())
    assert "\\x1b[2J" in text  # shown, escaped, not executed
