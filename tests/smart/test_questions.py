"""The order of the questions, the pre-fill, and the mapping of answers to FHIR."""

from __future__ import annotations

from collections.abc import Iterable
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
from cds_service.smart.questions import QuestionSheet, order_questions
from differential import KnowledgeBase, Presentation, evaluate, load_knowledge_base
from fhir_mappings import map_patient_record

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _sheet(
    kb: KnowledgeBase,
    recorded: dict[str, bool],
    answers: dict[str, bool | None] | None = None,
    hint: Iterable[object] = (),
) -> QuestionSheet:
    differential = evaluate(kb, Presentation(findings=recorded))
    return order_questions(kb, differential, recorded, answers, hint)


def test_most_informative_unknowns_follow_the_red_flags_in_the_reasoners_order(
    kb: KnowledgeBase,
) -> None:
    recorded = {"buttock-pain": True}
    informative = evaluate(kb, Presentation(findings=recorded)).most_informative_unknowns
    after_red_flags = [q.code for q in _sheet(kb, recorded).first if not q.red_flag]
    assert informative
    assert after_red_flags[: len(informative)] == [
        c for c in informative if c not in kb.red_flag_findings
    ]


def test_red_flags_are_the_very_first_questions(kb: KnowledgeBase) -> None:
    for recorded in ({}, {"buttock-pain": True}, {"pain-radiates-below-knee": True}):
        first = [q.code for q in _sheet(kb, recorded).first]
        count = len(kb.red_flag_findings)
        assert set(first[:count]) == kb.red_flag_findings


def test_answers_never_move_a_question_once_the_order_is_fixed(kb: KnowledgeBase) -> None:
    recorded = {"buttock-pain": True}
    shown = _sheet(kb, recorded)
    order = [q.code for q in shown.first]
    answers: dict[str, bool | None] = {
        "pain-radiates-below-knee": True,
        "straight-leg-raise-positive": True,
        "groin-pain": False,
    }
    differential = evaluate(kb, Presentation(findings={**recorded, **answers}))  # type: ignore[dict-item]
    moved = order_questions(kb, differential, recorded, answers)
    kept = order_questions(kb, differential, recorded, answers, fixed=order)
    assert [q.code for q in moved.all] != [q.code for q in shown.all]  # the reasoner reranks
    assert [q.code for q in kept.all] == [q.code for q in shown.all]
    assert {q.code: q.answer for q in kept.all}["groin-pain"] == "absent"


def test_without_a_complaint_the_complaints_are_asked_first(kb: KnowledgeBase) -> None:
    sheet = _sheet(kb, {})
    leading = [q.code for q in sheet.first if not q.red_flag]
    assert leading
    assert set(leading) <= kb.presenting_findings


def test_every_finding_is_asked_once(kb: KnowledgeBase) -> None:
    codes = [q.code for q in _sheet(kb, {"buttock-pain": True}).all]
    assert len(codes) == len(set(codes))
    assert set(codes) == {f.code for f in kb.findings if not f.derived_from_patient}


def test_the_record_pre_fills_and_answers_win(kb: KnowledgeBase) -> None:
    recorded = {"buttock-pain": True, "fever": False}
    sheet = _sheet(kb, recorded, answers={"fever": True})
    by_code = {q.code: q for q in sheet.all}
    assert by_code["buttock-pain"].answer == "present"
    assert by_code["buttock-pain"].from_record
    assert by_code["fever"].answer == "present"
    assert not by_code["fever"].from_record
    assert by_code["leg-numbness"].answer == "unknown"


def test_the_card_hint_is_untrusted(kb: KnowledgeBase) -> None:
    recorded = {"buttock-pain": True}
    plain = [q.code for q in _sheet(kb, recorded).first]
    hinted = _sheet(kb, recorded, hint=["<script>", 42, "buttock-pain", "mri-hamstring-tear"])
    codes = [q.code for q in hinted.first]
    assert "<script>" not in codes
    assert codes.count("buttock-pain") == 0  # recorded already: not asked first
    assert "mri-hamstring-tear" in codes  # a real, unrecorded finding of ours
    assert codes[: len(plain)] == plain  # the hint comes after the plain order


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
    questions = _sheet(kb, {"buttock-pain": True}).all
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
