"""The bedside app's question sheet, built as the app builds it, for the smart tests."""

from __future__ import annotations

from collections.abc import Iterable

from cds_service.smart.questions import QuestionSheet, order_questions
from differential import KnowledgeBase, Presentation, evaluate

__all__ = ["question_sheet"]


def question_sheet(
    kb: KnowledgeBase,
    recorded: dict[str, bool],
    answers: dict[str, bool | None] | None = None,
    hint: Iterable[object] = (),
) -> QuestionSheet:
    """The bedside app's questions for a patient whose record holds ``recorded``."""
    differential = evaluate(kb, Presentation(findings=recorded))
    return order_questions(kb, differential, recorded, answers, hint)
