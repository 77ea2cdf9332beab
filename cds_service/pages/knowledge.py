"""``GET /knowledge`` and ``/knowledge/<condition>``: the knowledge base, for review.

Cards' ``source.url`` and ``links`` lead to the page of the condition they are about.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from cds_service.errors import KnowledgeBaseUnavailableError, ServiceError
from cds_service.pages.errors import register_page_errors
from cds_service.pages.format import register_page_filters
from cds_service.pages.knowledge_review import (
    all_rules,
    review_condition,
    review_other_causes,
    thresholds,
)
from cds_service.runtime import runtime
from differential import KnowledgeBase

__all__ = ["UnknownConditionError", "knowledge", "loaded_knowledge"]

knowledge = Blueprint("knowledge", __name__)
register_page_errors(knowledge)
register_page_filters(knowledge)


class UnknownConditionError(ServiceError):
    """No condition of the knowledge base has this code."""

    status = 404


def loaded_knowledge() -> KnowledgeBase:
    """The app's knowledge base, or :class:`KnowledgeBaseUnavailableError` (503)."""
    kb = runtime().knowledge_base
    if kb is None:
        raise KnowledgeBaseUnavailableError("the knowledge base is not loaded")
    return kb


@knowledge.get("/knowledge", strict_slashes=False)
def index() -> str:
    """The conditions, tests and rules the service knows about."""
    kb = loaded_knowledge()
    return render_template(
        "knowledge_index.html", kb=kb, rules=all_rules(kb), thresholds=thresholds
    )


@knowledge.get("/knowledge/<code>")
def condition_page(code: str) -> str:
    """What the knowledge base holds about one condition (or another cause than the seven)."""
    kb = loaded_knowledge()
    if code == kb.other_causes.code:
        return render_template("knowledge_other.html", kb=kb, review=review_other_causes(kb))
    condition = kb.condition_by_code.get(code)
    if condition is None:
        raise UnknownConditionError(f"No condition of the knowledge base has the code “{code}”.")
    return render_template(
        "knowledge_condition.html",
        kb=kb,
        review=review_condition(kb, condition),
        thresholds=thresholds(kb, code),
    )
