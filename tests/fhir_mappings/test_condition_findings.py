"""Conditions on the problem list as findings (contract section 3, 12-06)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fhir_mappings import PatientRecord, map_patient_record
from tests.fhir_mappings.resources import (
    FINDING,
    ICD10CM,
    NOW,
    SNOMED,
    bundle,
    concept,
    condition,
    observation,
)

CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"


def charted(
    code: str,
    system: str = SNOMED,
    *,
    clinical: str | None = "active",
    verification: str | None = "confirmed",
    days_ago: float = 10,
    **elements: Any,
) -> dict[str, Any]:
    """A Condition recorded ``days_ago`` before NOW with the given statuses."""
    resource = condition(
        code, system, recordedDate=(NOW - timedelta(days=days_ago)).isoformat(), **elements
    )
    for key, status, status_system in (
        ("clinicalStatus", clinical, CLINICAL),
        ("verificationStatus", verification, VERIFICATION),
    ):
        if status is None:
            del resource[key]
        else:
            resource[key] = concept(status_system, status)
    return resource


def mapped(*conditions: Any, observations: Any = None) -> PatientRecord:
    return map_patient_record(None, observations, bundle(*conditions), evaluated_at=NOW)


def findings(*conditions: Any) -> dict[str, bool]:
    return dict(mapped(*conditions).findings)


@pytest.mark.parametrize(
    ("system", "code", "finding"),
    [
        (SNOMED, "64859006", "low-bone-density"),  # osteoporosis
        (SNOMED, "312894000", "low-bone-density"),  # osteopenia
        (ICD10CM, "M81.0", "low-bone-density"),
        (ICD10CM, "M810", "low-bone-density"),  # without the dot, as some EHRs send it
        (ICD10CM, "M80.08XA", "low-bone-density"),  # with a 7th character
        (ICD10CM, "m80.08xa", "low-bone-density"),
        (ICD10CM, "M85.80", "low-bone-density"),
        (SNOMED, "86569001", "postpartum"),
        (SNOMED, "14302001", "amenorrhoea"),
        (SNOMED, "56882008", "low-energy-availability"),
        (SNOMED, "266987004", "cancer-history"),
        (SNOMED, "363346000", "cancer-history"),
        (ICD10CM, "Z85.3", "cancer-history"),  # personal history of breast cancer
        (ICD10CM, "Z853", "cancer-history"),
        (ICD10CM, "C50.9", "cancer-history"),
        (ICD10CM, "C50.911", "cancer-history"),
        (ICD10CM, "C00.0", "cancer-history"),  # the first category of the range
        (ICD10CM, "C96.9", "cancer-history"),  # the last one
        (ICD10CM, "C7A.010", "cancer-history"),  # malignant carcinoid: inside the range
        (ICD10CM, "C4A.9", "cancer-history"),  # Merkel cell carcinoma is not C44
        (SNOMED, "279039007", "low-back-pain"),
        (ICD10CM, "M54.50", "low-back-pain"),
        (ICD10CM, "M54.5", "low-back-pain"),
        (ICD10CM, "R63.4", "unexplained-weight-loss"),
        (ICD10CM, "R634", "unexplained-weight-loss"),
        (SNOMED, "448765001", "unexplained-weight-loss"),
        (FINDING, "prior-stress-fracture", "prior-stress-fracture"),
        (FINDING, "low-bone-density", "low-bone-density"),
    ],
)
def test_a_condition_coded_with_a_risk_factor_is_that_finding_present(
    system: str, code: str, finding: str
) -> None:
    assert findings(charted(code, system)) == {finding: True}


@pytest.mark.parametrize(
    ("system", "code"),
    [
        (ICD10CM, "C44.91"),  # basal / squamous cell skin cancer: excluded
        (ICD10CM, "C44"),
        (ICD10CM, "C97"),  # past the range
        (ICD10CM, "D05.10"),  # carcinoma in situ is not in C00-C96
        (ICD10CM, "M85.0"),  # fibrous dysplasia: M85 outside M85.8
        (ICD10CM, "M54.4"),  # lumbago with sciatica is the sciatica diagnosis, not this
        (ICD10CM, "R63.5"),  # weight gain
        (SNOMED, "279043006"),  # buttock pain as a Condition: a presenting complaint
        (SNOMED, "386661006"),  # fever on the problem list says nothing of today
        (FINDING, "buttock-pain"),
    ],
)
def test_other_condition_codes_state_no_finding(system: str, code: str) -> None:
    assert findings(charted(code, system)) == {}


@pytest.mark.parametrize("verification", ["refuted", "entered-in-error"])
@pytest.mark.parametrize(("code", "clinical"), [("64859006", "active"), ("363346000", "resolved")])
def test_refuted_or_erroneous_conditions_never_count(
    code: str, clinical: str, verification: str
) -> None:
    assert findings(charted(code, clinical=clinical, verification=verification)) == {}


@pytest.mark.parametrize("verification", ["provisional", "unconfirmed", "differential", None])
def test_unconfirmed_conditions_still_count(verification: str | None) -> None:
    assert findings(charted("64859006", verification=verification)) == {"low-bone-density": True}


@pytest.mark.parametrize("clinical", ["active", "recurrence", "relapse"])
def test_current_states_count_while_active(clinical: str) -> None:
    assert findings(charted("14302001", clinical=clinical)) == {"amenorrhoea": True}


@pytest.mark.parametrize("clinical", ["resolved", "inactive", "remission", None])
@pytest.mark.parametrize("code", ["14302001", "64859006", "86569001"])
def test_resolved_current_states_do_not_count(code: str, clinical: str | None) -> None:
    assert findings(charted(code, clinical=clinical)) == {}


@pytest.mark.parametrize("clinical", ["resolved", "inactive", "remission"])
def test_a_symptom_that_is_over_does_not_count(clinical: str) -> None:
    """Without any clinical status it counts (an encounter diagnosis: test_vendor_conditions)."""
    assert findings(charted("279039007", clinical=clinical)) == {}


@pytest.mark.parametrize("clinical", ["active", "resolved", "inactive", "remission", None])
@pytest.mark.parametrize(("system", "code"), [(SNOMED, "363346000"), (ICD10CM, "C50.9")])
def test_a_cancer_counts_whatever_its_clinical_status(
    system: str, code: str, clinical: str | None
) -> None:
    assert findings(charted(code, system, clinical=clinical)) == {"cancer-history": True}


def test_an_old_history_still_counts() -> None:
    assert findings(charted("Z85.3", ICD10CM, days_ago=3 * 365)) == {"cancer-history": True}


@pytest.mark.parametrize("clinical", ["resolved", "inactive", "remission"])
@pytest.mark.parametrize(
    ("system", "code"),
    [(SNOMED, "240197007"), (ICD10CM, "M84.359A"), (ICD10CM, "M84375D"), (ICD10CM, "M84.3")],
)
def test_a_healed_stress_fracture_is_a_prior_one_not_a_diagnosis(
    system: str, code: str, clinical: str
) -> None:
    record = mapped(charted(code, system, clinical=clinical))
    assert record.findings == {"prior-stress-fracture": True}
    assert record.diagnoses == frozenset()


def test_an_active_hip_stress_fracture_is_the_diagnosis_not_a_prior_one() -> None:
    record = mapped(charted("M84.359A", ICD10CM))
    assert record.findings == {}
    assert record.diagnoses == {"hip-stress-fracture"}


@pytest.mark.parametrize("clinical", ["active", "recurrence", None])
@pytest.mark.parametrize("code", ["M84.361A", "M84.374D", "M84.30XA", "M84.38XA"])
def test_a_stress_fracture_elsewhere_counts_as_a_prior_one_while_current(
    code: str, clinical: str | None
) -> None:
    # A tibial or metatarsal stress fracture now marks the same bone-stress risk as a healed
    # one; before, an active one outside the hip counted as nothing at all.
    record = mapped(charted(code, ICD10CM, clinical=clinical))
    assert record.findings == {"prior-stress-fracture": True}
    assert record.diagnoses == frozenset()


def test_a_personal_history_of_stress_fracture_is_a_prior_one() -> None:
    assert findings(charted("Z87.312", ICD10CM, days_ago=2 * 365)) == {
        "prior-stress-fracture": True
    }


def test_a_refuted_healed_stress_fracture_is_nothing() -> None:
    assert findings(charted("240197007", clinical="resolved", verification="refuted")) == {}


@pytest.mark.parametrize(("months_ago", "counts"), [(11, True), (13, False)])
def test_postpartum_counts_only_under_twelve_months(months_ago: int, counts: bool) -> None:
    delivered = NOW - timedelta(days=round(months_ago * 30.44))
    state = charted("86569001", onsetDateTime=delivered.isoformat(), days_ago=5)
    assert findings(state) == ({"postpartum": True} if counts else {})


def test_postpartum_without_onset_is_aged_from_its_record() -> None:
    assert findings(charted("86569001", days_ago=400)) == {}
    assert findings(charted("86569001", days_ago=300)) == {"postpartum": True}


def test_a_symptom_on_the_problem_list_counts_within_the_window_only() -> None:
    assert findings(charted("M54.50", ICD10CM, days_ago=170)) == {"low-back-pain": True}
    assert findings(charted("M54.50", ICD10CM, days_ago=200)) == {}


def test_a_condition_is_dated_at_its_record_else_its_onset() -> None:
    record = mapped(charted("64859006", days_ago=30))
    [source] = record.sources
    assert (source.finding, source.resource_id) == ("low-bone-density", "cond-1")
    assert source.effective == NOW - timedelta(days=30)
    undated = condition("64859006", SNOMED, onsetDateTime="2026-01-05")
    [source] = mapped(undated).sources
    assert source.effective.date().isoformat() == "2026-01-05"


def test_an_undated_condition_counts_only_when_its_date_does_not_matter() -> None:
    """Active osteoporosis is current whatever its date (older than any dated record);
    post-partum needs the date its 12 months run from (test_vendor_conditions has more)."""
    assert findings(condition("64859006", SNOMED)) == {"low-bone-density": True}
    assert findings(condition("86569001", SNOMED)) == {}


def test_the_newest_wins_across_observations_and_conditions() -> None:
    denied = observation("amenorrhoea", ident="obs-9", days_ago=2, valueBoolean=False)
    on_list = charted("14302001", days_ago=20)
    assert mapped(on_list, observations=bundle(denied)).findings == {"amenorrhoea": False}
    newer = charted("14302001", days_ago=1)
    assert mapped(newer, observations=bundle(denied)).findings == {"amenorrhoea": True}


def test_one_condition_can_state_a_diagnosis_and_nothing_else_leaks() -> None:
    sciatica = charted("M54.41", ICD10CM)
    record = mapped(sciatica, charted("C50.9", ICD10CM) | {"id": "cond-2"})
    assert record.diagnoses == {"lumbar-disc-sciatica"}
    assert record.findings == {"cancer-history": True}


# EHRs (and C-CDA converted to FHIR) name code systems by their HL7 OIDs as often as by URL.
ICD10CM_OID = "urn:oid:2.16.840.1.113883.6.90"
SNOMED_OID = "urn:oid:2.16.840.1.113883.6.96"


@pytest.mark.parametrize(
    ("system", "code", "finding"),
    [
        (ICD10CM_OID, "Z85.3", "cancer-history"),
        (ICD10CM_OID, "M81.0", "low-bone-density"),
        (SNOMED_OID, "64859006", "low-bone-density"),
    ],
)
def test_a_risk_factor_coded_in_a_system_named_by_its_oid_counts(
    system: str, code: str, finding: str
) -> None:
    assert findings(charted(code, system)) == {finding: True}


def test_a_healed_stress_fracture_named_by_oid_is_a_prior_one() -> None:
    healed = charted("M84.350A", ICD10CM_OID, clinical="resolved")
    assert findings(healed) == {"prior-stress-fracture": True}


# A history counts whatever its clinical status, so it needs no date to count: a problem-list
# "history of breast cancer" without recordedDate or onset (common in converted records) is
# still a cancer history. Undated, it loses to any dated record of the same finding.
@pytest.mark.parametrize(
    ("system", "code", "finding"),
    [
        (ICD10CM, "Z85.3", "cancer-history"),
        (ICD10CM, "C50.911", "cancer-history"),
        (SNOMED, "240197007", "prior-stress-fracture"),
    ],
)
def test_an_undated_history_still_counts(system: str, code: str, finding: str) -> None:
    healed = condition(code, system, clinicalStatus=concept(CLINICAL, "resolved"))
    assert findings(healed) == {finding: True}


def test_an_undated_history_loses_to_a_dated_record() -> None:
    denied = observation("cancer-history", ident="obs-9", days_ago=100, valueBoolean=False)
    undated = condition("Z85.3", ICD10CM)
    assert mapped(undated, observations=bundle(denied)).findings == {"cancer-history": False}


@pytest.mark.parametrize(
    ("system", "code"), [(SNOMED, "240197007"), (ICD10CM, "M84.350A"), (ICD10CM, "M84.374A")]
)
def test_a_stress_fracture_without_clinical_status_is_at_least_a_prior_one(
    system: str, code: str
) -> None:
    # An encounter diagnosis often carries no clinicalStatus: whether it is current is not
    # said, but the patient has had a bone stress injury. Not a diagnosis made (section 4
    # needs an active status); a prior stress fracture, which never lowers the suspicion.
    record = mapped(charted(code, system, clinical=None))
    assert dict(record.findings) == {"prior-stress-fracture": True}
    assert not record.diagnoses
