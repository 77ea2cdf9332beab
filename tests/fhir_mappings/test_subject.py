"""Only this patient's data (contract section 2): a resource about anyone else is left out."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import NOT_THIS_PATIENT, PatientContext, map_patient_record, subject_problem

from .resources import NOW, bundle, condition, observation, patient
from .test_answers import YES, response

SERVER = "https://ehr.example.org/fhir/r4"
P1 = PatientContext("p1", SERVER)


@pytest.mark.parametrize(
    "reference",
    [
        "Patient/p1",
        f"{SERVER}/Patient/p1",
        f"{SERVER}/Patient/p1/_history/3",
        "Patient/p1/_history/7",
    ],
)
def test_a_reference_to_the_patient_counts(reference: str) -> None:
    obs = observation(subject={"reference": reference})
    mapped = map_patient_record(None, bundle(obs), None, evaluated_at=NOW, patient_context=P1)
    assert mapped.findings == {"buttock-pain": True}
    assert mapped.problems == ()


@pytest.mark.parametrize(
    "subject",
    [
        {"reference": "Patient/p2"},
        {"reference": "Patient/p1x"},
        {"reference": "https://elsewhere.example.org/fhir/Patient/p1"},  # not on fhirServer
        {"reference": "Patient/p2/_history/1"},
        {"reference": "Patient/p1/_history/"},
        {"reference": "Group/p1"},
        {"display": "Test Runner"},  # no reference at all
        None,  # no subject
        "Patient/p1",  # not a Reference
    ],
)
def test_another_subject_or_none_is_left_out_and_counted(subject: Any) -> None:
    obs = observation("pain-radiates-below-knee", ident="other")
    obs["subject"] = subject
    if subject is None:
        del obs["subject"]
    mine = observation()
    mapped = map_patient_record(None, bundle(mine, obs), None, evaluated_at=NOW, patient_context=P1)
    assert mapped.findings == {"buttock-pain": True}
    assert [(p.resource_type, p.resource_id, p.reason) for p in mapped.problems] == [
        ("Observation", "other", NOT_THIS_PATIENT)
    ]


def test_another_patients_conditions_answers_and_patient_are_left_out() -> None:
    other = {"reference": "Patient/p2"}
    mapped = map_patient_record(
        patient(id="p2", gender="male"),
        None,
        bundle(condition("lumbar-disc-sciatica", subject=other)),
        evaluated_at=NOW,
        questionnaire_responses=bundle(response(("saddle-numbness", YES), subject=other)),
        patient_context=PatientContext("p1"),
    )
    assert mapped.findings == {}
    assert mapped.diagnoses == frozenset()
    assert mapped.sex is None
    assert sorted(p.resource_type for p in mapped.problems) == [
        "Condition",
        "Patient",
        "QuestionnaireResponse",
    ]
    assert {p.reason for p in mapped.problems} == {NOT_THIS_PATIENT}


def test_an_answer_about_the_patient_counts() -> None:
    mapped = map_patient_record(
        None,
        None,
        None,
        evaluated_at=NOW,
        questionnaire_responses=bundle(
            response(("saddle-numbness", YES), subject={"reference": "Patient/p1"})
        ),
        patient_context=PatientContext("p1"),
    )
    assert mapped.findings == {"saddle-numbness": True}


@pytest.mark.parametrize("resource_type", ["DocumentReference", "AllergyIntolerance"])
def test_the_check_serves_any_resource_type(resource_type: str) -> None:
    """Notes (DocumentReference) use ``subject``; some resources name ``patient`` instead."""
    element = "patient" if resource_type == "AllergyIntolerance" else "subject"
    mine = {"resourceType": resource_type, "id": "d1", element: {"reference": "Patient/p1"}}
    theirs = {"resourceType": resource_type, "id": "d2", element: {"reference": "Patient/p2"}}
    assert subject_problem(mine, resource_type, P1) is None
    problem = subject_problem(theirs, resource_type, P1)
    assert problem is not None
    assert (problem.resource_id, problem.reason) == ("d2", NOT_THIS_PATIENT)
    assert "p2" not in repr(problem)  # the other patient is never named
