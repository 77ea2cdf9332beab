"""``GET /knowledge`` and ``/knowledge/<condition>``: where cards' source links lead."""

from __future__ import annotations

from flask import Blueprint, Response

from cds_service.errors import KnowledgeBaseUnavailableError, ServiceError
from cds_service.knowledge_pages import render_condition_page, render_index_page
from cds_service.runtime import runtime
from differential import KnowledgeBase

__all__ = ["knowledge"]

knowledge = Blueprint("knowledge", __name__)

_HTML = "text/html; charset=utf-8"


class UnknownConditionError(ServiceError):
    """No condition of the knowledge base has this code."""

    status = 404


def _kb() -> KnowledgeBase:
    kb = runtime().knowledge_base
    if kb is None:
        raise KnowledgeBaseUnavailableError("the knowledge base is not loaded")
    return kb


@knowledge.get("/knowledge", strict_slashes=False)
def index() -> Response:
    """The conditions the service knows about."""
    return Response(render_index_page(_kb()), content_type=_HTML)


@knowledge.get("/knowledge/<code>")
def condition_page(code: str) -> Response:
    """What the knowledge base holds about one condition."""
    kb = _kb()
    condition = kb.condition_by_code.get(code)
    if condition is None:
        raise UnknownConditionError(f"no condition with code {code!r}")
    return Response(render_condition_page(kb, condition), content_type=_HTML)
