"""Notes' findings beside the coded record: who wins, windows, tests, durations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fhir_mappings import FindingSource, PatientRecord, map_patient_record
from fhir_mappings.notes import NotesRead, apply_notes, note_onsets
from fhir_mappings.notes._read import DatedFinding

NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)
WINDOW = timedelta(days=180)


def noted(code: str, present: bool = True, when: datetime | None = NOW) -> DatedFinding:
    return DatedFinding(code, present, "words", "DocumentReference/n1", when)


def coded(code: str, present: bool, when: datetime) -> PatientRecord:
    return PatientRecord(
        findings={code: present}, sources=(FindingSource(code, present, "o1", when),)
    )


def applied(record: PatientRecord, *found: DatedFinding, **options: object) -> PatientRecord:
    return apply_notes(
        record,
        NotesRead(findings=found),
        evaluated_at=NOW,
        max_age=WINDOW,
        **options,  # type: ignore[arg-type]
    )


def test_a_coded_finding_of_the_same_day_wins_and_an_older_one_loses() -> None:
    same_day = coded("fever", False, NOW.replace(hour=1))
    older = coded("fever", False, NOW - timedelta(days=3))

    assert (
        applied(same_day, noted("fever", when=NOW - timedelta(hours=2))).findings["fever"] is False
    )
    newer = applied(older, noted("fever"))
    assert newer.findings["fever"] is True
    assert newer.from_notes["fever"].reference == "DocumentReference/n1"


def test_an_undated_note_loses_to_any_coded_finding_and_sets_no_test() -> None:
    record = coded("fever", False, NOW - timedelta(days=100))

    result = applied(
        record,
        noted("fever", when=None),
        noted("straight-leg-raise-positive", when=None),
        noted("buttock-pain", when=None),
        test_findings=frozenset({"straight-leg-raise-positive"}),
    )

    assert result.findings == {"fever": False, "buttock-pain": True}


def test_notes_older_than_the_window_count_only_for_histories() -> None:
    old = NOW - timedelta(days=400)

    result = applied(
        PatientRecord(),
        noted("fever", when=old),
        noted("prior-stress-fracture", when=old),
        histories=frozenset({"prior-stress-fracture"}),
    )

    assert result.findings == {"prior-stress-fracture": True}


def test_a_dated_note_is_a_first_record_even_where_a_coded_finding_decides() -> None:
    """A note of groin pain before the coded one dates when it was first present; an undated
    note or one older than the window dates nothing."""
    record = replace(
        coded("groin-pain", True, NOW - timedelta(days=2)),
        first_present_at={"groin-pain": NOW - timedelta(days=2)},
    )
    result = applied(
        record,
        noted("groin-pain", when=NOW - timedelta(days=60)),
        noted("groin-pain", False, when=NOW - timedelta(days=90)),
        noted("fever", False, when=None),
        noted("buttock-pain", when=NOW - timedelta(days=400)),
    )
    assert result.findings["groin-pain"] is True
    assert result.from_notes.get("groin-pain") is None  # the coded finding still decides
    assert result.first_present_at == {"groin-pain": NOW - timedelta(days=60)}
    assert result.first_absent_at == {"groin-pain": NOW - timedelta(days=90)}


def onset(weeks: int, noted_days_ago: int = 1) -> DatedFinding:
    noted = NOW - timedelta(days=noted_days_ago)
    return DatedFinding(
        "symptoms-over-6-weeks",
        True,
        f"{weeks} weeks of pain",
        "DocumentReference/n1",
        noted - timedelta(weeks=weeks),
        noted,
    )


def over(*onsets: DatedFinding) -> tuple[bool | None, PatientRecord]:
    """symptoms-over-6-weeks as the mapper derives it with the notes' onsets, then notes applied."""
    notes = NotesRead(onsets=onsets)
    record = map_patient_record(
        None,
        None,
        None,
        evaluated_at=NOW,
        note_onsets=note_onsets(notes, evaluated_at=NOW, max_age=WINDOW),
    )
    record = apply_notes(record, notes, evaluated_at=NOW, max_age=WINDOW)
    return record.findings.get("symptoms-over-6-weeks"), record


def test_a_stated_duration_dates_the_onset_and_the_reason_quotes_it() -> None:
    assert over(onset(4))[0] is False
    state, record = over(onset(4), onset(7))  # the earliest onset
    assert state is True
    assert record.from_notes["symptoms-over-6-weeks"].quote == "7 weeks of pain"


def test_a_duration_stated_in_a_note_older_than_the_window_is_no_onset() -> None:
    assert over(onset(7, noted_days_ago=200))[0] is None


def test_a_dated_note_joins_the_coded_states_of_its_finding() -> None:
    """A note saying the pain had gone sits between the coded records, so a complaint gone at
    a result and back since is read as new; undated and too-old notes add no state."""
    record = replace(
        coded("groin-pain", True, NOW - timedelta(days=2)),
        recorded_states={
            "groin-pain": ((NOW - timedelta(days=90), True), (NOW - timedelta(days=2), True))
        },
    )
    result = applied(
        record,
        noted("groin-pain", False, when=NOW - timedelta(days=30)),
        noted("groin-pain", False, when=None),
        noted("groin-pain", False, when=NOW - timedelta(days=400)),
    )
    assert result.recorded_states == {
        "groin-pain": (
            (NOW - timedelta(days=90), True),
            (NOW - timedelta(days=30), False),
            (NOW - timedelta(days=2), True),
        )
    }


def test_a_note_of_the_same_day_as_a_coded_record_adds_no_state() -> None:
    """Contract 3a: a coded record of the same day wins over a note, in the states too."""
    day = NOW - timedelta(days=10)
    record = replace(
        coded("groin-pain", True, day.replace(hour=8)),
        recorded_states={"groin-pain": ((day.replace(hour=8), True),)},
    )
    result = applied(record, noted("groin-pain", False, when=day.replace(hour=9)))
    assert result.recorded_states == {"groin-pain": ((day.replace(hour=8), True),)}
