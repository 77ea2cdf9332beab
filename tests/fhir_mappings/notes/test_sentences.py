"""Where a note's sentences start: line breaks, wrapped lines, lists a heading denies."""

from __future__ import annotations

import pytest

from fhir_mappings.notes import explain_text
from fhir_mappings.notes._sentences import unwrapped
from tests.fhir_mappings.notes.corpus import phrases, read


def _states(text: str) -> dict[str, bool | None]:
    return {m.label: state for m, state in explain_text(text, phrases())}


def test_a_line_wrapped_mid_sentence_keeps_its_negation() -> None:
    # Found by the fifth blind set (h5-03): an editor's wrap split "No urinary | retention"
    # into two sentences and raised the bladder red flag the note denies.
    text = (
        "States the L foot is getting weaker by the day, catching his toes. No urinary\n"
        "retention or incontinence, no bowel incontinence."
    )
    assert _states(text)["bladder-or-bowel-dysfunction"] is False


def test_short_lines_stay_items_of_their_own() -> None:
    # A list is not a wrapped sentence: the denial of one item never reaches the next.
    assert _states("no fever\nincontinence x2 today")["bladder-or-bowel-dysfunction"] is True


def test_an_indented_template_line_is_a_sentence_of_its_own() -> None:
    # "ROS:\n  Fever: N" read the fever present: indented lines were one sentence.
    assert _states("ROS:\n  Fever: N\n  Chills: N") == {"fever": False}
    numbness = _states("Numbness/tingling:\n  Saddle anesthesia: denies")
    assert numbness["saddle-numbness"] is False


@pytest.mark.parametrize(
    "text",
    [
        "Negative for:\n  fever\n  saddle anaesthesia",
        "Negative for:\nfever\nsaddle anaesthesia",
        "Denies:\n- fever\n- saddle anaesthesia\nPlan: MRI",
    ],
)
def test_a_heading_denies_every_item_of_its_list(text: str) -> None:
    # A review's finding: once line breaks became sentence breaks, "Negative for:" no
    # longer reached the list under it and every item read present.
    assert _states(text) == {"fever": False, "saddle-numbness": False}


def test_a_sentence_after_a_denied_list_is_not_denied() -> None:
    read = _states("Denies:\n- fever\nSaddle numbness since this morning.")
    assert read == {"fever": False, "saddle-numbness": True}


def test_a_short_line_ending_on_an_unfinished_word_was_wrapped() -> None:
    text = "No fever, no saddle anaesthesia, no urinary\nretention."
    assert _states(text)["bladder-or-bowel-dysfunction"] is False


def test_a_phrase_wrapped_over_two_lines_is_read_whole() -> None:
    # notes-recall: "low\nback pain" was read as back pain alone, and the buttock joined to
    # it lost
    text = (
        "HPI: 52 y/o M recreational runner, presents with 3 weeks of progressively worsening L "
        "buttock and low\nback pain."
    )
    found = read(text)

    assert found["low-back-pain"] is True
    assert found["buttock-pain"] is True


def test_unwrapping_keeps_every_offset_and_every_line_that_is_no_wrap() -> None:
    text = "Fever: N\nchills: N\nA long line of history that the editor wrapped in the\nmiddle."

    joined = unwrapped(text)

    assert len(joined) == len(text)
    assert joined.split("\n")[:2] == ["Fever: N", "chills: N"]  # a template's lines stay
    assert "wrapped in the middle." in joined
