"""The second review of session 10 (review 10b): today's note fixes silenced real red flags.

A missed red flag is worse than a false alarm (contract 3a: only safety-netting and fields
nobody answered are silenced, never a statement of fact). Each sentence is read as a
clinician reads it: present, absent, or not stated (unknown).
"""

from __future__ import annotations

import pytest

from fhir_mappings import SearchResults
from fhir_mappings.notes import read_notes
from fhir_mappings.notes._cache import ReadCache
from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases
from tests.fhir_mappings.resources import document_reference

PRESENT, ABSENT, UNKNOWN = True, False, None


def _read(text: str, year: int = 2026) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases(), year=year).findings}


def _state(text: str, code: str, year: int = 2026) -> bool | None:
    return _read(text, year).get(code)


# Every sentence of the reviewer's regressions.txt, as a clinician reads it.
@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        # 1. a padded or tabbed yes/no answer
        ("Fever Y/N:  Y", "fever", PRESENT),
        ("Fever Y/N:\tY", "fever", PRESENT),
        ("Saddle anaesthesia (Y/N)   Y", "saddle-numbness", PRESENT),
        ("Bladder/bowel change (Y/N):   Y", "bladder-or-bowel-dysfunction", PRESENT),
        ("Fever: N/A - 38.9 on arrival", "fever", PRESENT),
        # 3. a pain eased by rest or treatment is still the complaint
        ("Right buttock pain on running, settled with rest.", "buttock-pain", PRESENT),
        ("Buttock pain 8 weeks, resolved partially with physio.", "buttock-pain", PRESENT),
        # 2. a date within the note's year is now
        ("Unable to bear weight after fall on 2026-12-05.", "unable-to-bear-weight", PRESENT),
        ("Fever in December 2026.", "fever", PRESENT),
        ("Unable to weight bear (fall 04 Dec 2026).", "unable-to-bear-weight", PRESENT),
        # 6. weight lost over the last year is current
        ("Unintentional weight loss of 6 kg last year.", "unexplained-weight-loss", PRESENT),
        # 3. a catheter treats retention, not its cause
        ("Urinary retention, resolved with catheter.", "bladder-or-bowel-dysfunction", PRESENT),
        ("Retention, settled after catheter.", "bladder-or-bowel-dysfunction", PRESENT),
        # 4. headings, reported findings and words past a colon or a dash are findings
        (
            "Symptoms of cauda equina: saddle numbness and urinary retention since this morning.",
            "saddle-numbness",
            PRESENT,
        ),
        (
            "Symptoms of cauda equina: saddle numbness and urinary retention since this morning.",
            "bladder-or-bowel-dysfunction",
            PRESENT,
        ),
        (
            "Red flags of cauda equina discussed: she has saddle numbness and urinary retention.",
            "saddle-numbness",
            PRESENT,
        ),
        (
            "Features of cauda equina syndrome - saddle numbness, retention, bilateral sciatica.",
            "saddle-numbness",
            PRESENT,
        ),
        ("Signs of infection: temp 38.9, raised CRP.", "fever", PRESENT),
        ("Symptoms of infection: fever 38.6, rigors.", "fever", PRESENT),
        ("Warned of cauda equina - already has saddle numbness today.", "saddle-numbness", PRESENT),
        (
            "Informed of the symptoms, she has saddle numbness and retention.",
            "bladder-or-bowel-dysfunction",
            PRESENT,
        ),
        (
            "Patient explained that new numbness started in the saddle area this morning.",
            "saddle-numbness",
            PRESENT,
        ),
        ("Patient explained symptoms: saddle numbness and retention.", "saddle-numbness", PRESENT),
        (
            "Discussed symptoms with patient: saddle numbness since Monday.",
            "saddle-numbness",
            PRESENT,
        ),
        ("Has come back with saddle numbness and retention.", "saddle-numbness", PRESENT),
        ("Advised regarding crutches as unable to bear weight.", "unable-to-bear-weight", PRESENT),
        (
            "Advised of MRI result: disc extrusion, saddle numbness persists.",
            "saddle-numbness",
            PRESENT,
        ),
        ("Did not seek medical help until saddle numbness started.", "saddle-numbness", PRESENT),
        # the reviewer's wider sweep (sentences*.txt, s6.txt)
        (
            "Explained that any new saddle numbness would need ED; she already has some today.",
            "saddle-numbness",
            PRESENT,
        ),
        ("Warned of the risk of falls as unable to bear weight.", "unable-to-bear-weight", PRESENT),
        (
            "Aware of CES symptoms as she has had saddle numbness since Monday.",
            "saddle-numbness",
            PRESENT,
        ),
        (
            "Pt explained that any sitting is painful and she has saddle numbness.",
            "saddle-numbness",
            PRESENT,
        ),
        (
            "Discussed the signs of cauda equina with the registrar: saddle numbness since this "
            "morning.",
            "saddle-numbness",
            PRESENT,
        ),
        (
            "Red flags of CES: saddle numbness present, bladder retention present.",
            "saddle-numbness",
            PRESENT,
        ),
        (
            "Retention resolved after catheterisation, residual 900 ml.",
            "bladder-or-bowel-dysfunction",
            PRESENT,
        ),
        (
            "Urinary retention settled after catheterisation this morning.",
            "bladder-or-bowel-dysfunction",
            PRESENT,
        ),
        ("Incontinence episode in 2026, ongoing.", "bladder-or-bowel-dysfunction", PRESENT),
        ("Lost weight last year, 7 kg, unintentional.", "unexplained-weight-loss", PRESENT),
        ("8 kg weight loss in the last year.", "unexplained-weight-loss", PRESENT),
        ("Buttock pain, settled with rest but recurs with every run.", "buttock-pain", PRESENT),
        ("Buttock pain when running, settled after stopping.", "buttock-pain", PRESENT),
        ("Buttock pain, resolved with rest, returns on running.", "buttock-pain", PRESENT),
        ("Red flags: [ ] fever [x] saddle numbness [x] urinary retention", "fever", UNKNOWN),
        (
            "Red flags: [ ] fever [ ] saddle numbness [ ] urinary retention",
            "saddle-numbness",
            UNKNOWN,
        ),
        ("Fever: [ ]Yes  [x]No", "fever", ABSENT),
    ],
)
def test_the_reviewers_sentences_read_as_a_clinician_reads_them(
    text: str, code: str, state: bool | None
) -> None:
    assert _state(text, code) is state


# 5. the current episode's own durations date the complaint
@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("First episode of buttock pain, 10 weeks.", 70),
        ("Current episode of buttock pain for 8 weeks.", 56),
        ("This episode of buttock pain began 6 weeks ago, similar pain 2 years ago.", 42),
        ("Episode of buttock pain for 8 weeks, worse on running.", 56),
        ("Second episode of buttock pain, x 10/52.", 70),
        ("Buttock pain, an episode lasting 10 weeks so far.", 70),
        ("Buttock pain started 3 months ago, settled for a week then returned.", 90),
        # an earlier episode's still dates nothing
        ("Similar episode 2 years ago for 8 weeks. Buttock pain x 10 days.", 10),
        ("Right buttock pain for 10 weeks, last episode 2 years ago lasted 3 weeks.", 70),
        ("Buttock pain x 3/52, similar episode 2 years ago for 8 weeks.", 21),
    ],
)
def test_the_current_episodes_duration_counts(text: str, days: int) -> None:
    assert read_text(text, phrases(), year=2026).duration_days == days


def test_a_first_episode_over_six_weeks_with_a_cancer_history_is_read_whole() -> None:
    read = read_text(
        "First episode of buttock pain, 10 weeks. H/o breast cancer 2019.", phrases(), year=2026
    )

    assert read.duration_days == 70
    assert {f.finding: f.present for f in read.findings}.get("cancer-history") is True


# 2. only a year before the note's year is the past
@pytest.mark.parametrize(
    ("text", "year", "state"),
    [
        ("Fever in December 2026.", 2026, PRESENT),
        ("Fever in December 2026.", 2027, UNKNOWN),
        ("Fever in 2019.", 2026, UNKNOWN),
        ("Fever this year.", 2026, PRESENT),
        ("Fever on 2026-11-30.", 2026, PRESENT),
    ],
)
def test_a_year_is_past_only_before_the_notes_year(text: str, year: int, state: bool) -> None:
    assert _state(text, "fever", year) is state


def test_saddle_numbness_dated_this_year_is_current() -> None:
    assert _state("Saddle numbness from 2026-12-04.", "saddle-numbness") is PRESENT
    assert (
        _state("Was unable to bear weight in 2022 after ankle fracture.", "unable-to-bear-weight")
        is UNKNOWN
    )


# 3. resolved with a treatment or rest, or only partly: still there
@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Buttock pain eased with rest.", "buttock-pain", PRESENT),
        ("Leg weakness resolved partially.", "leg-weakness", PRESENT),
        ("Leg weakness partly settled.", "leg-weakness", PRESENT),
        ("Saddle numbness, partially resolved.", "saddle-numbness", PRESENT),
        ("Saddle numbness partly settled.", "saddle-numbness", PRESENT),
        ("Fever settled with paracetamol.", "fever", PRESENT),
        ("Fever resolved.", "fever", UNKNOWN),
        ("Leg weakness resolved after physio.", "leg-weakness", UNKNOWN),
        ("Leg weakness resolved after 2 weeks.", "leg-weakness", UNKNOWN),
        ("Leg weakness resolved.", "leg-weakness", UNKNOWN),
        # the complaint's pain: only "resolved" closing its clause ends it
        ("Right buttock pain on running, settled overnight.", "buttock-pain", PRESENT),
        ("Buttock pain settled quickly on stopping.", "buttock-pain", PRESENT),
        ("Buttock pain resolved completely.", "buttock-pain", UNKNOWN),
        ("Back pain resolved.", "low-back-pain", UNKNOWN),
    ],
)
def test_a_resolution_by_treatment_or_in_part_is_no_ended_episode(
    text: str, code: str, state: bool | None
) -> None:
    assert _state(text, code) is state


def test_a_pattern_statement_never_drops_the_complaint_nor_the_red_flag_after_it() -> None:
    text = (
        "Right buttock pain on running, settled with rest. New saddle numbness since this morning."
    )

    assert _read(text) == {"buttock-pain": True, "saddle-numbness": True}


# 6. weight lost over the last year
@pytest.mark.parametrize(
    "text",
    [
        "Unintentional weight loss of 6 kg last year.",
        "Unintentional weight loss over the last year.",
        "Unintentional weight loss of 5 kg in the past year.",
    ],
)
def test_weight_lost_over_the_last_year_is_current(text: str) -> None:
    assert _state(text, "unexplained-weight-loss") is PRESENT


# 7. a checklist's boxes stand before their labels
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Red flags screened: [ ] fever [ ] weight loss [ ] saddle anaesthesia "
            "[ ] bladder/bowel change",
            {},
        ),
        ("Red flags screened: [ ] fever [x] saddle numbness", {"saddle-numbness": True}),
        ("[ ] fever [x] saddle numbness", {"saddle-numbness": True}),
        ("[x] fever [ ] saddle numbness", {"fever": True}),
        ("Fever [ ] saddle numbness [x]", {"saddle-numbness": True}),
    ],
)
def test_each_box_belongs_to_the_label_after_it(text: str, expected: dict[str, bool]) -> None:
    assert _read(text) == expected


# 1. padded answers answer their field either way; a field left blank stays unknown
@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Fever Y/N  N", ABSENT),
        ("Fever Y/N\tN", ABSENT),
        ("Fever Y/N:   ", UNKNOWN),
        ("Fever: N/A", UNKNOWN),
    ],
)
def test_a_padded_answer_reads_its_field(text: str, state: bool | None) -> None:
    assert _state(text, "fever") is state


# 4. narrowed: a warning never reaches past a colon, so a list after one reads (a false
# alarm accepted; the words may be the patient's findings)
@pytest.mark.parametrize(
    "text",
    [
        "Discussed symptoms of cauda equina: saddle numbness, bladder or bowel incontinence.",
        "Informed of red flags: saddle numbness, fever.",
        "Red flags of CES: saddle numbness, retention.",
        "Discussed cauda equina symptoms: saddle numbness, incontinence.",
    ],
)
def test_a_warning_reaches_no_list_after_a_colon(text: str) -> None:
    assert _state(text, "saddle-numbness") is PRESENT


# 4. what still is safety-netting: the warning reaches the findings it names
@pytest.mark.parametrize(
    "text",
    [
        "Explained signs of cauda equina (saddle numbness, incontinence).",
        "Advised to return with saddle numbness or incontinence.",
        "Return if saddle numbness or incontinence.",
        "Seek urgent help if fever or saddle numbness.",
        "I have explained that if he develops any bladder disturbance or saddle numbness he "
        "must attend the emergency department immediately.",
        "Discussed return precautions: new bladder/bowel incontinence, saddle numbness -> ED.",
        "Educated about signs of CES including saddle anaesthesia and urinary retention.",
        # "such as", "as well as" list what is taught; "as" alone gives a reason
        "Warned of cauda equina symptoms such as saddle numbness and retention.",
        "Warned of saddle numbness as well as retention.",
        "Explained red flags, which are saddle numbness and retention.",
    ],
)
def test_safety_netting_still_raises_nothing(text: str) -> None:
    assert _state(text, "saddle-numbness") is UNKNOWN


# 2. a note's own date sets its year, and the same words in notes of two years read apart
def test_a_notes_date_sets_the_year_its_words_are_read_in() -> None:
    text = "Fever in December 2026, 38.9."
    this_year = document_reference(text, id="d1", date="2026-12-05T08:00:00Z")
    next_year = document_reference(text, id="d2", date="2027-12-05T08:00:00Z")
    cache = ReadCache()

    read = read_notes(SearchResults([this_year, next_year]), "p1", phrases(), cache=cache)

    fevers = {f.reference: f.present for f in read.findings if f.finding == "fever"}
    assert fevers == {"DocumentReference/d1": True}


@pytest.mark.parametrize(("evaluated", "present"), [(2026, True), (2027, None)])
def test_an_undated_note_is_read_as_of_the_evaluations_year(
    evaluated: int, present: bool | None
) -> None:
    note = document_reference("Fever in December 2026, 38.9.")

    read = read_notes(
        SearchResults([note]), "p1", phrases(), cache=ReadCache(), undated_year=evaluated
    )

    assert {f.finding: f.present for f in read.findings}.get("fever") is present
