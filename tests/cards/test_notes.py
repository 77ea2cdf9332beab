"""Cards quote the note a finding was read from; the extension lists fromNotes (issue 25)."""

from __future__ import annotations

import pytest

from cards import DIFFERENTIAL_EXTENSION, NoteQuote, render_cards
from differential import KnowledgeBase, Presentation, evaluate, load_knowledge_base


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


QUOTE = NoteQuote("DocumentReference/n1", "SLR positive at 40 degrees on the right")


def test_a_reason_read_from_a_note_says_so_and_quotes_it(kb: KnowledgeBase) -> None:
    differential = evaluate(
        kb,
        Presentation(
            findings={
                "buttock-pain": True,
                "pain-radiates-below-knee": True,
                "straight-leg-raise-positive": True,
            }
        ),
    )

    cards = render_cards(
        differential,
        knowledge_url="https://cds.example.org",
        from_notes={"straight-leg-raise-positive": QUOTE},
    )

    card = next(c for c in cards if c.extension and DIFFERENTIAL_EXTENSION in c.extension)
    assert "read from a note: “SLR positive at 40 degrees on the right”" in (card.detail or "")
    assert (card.extension or {})[DIFFERENTIAL_EXTENSION]["fromNotes"] == {
        "straight-leg-raise-positive": "DocumentReference/n1"
    }


def test_without_notes_the_extension_has_no_from_notes(kb: KnowledgeBase) -> None:
    differential = evaluate(kb, Presentation(findings={"buttock-pain": True}))

    cards = render_cards(differential, knowledge_url="https://cds.example.org")

    card = next(c for c in cards if c.extension and DIFFERENTIAL_EXTENSION in c.extension)
    assert "fromNotes" not in (card.extension or {})[DIFFERENTIAL_EXTENSION]


def test_a_red_flag_from_a_note_alone_asks_to_confirm(kb: KnowledgeBase) -> None:
    differential = evaluate(
        kb, Presentation(findings={"buttock-pain": True, "saddle-numbness": True})
    )
    quote = NoteQuote("DocumentReference/n1", "new saddle numbness")

    cards = render_cards(
        differential, knowledge_url="https://cds.example.org", from_notes={"saddle-numbness": quote}
    )

    flag = cards[0]
    assert "Read from a note: confirm “new saddle numbness”" in flag.summary + (flag.detail or "")


def test_a_note_raised_flag_says_what_to_do_first_and_that_a_note_raised_it(
    kb: KnowledgeBase,
) -> None:
    # Before 1.24.0 the detail read "Do now: Read from a note: confirm ...", and a long quote
    # pushed "read from a note" out of the summary (the review's unable-to-bear-weight flag).
    differential = evaluate(
        kb, Presentation(findings={"buttock-pain": True, "unable-to-bear-weight": True})
    )
    words = "could not put any weight through the right leg at all when she tried to stand " * 2
    quote = NoteQuote("DocumentReference/n1", words.strip())

    cards = render_cards(
        differential,
        knowledge_url="https://cds.example.org",
        from_notes={"unable-to-bear-weight": quote},
    )

    flag = cards[0]
    assert flag.indicator.value == "critical"
    assert "from a note" in flag.summary.lower()
    assert "Do now: Read" not in (flag.detail or "")
    assert "Do now: Crutches now" in (flag.detail or "")
