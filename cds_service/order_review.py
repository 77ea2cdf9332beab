"""order-select / order-sign: rate the drafted imaging orders against the differential.

No clinical judgement here: the score comes from :func:`differential.rate_order` (the
knowledge base), the PAMA rating and the cards from ``cards``. This module decides only
which orders are reviewed and what goes into the response.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cards import (
    CardContext,
    CdsResponse,
    KnowledgeUrl,
    PamaRating,
    Topic,
    pama_rating_action,
    pama_rating_of,
    render_order_card,
)
from cards.model import Action, Card
from cards.patient_view import RENDERERS
from differential import KnowledgeBase, rate_order
from differential.model import Differential, OrderRating, Presentation
from fhir_mappings import ImagingOrder

__all__ = ["RatedOrder", "review_orders"]

# Only a draft can still be changed; an order already signed is the EHR's record.
_REVIEWED_STATUS = "draft"


@dataclass(frozen=True)
class RatedOrder:
    """A drafted imaging order and its appropriateness for the current differential."""

    order: ImagingOrder
    rating: OrderRating

    @property
    def pama(self) -> PamaRating:
        """The Argonaut PAMA rating of this order."""
        return pama_rating_of(self.rating)


def review_orders(
    kb: KnowledgeBase,
    presentation: Presentation,
    differential: Differential,
    orders: Iterable[ImagingOrder],
    *,
    patient_id: str,
    knowledge_url: KnowledgeUrl,
) -> CdsResponse:
    """Cards and system actions for the drafted imaging ``orders`` of an active differential.

    Every draft is rated and gets a ``systemActions`` update carrying its PAMA rating; one
    rated not appropriate also gets an ``order-appropriateness`` card. When any draft is
    rated, the red-flag cards come first: ordering imaging is the moment they matter.
    """
    rated = [
        RatedOrder(order, rate_order(kb, presentation, differential, order.test))
        for order in orders
        if order.status == _REVIEWED_STATUS
    ]
    if not rated:
        return CdsResponse()
    context = CardContext.of(differential, knowledge_url, patient_id)
    cards = RENDERERS[Topic.RED_FLAG](differential, context) + [
        _order_card(item, differential, patient_id, knowledge_url)
        for item in rated
        if item.pama is PamaRating.NOT_APPROPRIATE
    ]
    return CdsResponse(cards=tuple(cards), system_actions=tuple(map(_rating_action, rated)))


def _order_card(
    item: RatedOrder, differential: Differential, patient_id: str, knowledge_url: KnowledgeUrl
) -> Card:
    order, rating = item.order, item.rating
    return render_order_card(
        order.reference,
        order.id,
        order.test,
        rating.alternative,
        rating.reason,
        differential=differential,
        patient_id=patient_id,
        knowledge_url=knowledge_url,
        score=rating.score,
    )


def _rating_action(item: RatedOrder) -> Action:
    return pama_rating_action(dict(item.order.resource), item.pama.value)
