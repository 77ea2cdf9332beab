"""A template's choice field after a finding: a choice made reads as that choice, a list
offered with nothing chosen, an answer that is no answer, or a zero score never raise the
finding (review, session 10)."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._choices import choice_answer
from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def _read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Fever: Y", "fever", True),
        ("Fever Y/N: Y", "fever", True),
        ("Fever Y/N: N", "fever", False),
        ("Fever N/Y: N", "fever", False),
        ("Fever (Y/N): yes", "fever", True),
        ("Saddle anaesthesia Y/N: N", "saddle-numbness", False),
        ("Bladder/bowel change (Y/N): N", "bladder-or-bowel-dysfunction", False),
        ("Bladder/bowel change (Y/N): **N**", "bladder-or-bowel-dysfunction", False),
        ("Bladder/bowel change (Y/N): **Y**", "bladder-or-bowel-dysfunction", True),
        ("Fever: [ ] Yes [x] No", "fever", False),
        ("Fever: [x] Yes [ ] No", "fever", True),
        ("Saddle numbness: Yes [ ] No [x]", "saddle-numbness", False),
        ("Saddle numbness: Yes [x] No [ ]", "saddle-numbness", True),
        ("Fever: (x) Yes ( ) No", "fever", True),
        ("Fever: \u2610 Yes \u2612 No", "fever", False),
        ("Fever: \u2611 Yes \u2610 No", "fever", True),
        # a zero score is the finding absent; any other score, present
        ("Pain on impact: 0/10", "pain-on-impact", False),
        ("Pain on impact: 6/10", "pain-on-impact", True),
        ("Saddle numbness: 0/10", "saddle-numbness", False),
    ],
)
def test_a_choice_made_reads_as_that_choice(text: str, code: str, state: bool) -> None:
    assert _read(text).get(code) is state


@pytest.mark.parametrize(
    "text",
    [
        "Fever Y/N:",
        "Fever (Y/N):",
        "Fever: Y / N",
        "Fever: Yes / No",
        "Fever: No/Yes",
        "Saddle anaesthesia Y/N:\nFever Y/N:",
        "Fever: ( ) Yes ( ) No",
        "Fever: \u2610 Yes \u2610 No",
        "Fever: [x] Yes [x] No",  # both ticked: no answer either way
        "Radiation below knee: N/A.",
        "Weakness: unable to assess",
        "Weakness: not assessed",
        "Fever: not tested",
        "Saddle numbness: unknown",
        "Incontinence: N/A",
        "Saddle numbness 0/10",  # no field's mark: too little to deny a red flag
    ],
)
def test_a_choice_nobody_made_is_no_finding(text: str) -> None:
    assert _read(text) == {}


def test_the_reviewers_template_raises_no_red_flag() -> None:
    text = "L buttock pain x 2 weeks.\nFever Y/N:\nSaddle anaesthesia Y/N:\n"

    assert _read(text) == {"buttock-pain": True}


def test_each_field_of_a_line_is_read_apart() -> None:
    found = _read("Fever: [ ] Yes [x] No   Saddle numbness: [x] Yes [ ] No")

    assert found == {"fever": False, "saddle-numbness": True}


@pytest.mark.parametrize(
    ("after", "answer"),
    [
        (" Y/N:", "unknown"),
        (": Y / N", "unknown"),
        (" change (Y/N): **N**", "no"),
        (": 0/10", "no"),
        (": 6/10", None),
        (" 0/10 at rest", None),  # a score with more after it is no answer
        (": N/A", "unknown"),
        (" radiating to the calf", None),  # no field at all
        (": Y", None),  # a plain answer is the field reader's
    ],
)
def test_choice_answer_of_the_words_after_a_phrase(after: str, answer: str | None) -> None:
    assert choice_answer(after) == answer
