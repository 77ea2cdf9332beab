"""Notes' findings beside the coded record: who wins, windows, tests, durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fhir_mappings import FindingSource, PatientRecord
from fhir_mappings.notes import NotesRead, apply_notes
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


def test_a_stated_duration_gives_symptoms_over_six_weeks_unless_recorded() -> None:
    five_weeks = DatedFinding(
        "symptoms-over-6-weeks", True, "5 weeks of", "D/n", NOW - timedelta(weeks=5)
    )
    seven_weeks = DatedFinding(
        "symptoms-over-6-weeks", True, "7/52", "D/n", NOW - timedelta(weeks=7)
    )

    def over(*onsets: DatedFinding, record: PatientRecord | None = None) -> bool | None:
        result = apply_notes(
            record or PatientRecord(), NotesRead(onsets=onsets), evaluated_at=NOW, max_age=WINDOW
        )
        return result.findings.get("symptoms-over-6-weeks")

    assert over(five_weeks) is False
    assert over(five_weeks, seven_weeks) is True  # the earliest onset
    recorded = coded("symptoms-over-6-weeks", False, NOW - timedelta(days=1))
    assert over(seven_weeks, record=recorded) is False
