"""Cards: a differential in, CDS Hooks 2.0 cards (with FHIR resources in suggestions) out.

Imports only ``differential.model`` from the project.
"""

from cards._context import CARD_SUBJECT_EXTENSION, CardContext, KnowledgeUrl, Topic, knowledge_page
from cards._differential_card import band
from cards._extension import DIFFERENTIAL_EXTENSION, differential_extension
from cards._ids import new_uuid
from cards.errors import CardsError, InvalidOrderError, UnknownTestError
from cards.model import (
    Action,
    ActionType,
    Card,
    CdsResponse,
    Coding,
    Indicator,
    Link,
    LinkType,
    SelectionBehavior,
    Source,
    Suggestion,
)
from cards.notes import NoteQuote, quoting_notes, with_note_quotes
from cards.orders import (
    APPROPRIATENESS_EXTENSION,
    PamaRating,
    pama_rating_action,
    pama_rating_of,
    render_order_card,
)
from cards.patient_view import render_cards
from cards.service_request import draft_service_request, validate_service_request
from cards.smart_link import SmartLink

__all__ = [
    "APPROPRIATENESS_EXTENSION",
    "CARD_SUBJECT_EXTENSION",
    "DIFFERENTIAL_EXTENSION",
    "Action",
    "ActionType",
    "Card",
    "CardContext",
    "CardsError",
    "CdsResponse",
    "Coding",
    "Indicator",
    "InvalidOrderError",
    "KnowledgeUrl",
    "Link",
    "LinkType",
    "NoteQuote",
    "PamaRating",
    "SelectionBehavior",
    "SmartLink",
    "Source",
    "Suggestion",
    "Topic",
    "UnknownTestError",
    "band",
    "differential_extension",
    "draft_service_request",
    "knowledge_page",
    "new_uuid",
    "pama_rating_action",
    "pama_rating_of",
    "quoting_notes",
    "render_cards",
    "render_order_card",
    "validate_service_request",
    "with_note_quotes",
]
