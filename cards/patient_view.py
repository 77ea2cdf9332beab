"""patient-view: a differential in, the contract's cards out, red flags first."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from cards._context import CardContext, KnowledgeUrl, Topic
from cards._differential_card import differential_cards
from cards._safety_cards import caution_cards, red_flag_cards
from cards._test_cards import avoid_test_cards, next_test_cards
from cards.model import Card
from cards.notes import NoteQuote, quoting_notes
from cards.smart_link import SmartLink, with_smart_link
from differential.model import Differential

__all__ = ["RENDERERS", "render_cards"]

Renderer = Callable[[Differential, CardContext], list[Card]]

# Topic -> renderer, in the order the cards are shown (contract section 5).
RENDERERS: dict[Topic, Renderer] = {
    Topic.RED_FLAG: red_flag_cards,
    Topic.DIFFERENTIAL: differential_cards,
    Topic.NEXT_TEST: next_test_cards,
    Topic.AVOID_TEST: avoid_test_cards,
    Topic.TREATMENT_CAUTION: caution_cards,
}


def render_cards(
    differential: Differential,
    *,
    knowledge_url: KnowledgeUrl,
    patient_id: str | None = None,
    data_notes: Sequence[str] = (),
    smart_link: SmartLink | None = None,
    from_notes: Mapping[str, NoteQuote] | None = None,
) -> list[Card]:
    """The patient-view cards for ``differential``; none when it is not active.

    ``knowledge_url`` is the service's base URL (pages at ``<base>/knowledge/<condition>``)
    or a function from a condition code to its knowledge page. With ``patient_id``, imaging
    next tests come with a draft ServiceRequest to accept; without it no order is offered.
    ``data_notes`` say what the data lacked (e.g. a FHIR search cut short); the differential
    card's detail then ends its reasoning with a "Data incomplete" section.
    With ``smart_link`` (the bedside app is configured), the differential card links to it.
    ``from_notes`` names the findings a clinical note decided, with the note and its words:
    their reasons quote the note and the extension lists them under ``fromNotes``.
    Raises :class:`cards.errors.CardsError` for an active differential without candidates.
    """
    if not differential.active:
        return []
    differential, references = quoting_notes(differential, from_notes)
    context = CardContext.of(differential, knowledge_url, patient_id, data_notes, references)
    cards = [card for render in RENDERERS.values() for card in render(differential, context)]
    if smart_link is None:
        return cards
    return [_linked(card, differential, smart_link) for card in cards]


def _linked(card: Card, differential: Differential, link: SmartLink) -> Card:
    topic = card.source.topic
    if topic is not None and topic.code == Topic.DIFFERENTIAL:
        return with_smart_link(card, differential, link)
    # A next-test card that asks a question (how long the pain has lasted) links to the app
    # where the answer is recorded (contract 5, 12-06).
    asks = any(rating.ask for rating in differential.ratings.values())
    if topic is not None and topic.code == Topic.NEXT_TEST and asks:
        return with_smart_link(card, differential, replace(link, complaint_only=False))
    return card
