"""Symptom duration: ``symptoms-over-6-weeks`` recorded or derived from the onset (section 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from differential import load_knowledge_base
from fhir_mappings import PatientRecord, map_patient_record
from terminology import code_tables
from tests.fhir_mappings.resources import (
    ICD10CM,
    NOW,
    SNOMED,
    bundle,
    concept,
    condition,
    observation,
)

OVER = "symptoms-over-6-weeks"


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def sciatica(
    ident: str = "cond-1", *, onset: float | None, recorded: float = 5, **elements: Any
) -> Any:
    """A lumbar disc sciatica diagnosis (section 4) recorded ``recorded`` days ago."""
    resource = condition("M54.41", ICD10CM, id=ident, recordedDate=ago(recorded), **elements)
    if onset is not None:
        resource["onsetDateTime"] = ago(onset)
    return resource


def duration(*conditions: Any, observations: Any = (), reasons: Any = ()) -> bool | None:
    return record(*conditions, observations=observations, reasons=reasons).findings.get(OVER)


def record(*conditions: Any, observations: Any = (), reasons: Any = ()) -> PatientRecord:
    return map_patient_record(
        None,
        bundle(*observations),
        bundle(*conditions),
        evaluated_at=NOW,
        reason_conditions=frozenset(reasons),
    )


def recorded(present: bool, days_ago: float, ident: str = "obs-9") -> Any:
    return observation(OVER, ident=ident, days_ago=days_ago, valueBoolean=present)


@pytest.mark.parametrize(("days", "over"), [(41, False), (41.99, False), (42, True), (56, True)])
def test_the_onset_of_a_recent_diagnosis_dates_the_symptoms(days: float, over: bool) -> None:
    assert duration(sciatica(onset=days)) is over


def test_the_derived_duration_names_the_condition_it_comes_from() -> None:
    [source] = record(sciatica("cond-7", onset=60)).sources
    assert (source.finding, source.present, source.resource_id) == (OVER, True, "cond-7")


def test_onset_period_start_counts_as_the_onset() -> None:
    dated = sciatica(onset=None, onsetPeriod={"start": ago(50), "end": ago(45)})
    assert duration(dated) is True


def test_no_onset_anywhere_leaves_the_duration_unknown() -> None:
    assert duration(sciatica(onset=None)) is None
    assert duration() is None


def test_a_diagnosis_recorded_before_the_window_does_not_date_the_symptoms() -> None:
    assert duration(sciatica(onset=400, recorded=200)) is None


@pytest.mark.parametrize(
    ("clinical", "verification"),
    [("resolved", "confirmed"), ("active", "refuted"), ("active", "entered-in-error")],
)
def test_a_diagnosis_that_does_not_count_does_not_date_the_symptoms(
    clinical: str, verification: str
) -> None:
    statuses: dict[str, Any] = {
        "clinicalStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", clinical
        ),
        "verificationStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", verification
        ),
    }
    assert duration(sciatica(onset=60, **statuses)) is None


def test_a_risk_factor_condition_does_not_date_the_symptoms() -> None:
    osteoporosis = condition("64859006", SNOMED, recordedDate=ago(5), onsetDateTime=ago(900))
    assert duration(osteoporosis) is None


def test_the_earliest_onset_wins() -> None:
    complaint = period_observation("buttock-pain", 50)
    assert duration(sciatica(onset=20), observations=[complaint]) is True
    assert duration(sciatica(onset=20)) is False


def period_observation(finding: str, start: float, **elements: Any) -> Any:
    resource = observation(
        finding, effectivePeriod={"start": ago(start), "end": ago(1)}, **elements
    )
    del resource["effectiveDateTime"]
    return resource


@pytest.mark.parametrize(("start", "over"), [(41, False), (43, True)])
def test_a_presenting_complaints_period_dates_the_onset(start: float, over: bool) -> None:
    assert duration(observations=[period_observation("buttock-pain", start)]) is over


def test_only_a_present_presenting_complaint_dates_the_onset() -> None:
    assert duration(observations=[period_observation("fever", 60)]) is None
    denied = period_observation("buttock-pain", 60, valueBoolean=False)
    assert duration(observations=[denied]) is None


def test_observations_on_different_days_do_not_date_the_onset() -> None:
    first = observation("buttock-pain", ident="obs-1", days_ago=90)
    again = observation("buttock-pain", ident="obs-2", days_ago=1)
    assert duration(observations=[first, again]) is None


def test_a_recorded_value_wins_over_a_derived_one() -> None:
    assert duration(sciatica(onset=60), observations=[recorded(False, 3)]) is False
    assert duration(sciatica(onset=10), observations=[recorded(True, 3)]) is True


def test_a_recorded_presence_keeps_counting() -> None:
    assert duration(observations=[recorded(True, 120)]) is True


@pytest.mark.parametrize(("age", "counts"), [(41, True), (42, False)])
def test_a_recorded_absence_stops_counting_once_six_weeks_old(age: float, counts: bool) -> None:
    assert duration(observations=[recorded(False, age)]) is (False if counts else None)


def test_a_stale_recorded_absence_gives_way_to_the_onset() -> None:
    assert duration(sciatica(onset=70), observations=[recorded(False, 50)]) is True


def test_the_reason_conditions_onset_comes_first() -> None:
    old = sciatica("cond-old", onset=90)
    named = condition("G57.01", ICD10CM, id="cond-why", recordedDate=ago(3), onsetDateTime=ago(12))
    assert duration(old, named, reasons={"cond-why"}) is False
    assert duration(old, named) is True


def test_a_reason_condition_is_read_whatever_it_is_coded_with() -> None:
    local = condition(
        "LOCAL-77", "https://ehr.example.org/codes", id="cond-why", onsetDateTime=ago(60)
    )
    assert duration(local, reasons={"cond-why"}) is True
    assert duration(local) is None


def test_a_reason_condition_without_onset_or_refuted_falls_back() -> None:
    refuted = condition(
        "LOCAL-77",
        "https://ehr.example.org/codes",
        id="cond-why",
        onsetDateTime=ago(5),
        verificationStatus=concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "refuted"
        ),
    )
    undated = condition("LOCAL-78", "https://ehr.example.org/codes", id="cond-why2")
    other = sciatica(onset=60)
    assert duration(refuted, other, reasons={"cond-why"}) is True
    assert duration(undated, other, reasons={"cond-why2"}) is True


def test_the_onset_complaints_are_the_knowledge_bases_presenting_findings() -> None:
    kb = load_knowledge_base()
    assert code_tables().symptom_duration.onset_findings == kb.presenting_findings
