"""Safety-netting and education never raise a finding; a finding stated before the advice
still does (review, session 10; contract 3a)."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def _read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Explained signs of cauda equina (saddle numbness, incontinence).",
        "Advised about red flags of cauda equina such as saddle numbness.",
        "Educated about signs of CES including saddle anaesthesia and urinary retention.",
        "Education given re saddle anaesthesia and incontinence.",
        "Counselled re cauda equina symptoms (saddle numbness, retention).",
        "Warned of saddle numbness and incontinence.",
        "Return if saddle numbness or incontinence.",
        "Advised to return with saddle numbness or incontinence.",
        "Return to ED with saddle numbness or incontinence.",
        "Seek urgent help with fever or saddle numbness.",
        "Told to return to ED if saddle numbness.",
        "Explained that new numbness in the saddle area would need same-day review.",
    ],
)
def test_safety_netting_raises_no_finding(text: str) -> None:
    # past a colon the words may be the findings (review 10b): tests/.../test_review10b.py
    assert _read(text) == {}


def test_the_reviewers_note_raises_no_red_flag() -> None:
    text = (
        "L buttock pain. Risk of stress fracture discussed. Explained signs of cauda equina "
        "(saddle numbness, incontinence)."
    )

    assert _read(text) == {"buttock-pain": True}


@pytest.mark.parametrize(
    "text",
    [
        "Has saddle numbness since yesterday; explained cauda equina.",
        "Has saddle numbness since yesterday, explained cauda equina.",
        "Saddle numbness since yesterday, CES discussed with on-call spinal team.",
        "Discussed with spinal registrar: saddle numbness since this morning.",
        "Explained diagnosis. Saddle numbness since yesterday.",
        "Saddle numbness. Warned about fever.",
        # a teaching verb alone states what is there
        "Explained that her saddle numbness needs an urgent MRI.",
        "Advised to attend ED now given saddle numbness and retention.",
        "Did not seek help despite saddle numbness for 3 days.",
    ],
)
def test_a_finding_stated_beside_the_advice_still_reads(text: str) -> None:
    assert _read(text).get("saddle-numbness") is True


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Discussed her fever, which started on Monday.", "fever"),
        ("Referred for counselling for disordered eating.", "low-energy-availability"),
        ("Well educated runner with saddle numbness since Monday.", "saddle-numbness"),
    ],
)
def test_a_verb_without_what_it_teaches_is_no_safety_net(text: str, code: str) -> None:
    assert _read(text).get(code) is True
