"""An earlier episode is a history: resolved or dated findings are not current, histories
by nature still count, and an earlier episode's duration dates nothing (review, session 10)."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def _read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Had urinary incontinence after childbirth 3 years ago, resolved.",
            "bladder-or-bowel-dysfunction",
        ),
        ("Leg weakness resolved after physio.", "leg-weakness"),
        ("Was unable to bear weight in 2022 after ankle fracture.", "unable-to-bear-weight"),
        ("Was non weight bearing after her ankle fracture in 2020.", "unable-to-bear-weight"),
        ("Fever 3 weeks ago with a chest infection, resolved.", "fever"),
        ("Fever resolved.", "fever"),
        ("Leg weakness now resolved.", "leg-weakness"),
        ("Saddle numbness last year after epidural, resolved.", "saddle-numbness"),
    ],
)
def test_a_resolved_or_past_finding_is_not_current(text: str, code: str) -> None:
    assert code not in _read(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("New urinary incontinence.", "bladder-or-bowel-dysfunction"),
        ("Urinary incontinence since yesterday.", "bladder-or-bowel-dysfunction"),
        ("Leg weakness not resolved after physio.", "leg-weakness"),
        ("Leg weakness partially resolved.", "leg-weakness"),
        ("Unable to bear weight since this morning.", "unable-to-bear-weight"),
        # an old episode in another clause leaves today's finding alone
        (
            "Incontinent of urine x2 today, had a similar episode in 2019.",
            "bladder-or-bowel-dysfunction",
        ),
        ("New saddle numbness, old back injury in 2019.", "saddle-numbness"),
        ("Saddle numbness and retention, PMH disc surgery 2019.", "saddle-numbness"),
        # back again, later in the sentence
        ("Leg weakness resolved, but recurred yesterday.", "leg-weakness"),
        ("Saddle numbness in 2019, now again.", "saddle-numbness"),
        # going on since the time named
        ("Buttock pain started 3 years ago.", "buttock-pain"),
        ("Incontinence since the stroke 5 years ago.", "bladder-or-bowel-dysfunction"),
    ],
)
def test_a_current_finding_beside_a_past_time_still_reads(text: str, code: str) -> None:
    assert _read(text).get(code) is True


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Stress fracture in 2019.", "prior-stress-fracture"),
        ("Stress fracture 2 years ago, healed.", "prior-stress-fracture"),
        ("Breast ca 2015, in remission.", "cancer-history"),
    ],
)
def test_a_history_by_nature_still_counts(text: str, code: str) -> None:
    assert _read(text).get(code) is True


def test_a_stress_fracture_ruled_out_is_never_a_prior_one() -> None:
    text = (
        "L buttock and groin pain. Patient worried about a stress fracture like her teammate. "
        "Stress fracture ruled out on MRI last week."
    )

    assert "prior-stress-fracture" not in _read(text)
    assert _read("Stress fracture ruled out on MRI.") == {}
    assert _read("H/o stress fracture 2019; new one ruled out on MRI.") == {
        "prior-stress-fracture": True
    }


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (
            "R buttock pain radiating below the knee x 1/52. "
            "Had similar pain 2 years ago for 8 weeks.",
            7,
        ),
        ("Had pain 2 years ago for 8 weeks. Now buttock pain x 10 days.", 10),
        ("Buttock pain x 3 weeks, similar episode 2 years ago.", 21),
        ("Similar pain 2 years ago, lasting 8 weeks. Current buttock pain 5 days.", 5),
        ("L buttock pain 2 years ago, resolved; now R buttock pain x 3 weeks.", 21),
        # the current episode's own durations still date it
        ("Buttock pain started 3 years ago.", 1095),
        ("Buttock pain for 8 weeks.", 56),
    ],
)
def test_an_earlier_episodes_duration_dates_nothing(text: str, days: int) -> None:
    assert read_text(text, phrases()).duration_days == days
