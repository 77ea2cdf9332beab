"""Conditions as Epic, Oracle Health (Cerner) and US Core 6/7 servers send them.

Problem-list items carry several codings (IMO or a local code, ICD-10-CM under its URL and its
OID, SNOMED CT), often no verificationStatus; encounter diagnoses (US Core Condition Encounter
Diagnosis) may lack clinicalStatus; onset may be a string or an age; entered-in-error ones
carry no clinicalStatus at all. What a careful integrator expects from each.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fhir_mappings import PatientContext, PatientRecord, map_patient_record
from tests.fhir_mappings.resources import ICD10CM, NOW, SNOMED, bundle, concept, condition

P1 = PatientContext("p1")
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
US_CORE_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
IMO = "urn:oid:2.16.840.1.113883.3.247.1.1"
ICD10CM_OID = "urn:oid:2.16.840.1.113883.6.90"
OVER = "symptoms-over-6-weeks"


def read(*conditions: Any) -> PatientRecord:
    return map_patient_record(None, None, bundle(*conditions), evaluated_at=NOW, patient_context=P1)


def day(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).date().isoformat()


def epic_problem(*codings: tuple[str, str], **elements: Any) -> dict[str, Any]:
    """An Epic problem-list item: IMO coding first, no verificationStatus."""
    resource = condition("x", recordedDate=day(20), **elements)
    resource["code"] = {
        "coding": [{"system": IMO, "code": "1234567", "display": "Sciatica of left side"}]
        + [{"system": s, "code": c} for s, c in codings],
        "text": "Sciatica of left side",
    }
    resource["category"] = [concept(CATEGORY, "problem-list-item")]
    resource.pop("verificationStatus")
    return resource


def encounter_diagnosis(code: str, system: str = ICD10CM, **elements: Any) -> dict[str, Any]:
    """A Cerner encounter diagnosis: category encounter-diagnosis, no clinicalStatus."""
    resource = condition(code, system, recordedDate=day(3), **elements)
    resource["category"] = [concept(CATEGORY, "encounter-diagnosis")]
    resource.pop("clinicalStatus")
    return resource


# -- problem-list items ---------------------------------------------------------------------


def test_an_epic_problem_with_imo_icd10_and_snomed_codings_is_a_diagnosis_made() -> None:
    problem = epic_problem(
        (ICD10CM_OID, "M54.42"),
        (ICD10CM, "M54.42"),
        (SNOMED, "23056005"),
        onsetDateTime=day(60),
    )
    record = read(problem)
    assert record.diagnoses == {"lumbar-disc-sciatica"}
    assert record.findings.get(OVER) is True  # onset 60 days back


def test_outside_data_marked_unconfirmed_still_counts_as_the_contract_says() -> None:
    """Epic marks a problem from outside records verificationStatus unconfirmed."""
    problem = epic_problem((ICD10CM, "M54.42"))
    problem["verificationStatus"] = concept(VERIFICATION, "unconfirmed")
    assert read(problem).diagnoses == {"lumbar-disc-sciatica"}


def test_a_us_core_health_concern_counts_like_a_problem() -> None:
    concern = condition("M54.50", ICD10CM, recordedDate=day(5))
    concern["category"] = [concept(US_CORE_CATEGORY, "health-concern")]
    assert read(concern).findings == {"low-back-pain": True}


@pytest.mark.parametrize(
    "onset",
    [
        {"onsetString": "a few months ago"},
        {
            "onsetAge": {
                "value": 45,
                "unit": "yr",
                "system": "http://unitsofmeasure.org",
                "code": "a",
            }
        },
        {"onsetRange": {"low": {"value": 44, "unit": "a"}, "high": {"value": 45, "unit": "a"}}},
    ],
    ids=["string", "age", "range"],
)
def test_an_onset_in_words_or_years_counts_the_diagnosis_but_dates_nothing(
    onset: dict[str, Any],
) -> None:
    """Neither says whether the pain passed six weeks: the duration stays unknown."""
    record = read(epic_problem((ICD10CM, "M54.42"), **onset))
    assert record.diagnoses == {"lumbar-disc-sciatica"}
    assert OVER not in record.findings
    assert record.problems == ()


def test_a_partial_onset_date_dates_the_symptoms() -> None:
    record = read(epic_problem((ICD10CM, "M54.42"), onsetDateTime="2026-08"))
    assert record.findings.get(OVER) is True


def test_a_condition_named_only_in_text_is_not_guessed() -> None:
    named = condition("x")
    named["code"] = {"text": "Piriformis syndrome"}
    record = read(named)
    assert (record.diagnoses, record.findings, record.problems) == (frozenset(), {}, ())


ASSERTED = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"


def test_us_core_asserted_date_dates_a_condition_without_recorded_date() -> None:
    """US Core 6: the assertedDate extension is must-support beside recordedDate."""
    concern = condition("M54.50", ICD10CM)
    concern["extension"] = [{"url": ASSERTED, "valueDateTime": day(5)}]
    record = read(concern)
    assert record.findings == {"low-back-pain": True}
    assert [s.effective.date().isoformat() for s in record.sources] == [day(5)]


def test_an_asserted_date_outside_the_window_leaves_a_symptom_out() -> None:
    concern = condition("M54.50", ICD10CM)
    concern["extension"] = [{"url": ASSERTED, "valueDateTime": day(300)}]
    assert read(concern).findings == {}


def test_a_malformed_asserted_date_is_no_date_and_no_error() -> None:
    concern = condition("M54.50", ICD10CM)
    concern["extension"] = [{"url": ASSERTED, "valueDateTime": "yesterday"}, "x"]
    record = read(concern)
    assert record.findings == {}


@pytest.mark.parametrize(
    ("system", "code", "finding"),
    [
        (ICD10CM, "M81.0", "low-bone-density"),
        (SNOMED, "14302001", "amenorrhoea"),
        (SNOMED, "86569001", None),  # post-partum: counted 12 months from a date
        (SNOMED, "279039007", None),  # low back pain: a symptom needs the window
    ],
)
def test_an_active_undated_risk_state_still_counts_older_than_any_dated_record(
    system: str, code: str, finding: str | None
) -> None:
    """Active on the problem list is current whatever its date; a symptom or a post-partum
    state needs one (the window, the 12 months)."""
    undated = condition(code, system)
    expected = {finding: True} if finding else {}
    assert dict(read(undated).findings) == expected


# -- encounter diagnoses ------------------------------------------------------------------


def test_an_encounter_diagnosis_without_clinical_status_is_no_diagnosis_made() -> None:
    """Contract 3: a diagnosis is made only with an active clinical status."""
    assert read(encounter_diagnosis("M54.42")).diagnoses == frozenset()


def test_a_recent_encounter_diagnosis_of_low_back_pain_is_that_symptom_present() -> None:
    """Diagnosed at a visit three days ago: the back hurt then, whatever the list says now."""
    assert read(encounter_diagnosis("M54.50")).findings == {"low-back-pain": True}


def test_an_old_encounter_diagnosis_of_low_back_pain_says_nothing_of_today() -> None:
    old = encounter_diagnosis("M54.50")
    old["recordedDate"] = day(400)
    assert "low-back-pain" not in read(old).findings


@pytest.mark.parametrize("clinical", ["resolved", "inactive", "remission"])
def test_back_pain_that_is_over_is_not_present_and_not_read_as_absent(clinical: str) -> None:
    resolved = condition("M54.50", ICD10CM, recordedDate=day(5))
    resolved["clinicalStatus"] = concept(CLINICAL, clinical)
    resolved["abatementDateTime"] = day(2)
    assert "low-back-pain" not in read(resolved).findings


# -- never counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("verification", ["entered-in-error", "refuted"])
def test_an_erroneous_or_refuted_history_never_counts(verification: str) -> None:
    """FHIR requires no clinicalStatus on an entered-in-error Condition (con-5)."""
    erroneous = condition("C50.911", ICD10CM, recordedDate=day(30))
    erroneous.pop("clinicalStatus")
    erroneous["verificationStatus"] = concept(VERIFICATION, verification)
    record = read(erroneous)
    assert "cancer-history" not in record.findings
    assert record.diagnoses == frozenset()


def test_an_erroneous_sciatica_problem_is_no_diagnosis() -> None:
    wrong = epic_problem((ICD10CM, "M54.42"))
    wrong.pop("clinicalStatus")
    wrong["verificationStatus"] = concept(VERIFICATION, "entered-in-error")
    assert read(wrong).diagnoses == frozenset()


def test_a_healed_stress_fracture_with_an_abatement_date_is_a_history() -> None:
    healed = condition("M84.350A", ICD10CM, recordedDate="2024-03-02")
    healed["clinicalStatus"] = concept(CLINICAL, "resolved")
    healed["abatementDateTime"] = "2024-06"
    record = read(healed)
    assert record.findings == {"prior-stress-fracture": True}
    assert record.diagnoses == frozenset()


def test_a_condition_of_another_patient_on_the_problem_list_is_left_out() -> None:
    other = epic_problem((ICD10CM, "M54.42"), subject={"reference": "Patient/p2"})
    record = read(other)
    assert record.diagnoses == frozenset()
    assert [p.resource_type for p in record.problems] == ["Condition"]
