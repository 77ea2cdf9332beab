"""The clinician's answers: read from the form (unknown stays unknown), written as FHIR."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from werkzeug.datastructures import MultiDict

from cds_service.smart.answers import (
    InvalidAnswerError,
    merged,
    new_answers,
    observations_for,
    questionnaire_response,
    read_answers,
)
from differential import KnowledgeBase
from fhir_mappings import map_patient_record
from tests.support.questions import question_sheet

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def test_unknown_is_never_written() -> None:
    form = MultiDict({"q-fever": "unknown", "q-leg-numbness": "absent", "q-groin-pain": "present"})
    answers = read_answers(form, ["fever", "leg-numbness", "groin-pain", "saddle-numbness"])
    assert answers == {
        "fever": None,
        "leg-numbness": False,
        "groin-pain": True,
        "saddle-numbness": None,
    }
    assert new_answers(answers, {"groin-pain": True}) == {"leg-numbness": False}
    assert merged({"fever": True}, answers) == {
        "fever": True,
        "leg-numbness": False,
        "groin-pain": True,
    }


def test_an_answer_the_form_does_not_offer_is_refused() -> None:
    with pytest.raises(InvalidAnswerError):
        read_answers(MultiDict({"q-fever": "maybe"}), ["fever"])


def test_the_response_reads_back_as_the_same_findings(kb: KnowledgeBase) -> None:
    answers = {"leg-numbness": False, "groin-pain": True, "fever": True}
    questions = question_sheet(kb, {"buttock-pain": True}).all
    response = questionnaire_response(
        answers,
        questions,
        patient="p-1",
        author="Practitioner/dr-who",
        encounter=None,
        authored=NOW,
    )
    assert response["status"] == "completed"
    assert response["author"] == {"reference": "Practitioner/dr-who"}
    assert {group["linkId"] for group in response["item"]} == {"history", "red-flags"}
    response["id"] = "qr-1"
    record = map_patient_record(
        None, None, None, evaluated_at=NOW, questionnaire_responses=response
    )
    assert dict(record.findings) == answers


def test_one_observation_per_answer_derived_from_the_response() -> None:
    observations = observations_for(
        {"fever": True, "leg-numbness": False},
        {"fever": "Fever", "leg-numbness": "Leg numbness"},
        patient="p-1",
        response_id="qr-1",
        authored=NOW,
    )
    assert [o["valueBoolean"] for o in observations] == [True, False]
    assert all(
        o["derivedFrom"] == [{"reference": "QuestionnaireResponse/qr-1"}] for o in observations
    )
    assert observations[0]["code"]["coding"][0] == {
        "system": "https://gluteal-cds.org/fhir/CodeSystem/finding",
        "code": "fever",
        "display": "Fever",
    }
