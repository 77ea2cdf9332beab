"""Observations and Patients as Epic, Oracle Health (Cerner) and US Core 6/7 servers send them.

Each test is one encoding an integrator meets in real traffic but not in the shared vignettes,
with what a careful integrator expects the service to read from it: present, absent, unknown
(not a key of ``findings``) or left out. Shapes follow the vendors' published R4 examples and
US Core's Observation Clinical Result / Screening Assessment profiles.
"""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import PatientContext, PatientRecord, map_patient_record
from tests.fhir_mappings.resources import (
    INTERPRETATION,
    LOINC,
    NOW,
    SNOMED,
    bundle,
    concept,
    observation,
    patient,
)

P1 = PatientContext("p1", "https://ehr.example.org/fhir/r4")
EPIC_FLOWSHEET = "urn:oid:1.2.840.114350.1.13.0.1.7.2.707679"
EPIC_LIST = "urn:oid:1.2.840.114350.1.13.0.1.7.4.698084.30"
BUTTOCK_PAIN = "279043006"  # SNOMED CT, contract section 3 "also recognised"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-category"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def read(*resources: Any, patient_json: Any = None) -> PatientRecord:
    """Map ``resources`` as the observations prefetch of Patient/p1's call."""
    return map_patient_record(
        patient_json, bundle(*resources), None, evaluated_at=NOW, patient_context=P1
    )


def buttock_pain(ident: str = "obs-1", **elements: Any) -> dict[str, Any]:
    """A buttock-pain Observation coded in SNOMED CT, as a problem-oriented flowsheet row."""
    return observation(BUTTOCK_PAIN, system=SNOMED, ident=ident, **elements)


def undated(resource: dict[str, Any]) -> dict[str, Any]:
    resource.pop("effectiveDateTime")
    return resource


# -- codes and values ----------------------------------------------------------------------


def test_an_epic_flowsheet_code_before_the_snomed_coding_does_not_hide_it() -> None:
    obs = buttock_pain(valueBoolean=True)
    obs["code"]["coding"].insert(0, {"system": EPIC_FLOWSHEET, "code": "3040100", "display": "x"})
    obs["code"]["text"] = "Buttock pain"
    assert read(obs).findings == {"buttock-pain": True}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Yes", True), ("Present", True), ("No", False), ("Absent", False)],
)
def test_an_epic_list_answer_in_its_own_code_system_is_read_by_its_text(
    text: str, expected: bool
) -> None:
    """Epic sends a flowsheet list answer as its own coding, with display and text."""
    value = {"coding": [{"system": EPIC_LIST, "code": "1", "display": text}], "text": text}
    assert read(buttock_pain(valueCodeableConcept=value)).findings == {"buttock-pain": expected}


@pytest.mark.parametrize("text", ["Yes.", "YES", " yes "])
def test_a_yes_typed_with_a_full_stop_or_in_capitals_is_still_yes(text: str) -> None:
    assert read(buttock_pain(valueString=text)).findings == {"buttock-pain": True}


@pytest.mark.parametrize("text", ["Denies", "Patient denies", "denied"])
def test_an_epic_flowsheet_denies_is_absent(text: str) -> None:
    """Symptom rows in Epic flowsheets offer "Denies" beside "Yes"."""
    assert read(buttock_pain(valueString=text)).findings == {"buttock-pain": False}


@pytest.mark.parametrize("text", ["None", "Unable to assess", "Declined", "N/A"])
def test_answers_that_do_not_say_no_stay_unknown(text: str) -> None:
    """ "None" may be a serialised null; "declined" means the patient would not answer."""
    assert "buttock-pain" not in read(buttock_pain(valueString=text)).findings


@pytest.mark.parametrize("text", ["Unable to assess", "Declined", "Not applicable", "Pending"])
def test_a_value_less_observation_interpreted_in_other_words_is_not_read_as_present(
    text: str,
) -> None:
    """Only "observed, nothing else said" is present; an interpretation we cannot read says
    something else, so the finding stays unknown."""
    record = read(buttock_pain(interpretation=[{"text": text}]))
    assert "buttock-pain" not in record.findings


@pytest.mark.parametrize("text", ["yes, mild", "see note", "Y/N", "?"])
def test_free_text_that_is_not_a_whole_answer_stays_unknown(text: str) -> None:
    record = read(buttock_pain(valueString=text))
    assert "buttock-pain" not in record.findings
    assert record.ignored == 1


def test_a_pain_score_as_value_quantity_is_unknown_never_absent() -> None:
    """A 0-10 score of 0 is not the finding's absence by any code the contract names."""
    score = {"value": 0, "unit": "{score}", "system": "http://unitsofmeasure.org"}
    record = read(buttock_pain(valueQuantity=score))
    assert "buttock-pain" not in record.findings


def test_a_symptom_screening_answer_of_us_core_is_read() -> None:
    """US Core 6 Observation Screening Assessment: category survey, LOINC 75325-1 Symptom."""
    obs = observation(
        "75325-1",
        system=LOINC,
        category=[concept(OBS_CATEGORY, "survey"), concept(US_CORE_CATEGORY, "functional-status")],
        valueCodeableConcept=concept(SNOMED, BUTTOCK_PAIN, text="Pain in buttock"),
    )
    assert read(obs).findings == {"buttock-pain": True}


# -- data absent, status ------------------------------------------------------------------


def test_data_absent_reason_asked_unknown_does_not_undo_an_older_answer() -> None:
    older = buttock_pain("obs-1", days_ago=5, valueBoolean=True)
    newer = buttock_pain(
        "obs-2", days_ago=1, dataAbsentReason=concept(DATA_ABSENT, "asked-unknown")
    )
    record = read(older, newer)
    assert record.findings == {"buttock-pain": True}
    assert [s.resource_id for s in record.sources] == ["obs-1"]


@pytest.mark.parametrize("status", ["entered-in-error", "cancelled", "registered"])
def test_a_newer_observation_that_does_not_count_never_overrides(status: str) -> None:
    older = buttock_pain("obs-1", days_ago=5, valueBoolean=True)
    newer = buttock_pain("obs-2", days_ago=1, status=status, valueBoolean=False)
    assert read(older, newer).findings == {"buttock-pain": True}


# -- when it was made -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "timing",
    [
        {"effectiveInstant": "2026-11-18T15:00:00.000Z"},
        {"effectivePeriod": {"start": "2026-11-18T15:00:00Z"}},
        {"effectivePeriod": {"end": "2026-11-18T15:30:00+01:00"}},
        {"effectiveDateTime": "2026-11-18"},
        {"issued": "2026-11-18T16:02:11.123-05:00"},
    ],
    ids=["instant", "period-start", "period-end", "date-only", "issued-only"],
)
def test_every_way_a_vendor_dates_an_observation_counts(timing: dict[str, Any]) -> None:
    obs = undated(buttock_pain(valueBoolean=True)) | timing
    record = read(obs)
    assert record.findings["buttock-pain"] is True
    dated = [s.effective.date() for s in record.sources if s.finding == "buttock-pain"]
    assert [d.isoformat() for d in dated] == ["2026-11-18"]


def test_an_observation_with_no_time_at_all_does_not_count() -> None:
    record = read(undated(buttock_pain(valueBoolean=True)))
    assert record.findings == {}
    assert record.ignored == 1


def test_newest_wins_across_time_zones() -> None:
    """18 Nov 23:00 in New York is 19 Nov 04:00 UTC: newer than 19 Nov 02:00 UTC."""
    eastern = undated(buttock_pain("obs-1", valueBoolean=True))
    eastern["effectiveDateTime"] = "2026-11-18T23:00:00-05:00"
    utc = undated(buttock_pain("obs-2", valueBoolean=False))
    utc["effectiveDateTime"] = "2026-11-19T02:00:00Z"
    assert read(utc, eastern).findings == {"buttock-pain": True}


# -- panels and bundles -------------------------------------------------------------------


def test_a_panel_header_with_has_member_leaves_its_members_to_speak() -> None:
    """A vendor's grouping Observation (a flowsheet group, hasMember) beside its rows."""
    header = observation(
        "3040199",
        system=EPIC_FLOWSHEET,
        ident="panel-1",
        hasMember=[{"reference": "Observation/obs-1"}],
    )
    member = buttock_pain("obs-1", valueCodeableConcept=concept(SNOMED, "373066001"))
    record = read(header, member)
    assert record.findings == {"buttock-pain": True}
    assert record.problems == ()


def test_included_resources_and_warnings_in_a_search_bundle_are_not_problems() -> None:
    """``_include`` adds the Patient (search.mode include); a warning rides as outcome."""
    found = bundle(buttock_pain(valueBoolean=True))
    found["entry"][0]["search"] = {"mode": "match"}
    found["entry"].append({"resource": patient(), "search": {"mode": "include"}})
    warning = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "warning", "code": "processing", "diagnostics": "truncated"}],
    }
    found["entry"].append({"resource": warning, "search": {"mode": "outcome"}})
    record = map_patient_record(None, found, None, evaluated_at=NOW, patient_context=P1)
    assert record.findings == {"buttock-pain": True}
    assert record.problems == ()


def test_an_entry_without_a_resource_is_skipped_without_losing_the_rest() -> None:
    found = bundle(buttock_pain(valueBoolean=True))
    found["entry"].append({"fullUrl": "https://ehr.example.org/fhir/r4/Observation/gone"})
    record = map_patient_record(None, found, None, evaluated_at=NOW, patient_context=P1)
    assert record.findings == {"buttock-pain": True}


# -- whose it is ------------------------------------------------------------------------------


def test_an_absolute_versioned_subject_on_fhir_server_is_this_patient() -> None:
    obs = buttock_pain(valueBoolean=True)
    obs["subject"] = {"reference": "https://ehr.example.org/fhir/r4/Patient/p1/_history/4"}
    assert read(obs).findings == {"buttock-pain": True}


@pytest.mark.parametrize(
    "subject",
    [
        {"identifier": {"system": "urn:oid:1.2.3", "value": "MRN-1"}, "display": "p1"},
        {"reference": "https://other-ehr.example.com/fhir/Patient/p1"},
        {"reference": "Group/p1"},
    ],
    ids=["identifier-only", "another-server", "a-group"],
)
def test_a_subject_not_provably_this_patient_is_left_out_and_reported(
    subject: dict[str, Any],
) -> None:
    obs = buttock_pain(valueBoolean=True, subject=subject)
    record = read(obs)
    assert record.findings == {}
    assert [p.resource_type for p in record.problems] == ["Observation"]


# -- Patient ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [("1980", 46), ("1980-05", 46), ("1980-12", 45), ("1980-11-20", 46), ("1980-11-21", 45)],
)
def test_partial_birth_dates_give_an_age(birth_date: str, age: int) -> None:
    """NOW is 2026-11-20: born December 1980 is 45 whatever the day."""
    record = read(patient_json=patient(birthDate=birth_date))
    assert record.age_years == age


def test_epic_birth_time_extension_beside_the_birth_date_is_fine() -> None:
    birth_time = {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                "valueDateTime": "1980-05-12T08:30:00-05:00",
            }
        ]
    }
    record = read(patient_json=patient(birthDate="1980-05-12", _birthDate=birth_time))
    assert record.age_years == 46
    assert record.problems == ()


def test_a_birth_date_withheld_by_data_absent_reason_gives_no_age_and_no_error() -> None:
    masked = {
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                "valueCode": "masked",
            }
        ]
    }
    record = read(patient_json=patient(_birthDate=masked))
    assert record.age_years is None
    assert record.problems == ()


@pytest.mark.parametrize("gender", ["unknown", "other"])
def test_a_gender_that_is_not_female_or_male_is_neither(gender: str) -> None:
    assert read(patient_json=patient(gender=gender)).sex == gender


BIRTH_SEX = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"


@pytest.mark.parametrize(
    ("gender", "birth_sex", "expected"),
    [
        (None, "F", "female"),
        ("unknown", "M", "male"),
        ("female", "M", "female"),  # the recorded gender stands
        ("other", "F", "other"),
        (None, "UNK", None),
        (None, None, None),
    ],
)
def test_us_core_birth_sex_speaks_only_where_gender_is_missing_or_unknown(
    gender: str | None, birth_sex: str | None, expected: str | None
) -> None:
    """US Core Patient: birthsex is a must-support extension; gender may be unknown."""
    person = patient()
    if gender:
        person["gender"] = gender
    if birth_sex:
        person["extension"] = [
            {"url": "http://example.org/race", "extension": []},
            {"url": BIRTH_SEX, "valueCode": birth_sex},
        ]
    assert read(patient_json=person).sex == expected


def test_a_malformed_birth_sex_extension_is_no_error() -> None:
    person = patient(extension=[{"url": BIRTH_SEX, "valueCode": 7}, "x"])
    record = read(patient_json=person)
    assert record.sex is None


def test_effective_timing_alone_dates_nothing_and_is_not_absent() -> None:
    obs = undated(buttock_pain(valueBoolean=True))
    obs["effectiveTiming"] = {"event": ["2026-11-18T15:00:00Z"]}
    record = read(obs)
    assert "buttock-pain" not in record.findings


def test_interpretation_coded_in_v3_with_a_value_less_observation_is_read() -> None:
    """Cerner sends exam results as value-less Observations with an interpretation."""
    obs = buttock_pain(interpretation=[concept(INTERPRETATION, "NEG", text="Negative")])
    assert read(obs).findings == {"buttock-pain": False}
