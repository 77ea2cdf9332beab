"""Data dated after the evaluation time is unreadable (review 10, item 11).

The review's case: a "fever absent" Observation dated two years ahead won "newest" and hid
yesterday's recorded fever; a year 9999 was accepted the same way.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fhir_mappings import map_patient_record
from fhir_mappings.future import CLOCK_SKEW, DATED_IN_THE_FUTURE, future_problem
from fhir_mappings.notes import read_notes
from tests.fhir_mappings.notes.corpus import phrases

from .resources import NOW, SNOMED, bundle, condition, document_reference, observation

QUESTIONNAIRE = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"


def _reasons(mapped: Any) -> list[tuple[str, str]]:
    return [(p.resource_type, p.reason) for p in mapped.problems]


def test_within_the_clock_skew_counts_beyond_it_is_a_problem() -> None:
    assert future_problem("Observation", "o1", NOW + CLOCK_SKEW, NOW) is None
    assert future_problem("Observation", "o1", None, NOW) is None  # undated: other rules
    problem = future_problem("Observation", "o1", NOW + CLOCK_SKEW + timedelta(minutes=1), NOW)
    assert problem is not None
    assert (problem.resource_id, problem.reason) == ("o1", DATED_IN_THE_FUTURE)


@pytest.mark.parametrize("ahead", ["2028-11-20T15:00:00Z", "9999-12-31T23:59:59Z", "9999"])
def test_a_future_dated_absent_never_hides_yesterdays_present(ahead: str) -> None:
    fever = observation("fever", ident="o-yesterday", days_ago=1, valueBoolean=True)
    no_fever = observation("fever", ident="o-ahead", valueBoolean=False, effectiveDateTime=ahead)
    mapped = map_patient_record(None, bundle(fever, no_fever), None, evaluated_at=NOW)

    assert mapped.findings == {"fever": True}
    assert [s.resource_id for s in mapped.sources] == ["o-yesterday"]
    assert _reasons(mapped) == [("Observation", DATED_IN_THE_FUTURE)]


def test_tomorrows_date_without_a_time_still_counts() -> None:
    # Written east of UTC, where the local day is already tomorrow: within the skew.
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    fever = observation("fever", valueBoolean=True, effectiveDateTime=tomorrow)
    mapped = map_patient_record(None, bundle(fever), None, evaluated_at=NOW)
    assert mapped.findings == {"fever": True}
    assert mapped.problems == ()


def test_a_future_authored_questionnaire_response_is_unreadable() -> None:
    answered = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-ahead",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "authored": "2030-01-01T00:00:00Z",
        "item": [{"linkId": "fever", "answer": [{"valueBoolean": False}]}],
    }
    fever = observation("fever", days_ago=1, valueBoolean=True)
    mapped = map_patient_record(
        None, bundle(fever), None, evaluated_at=NOW, questionnaire_responses=bundle(answered)
    )
    assert mapped.findings == {"fever": True}
    assert _reasons(mapped) == [("QuestionnaireResponse", DATED_IN_THE_FUTURE)]


@pytest.mark.parametrize("element", ["recordedDate", "onsetDateTime"])
def test_a_condition_recorded_in_the_future_is_unreadable(element: str) -> None:
    cancer = condition("363346000", SNOMED, **{element: "2031-05-01"})
    mapped = map_patient_record(None, None, bundle(cancer), evaluated_at=NOW)
    assert "cancer-history" not in mapped.findings
    assert _reasons(mapped) == [("Condition", DATED_IN_THE_FUTURE)]


def test_a_note_dated_in_the_future_is_not_read_and_counts_as_unreadable() -> None:
    ahead = document_reference("Fever today.", id="d-ahead", date="2030-01-01T00:00:00Z")
    today = document_reference("Buttock pain.", id="d-today", date=NOW.isoformat())
    read = read_notes(bundle(ahead, today), "p1", phrases(), evaluated_at=NOW)

    assert {f.finding for f in read.findings} == {"buttock-pain"}
    assert [(p.resource_id, p.reason) for p in read.problems] == [("d-ahead", DATED_IN_THE_FUTURE)]


# A second review (10c) found current data dropped by one date beyond the skew.


@pytest.mark.parametrize("end", ["9999-12-31", (NOW + timedelta(days=7)).isoformat()])
def test_a_period_still_running_is_dated_by_its_start(end: str) -> None:
    start = (NOW - timedelta(days=1)).isoformat()
    fever = observation("fever", valueBoolean=True, effectivePeriod={"start": start, "end": end})
    del fever["effectiveDateTime"]
    mapped = map_patient_record(None, bundle(fever), None, evaluated_at=NOW)
    assert mapped.findings == {"fever": True}
    assert mapped.problems == ()


def test_a_mistyped_onset_beside_todays_recorded_date_keeps_the_history() -> None:
    cancer = condition(
        "363346000", SNOMED, recordedDate=NOW.date().isoformat(), onsetDateTime="2027-05-01"
    )
    mapped = map_patient_record(None, None, bundle(cancer), evaluated_at=NOW)
    assert mapped.findings.get("cancer-history") is True
    assert mapped.problems == ()


def test_a_note_of_today_tied_to_a_planned_stay_is_read() -> None:
    planned = {"period": {"start": (NOW + timedelta(days=2)).isoformat()}}
    note = document_reference("Fever 39.1 this morning.", date=NOW.isoformat(), context=planned)
    read = read_notes(bundle(note), "p1", phrases(), evaluated_at=NOW)
    assert {(f.finding, f.present) for f in read.findings} == {("fever", True)}
    assert read.problems == ()
    assert read.findings[0].when == NOW
