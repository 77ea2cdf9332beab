"""When each finding was first recorded present and first recorded absent (contract 5,
"done means dated"): what tells a complaint new since a result from one recorded again."""

from __future__ import annotations

from datetime import timedelta

from fhir_mappings import map_patient_record

from .resources import NOW, bundle, observation
from .test_answers import NO, response


def test_the_earliest_present_and_absent_records_are_kept_beside_the_newest() -> None:
    observations = bundle(
        observation("groin-pain", ident="o-1", days_ago=80, valueBoolean=True),
        observation("groin-pain", ident="o-2", days_ago=2, valueBoolean=True),
        observation("fever", ident="o-3", days_ago=40, valueBoolean=False),
        observation("fever", ident="o-4", days_ago=10, valueBoolean=False),
    )
    record = map_patient_record(None, observations, None, evaluated_at=NOW)
    assert record.findings == {"groin-pain": True, "fever": False}
    assert {s.finding: s.effective for s in record.sources} == {
        "groin-pain": NOW - timedelta(days=2),
        "fever": NOW - timedelta(days=10),
    }
    assert record.first_present_at == {"groin-pain": NOW - timedelta(days=80)}
    assert record.first_absent_at == {"fever": NOW - timedelta(days=40)}


def test_answers_count_as_records_and_the_window_bounds_the_first_one() -> None:
    observations = bundle(
        observation("buttock-pain", ident="o-1", days_ago=400, valueBoolean=True),  # too old
        observation("buttock-pain", ident="o-2", days_ago=3, valueBoolean=True),
    )
    earlier_no = response(("buttock-pain", NO), days_ago=30)
    record = map_patient_record(
        None, observations, None, evaluated_at=NOW, questionnaire_responses=bundle(earlier_no)
    )
    assert record.findings == {"buttock-pain": True}
    assert record.first_present_at == {"buttock-pain": NOW - timedelta(days=3)}
    assert record.first_absent_at == {"buttock-pain": NOW - timedelta(days=30)}
    unknown = map_patient_record(
        None, None, None, evaluated_at=NOW, questionnaire_responses=bundle(response())
    )
    assert unknown.first_present_at == {}
    assert unknown.first_absent_at == {}


def test_a_complaint_observed_over_a_period_began_at_its_start() -> None:
    since = {"start": (NOW - timedelta(days=20)).isoformat(), "end": NOW.isoformat()}
    groin = observation("groin-pain", ident="o-1", effectivePeriod=since, valueBoolean=True)
    del groin["effectiveDateTime"]  # one effective[x]: the period
    observations = bundle(
        groin, observation("buttock-pain", ident="o-2", days_ago=5, valueBoolean=True)
    )
    record = map_patient_record(None, observations, None, evaluated_at=NOW)
    assert record.onset_at == {"groin-pain": NOW - timedelta(days=20)}


def test_every_dated_state_of_a_finding_is_kept_oldest_first() -> None:
    # Present, gone, back: the reasoner reads the state at a result's time from these.
    observations = bundle(
        observation("groin-pain", ident="o-3", days_ago=2, valueBoolean=True),
        observation("groin-pain", ident="o-1", days_ago=80, valueBoolean=True),
        observation("groin-pain", ident="o-2", days_ago=40, valueBoolean=False),
    )
    record = map_patient_record(None, observations, None, evaluated_at=NOW)
    assert record.recorded_states == {
        "groin-pain": (
            (NOW - timedelta(days=80), True),
            (NOW - timedelta(days=40), False),
            (NOW - timedelta(days=2), True),
        )
    }
