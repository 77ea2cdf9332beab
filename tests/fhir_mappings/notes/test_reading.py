"""How mentions count in one note: durations, quotes, a present mention beats an absent one."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from fhir_mappings.notes._reading import MAX_QUOTE, Read
from tests.fhir_mappings.notes.corpus import phrases


def read(text: str) -> Read:
    return read_text(text, phrases())


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("5 weeks of R buttock pain.", 35),
        ("Buttock pain x 4 wks.", 28),
        ("3/12 hx of LBP, worse sitting.", 90),
        ("Buttock pain for 3/52.", 21),
        ("Buttock pain, five weeks.", 35),
        ("Buttock pain 10d.", 10),
    ],
)
def test_a_stated_duration_of_pain_is_read_in_days(text: str, days: int) -> None:
    assert read(text).duration_days == days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("PC: R buttock pain. Duration: 8 weeks.", 56),
        ("Presenting complaint: L buttock ache.\nDuration: 4/52", 28),
        ("Onset: 10 wks ago, gradual.", 70),
    ],
)
def test_a_duration_in_a_template_field_of_the_complaint_is_read(text: str, days: int) -> None:
    # A template's "Duration:" field dates the complaint without naming the pain.
    assert read(text).duration_days == days


def test_a_duration_not_about_pain_is_not_an_onset() -> None:
    assert read("Amenorrhoea x 8 months.").duration_days is None
    assert read("Plan: review buttock pain in 2/52.").duration_days is None
    assert read("On the pill. Duration of use: 2 years.").duration_days is None


def test_an_age_is_not_a_duration_of_pain() -> None:
    # notes-recall: "61 year old" read as 61 years of pain
    assert read("61 year old runner with buttock pain x 3 wks.").duration_days == 21
    assert read("A 45 years-old man with buttock pain.").duration_days is None


def test_quotes_are_the_sentence_cut_to_80_characters_around_the_words() -> None:
    text = (
        "Long history of running since school, several marathons, now training for an ultra "
        "with R buttock pain that shoots down back of leg to calf since the last long run."
    )

    found = {f.finding: f.quote for f in read(text).findings}

    quote = found["pain-radiates-below-knee"]
    assert len(quote) <= MAX_QUOTE
    assert "shoots down back of leg to calf" in quote


def test_one_side_positive_and_the_other_negative_reads_present() -> None:
    found = {f.finding: f.present for f in read("SLR neg on L. SLR +ve on R.").findings}

    assert found["straight-leg-raise-positive"] is True


def test_past_medical_history_counts_only_for_histories() -> None:
    found = {f.finding: f.present for f in read("PMH: stress fracture, numbness").findings}

    assert found == {"prior-stress-fracture": True}


def _states(text: str) -> dict[str, bool]:
    return {found.finding: found.present for found in read(text).findings}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("R buttock pain x 3 wks. Afebrile.", "fever"),
        ("Apyrexial on arrival. Buttock pain.", "fever"),
        ("Buttock pain. Periods regular.", "amenorrhoea"),
        ("Buttock pain; regular menses.", "amenorrhoea"),
        # Knowledge base 1.13.0: bearing weight fully now (held-out-2 notes k02, k06, k12).
        ("O/E: apyrexial, fully weight bearing.", "unable-to-bear-weight"),
        ("Full weight bearing but painful; pain on landing.", "unable-to-bear-weight"),
        ("Weight bearing fully, gait normal.", "unable-to-bear-weight"),
    ],
)
def test_words_that_say_a_finding_is_absent_read_as_absent(text: str, finding: str) -> None:
    # Knowledge base 1.11.0: before, "Afebrile" was no finding at all (held-out note h02).
    assert _states(text)[finding] is False


@pytest.mark.parametrize(
    "text",
    [
        "Buttock pain. ? afebrile.",  # doubted
        "Mother afebrile.",  # a relative's
        "Not afebrile per the nurse. Buttock pain.",  # too odd to read either way
        "Return if no longer afebrile.",  # safety-netting
    ],
)
def test_an_absent_phrase_in_doubt_or_about_someone_else_is_no_finding(text: str) -> None:
    assert "fever" not in _states(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # An antipyretic or an earlier time hides a fever; the pill's withdrawal bleeds are
        # regular whatever the athlete's own cycle; weight bearing that is partial, negated,
        # hoped for, advised or past is no absence (it must not silence a red flag).
        ("Afebrile on paracetamol. Buttock pain.", "fever"),
        ("Was afebrile yesterday, today T 38.9. Buttock pain.", "fever"),
        ("Periods regular on the pill. Buttock pain.", "amenorrhoea"),
        ("Periods regular until 6 months ago, none since. Buttock pain.", "amenorrhoea"),
        ("Unable to achieve full weight bearing. Buttock pain.", "unable-to-bear-weight"),
        ("Not yet fully weight bearing. Buttock pain.", "unable-to-bear-weight"),
        ("Goal: fully weight bearing by next week. Buttock pain.", "unable-to-bear-weight"),
        ("Unable to fully weight bear. Buttock pain.", "unable-to-bear-weight"),
        ("Not fully weight bearing. Buttock pain.", "unable-to-bear-weight"),
        ("Partial weight bearing on crutches. Buttock pain.", "unable-to-bear-weight"),
        ("Fully weight bearing with crutches. Buttock pain.", "unable-to-bear-weight"),
        ("Should be fully weight bearing in 2 weeks. Buttock pain.", "unable-to-bear-weight"),
        ("Advised full weight bearing as tolerated. Buttock pain.", "unable-to-bear-weight"),
        ("Was fully weight bearing before the fall. Buttock pain.", "unable-to-bear-weight"),
        ("Fully weight bearing?", "unable-to-bear-weight"),
        ("If not fully weight bearing by Friday, XR.", "unable-to-bear-weight"),
        ("FWB as tolerated. Buttock pain.", "unable-to-bear-weight"),  # an instruction
        ("Mum fully weight bearing. Buttock pain.", "unable-to-bear-weight"),
        ("NWB. Fully weight bearing from Monday.", "unable-to-bear-weight"),
    ],
)
def test_absent_words_are_not_read_where_they_could_hide_the_finding(
    text: str, finding: str
) -> None:
    assert _states(text).get(finding) is not False


def test_a_fever_stated_beside_afebrile_in_one_note_still_counts() -> None:
    # Present beats absent within a note: "febrile overnight, now afebrile" keeps the flag.
    assert _states("Febrile 38.6 overnight, now afebrile. Buttock pain.")["fever"] is True


def test_irregular_periods_are_not_read_as_regular_ones() -> None:
    assert _states("Irregular periods. Buttock pain.")["amenorrhoea"] is True


def test_unable_to_bear_weight_beside_full_weight_bearing_earlier_still_counts() -> None:
    text = "Was fully weight bearing until the fall; now unable to weight bear."
    assert _states(text)["unable-to-bear-weight"] is True


@pytest.mark.parametrize(
    ("text", "days"),
    [
        # notes-recall: durations as real notes write them
        ("Presents with L buttock and groin pain starting ~10 days ago.", 10),
        ("Onset: gradual, ~3 months.", 90),
        ("A 2-month history of left buttock pain.", 60),
        ("It's been about 6 weeks now since my bum started hurting.", 42),
        ("Returned to running 3 weeks ago; L buttock pain began with the return to running.", 21),
        ("Sport: Track   Date of injury: 10 days ago", 10),
    ],
)
def test_a_duration_written_as_real_notes_write_it_is_read(text: str, days: int) -> None:
    assert read(text).duration_days == days


def test_a_duration_in_the_clause_after_a_pain_is_not_stretched_past_its_sentence() -> None:
    # the clause after a semicolon is looked at only up to the sentence's end
    assert read("Ran 3 times a week for 5 years; no issues. Buttock pain.").duration_days is None


def test_a_film_showing_something_is_no_normal_film_whatever_else_it_denies() -> None:
    # notes-recall: "cam morphology ... No fracture" read a normal radiograph, the present
    # mention winning as it does for findings
    found = read("XR AP pelvis: mild joint space narrowing R, cam morphology. No fracture.")

    assert {f.finding: f.present for f in found.findings}["xray-hip-pelvis-normal"] is False


def test_a_present_mention_still_wins_for_other_findings() -> None:
    found = read("FADIR R -ve. FADIR L +ve.")

    assert {f.finding: f.present for f in found.findings}["hip-impingement-test-positive"] is True
