"""The order of the questions and their pre-fill from the record (answers: test_answers)."""

from __future__ import annotations

from cds_service.smart.questions import order_questions
from differential import KnowledgeBase, Presentation, evaluate
from tests.support.questions import question_sheet


def test_most_informative_unknowns_follow_the_red_flags_in_the_reasoners_order(
    kb: KnowledgeBase,
) -> None:
    recorded = {"buttock-pain": True}
    informative = evaluate(kb, Presentation(findings=recorded)).most_informative_unknowns
    after_red_flags = [q.code for q in question_sheet(kb, recorded).first if not q.red_flag]
    assert informative
    assert after_red_flags[: len(informative)] == [
        c for c in informative if c not in kb.red_flag_findings
    ]


def test_red_flags_are_the_very_first_questions(kb: KnowledgeBase) -> None:
    for recorded in ({}, {"buttock-pain": True}, {"pain-radiates-below-knee": True}):
        first = [q.code for q in question_sheet(kb, recorded).first]
        count = len(kb.red_flag_findings)
        assert set(first[:count]) == kb.red_flag_findings


def test_answers_never_move_a_question_once_the_order_is_fixed(kb: KnowledgeBase) -> None:
    recorded = {"buttock-pain": True}
    shown = question_sheet(kb, recorded)
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
    sheet = question_sheet(kb, {})
    leading = [q.code for q in sheet.first if not q.red_flag]
    assert leading
    assert set(leading) <= kb.presenting_findings


def test_every_finding_is_asked_once(kb: KnowledgeBase) -> None:
    codes = [q.code for q in question_sheet(kb, {"buttock-pain": True}).all]
    assert len(codes) == len(set(codes))
    assert set(codes) == {f.code for f in kb.findings if not f.derived_from_patient}


def test_the_record_pre_fills_and_answers_win(kb: KnowledgeBase) -> None:
    recorded = {"buttock-pain": True, "fever": False}
    sheet = question_sheet(kb, recorded, answers={"fever": True})
    by_code = {q.code: q for q in sheet.all}
    assert by_code["buttock-pain"].answer == "present"
    assert by_code["buttock-pain"].from_record
    assert by_code["fever"].answer == "present"
    assert not by_code["fever"].from_record
    assert by_code["leg-numbness"].answer == "unknown"


def test_the_card_hint_is_untrusted(kb: KnowledgeBase) -> None:
    recorded = {"buttock-pain": True}
    plain = [q.code for q in question_sheet(kb, recorded).first]
    hinted = question_sheet(
        kb, recorded, hint=["<script>", 42, "buttock-pain", "mri-hamstring-tear"]
    )
    codes = [q.code for q in hinted.first]
    assert "<script>" not in codes
    assert codes.count("buttock-pain") == 0  # recorded already: not asked first
    assert "mri-hamstring-tear" in codes  # a real, unrecorded finding of ours
    assert codes[: len(plain)] == plain  # the hint comes after the plain order
