"""order-select / order-sign: rate the drafted imaging orders against the plan.

No clinical judgement here: each order's rating is read from the plan of its differential
(:func:`differential.rate_order`), the PAMA rating and the cards from ``cards``. This module
decides only which orders are reviewed and what goes into the response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from cards import (
    CardContext,
    CdsResponse,
    KnowledgeUrl,
    NoteQuote,
    PamaRating,
    Topic,
    pama_rating_action,
    pama_rating_of,
    quoting_notes,
    render_order_card,
)
from cards.model import Action, Card
from cards.patient_view import RENDERERS
from differential import rate_order
from differential.model import Differential, OrderRating
from fhir_mappings import ImagingOrder

__all__ = ["OrderUnderReview", "RatedOrder", "review_orders"]

# Only a draft can still be changed; an order already signed is the EHR's record.
_REVIEWED_STATUS = "draft"


@dataclass(frozen=True)
class OrderUnderReview:
    """A drafted imaging order and the differential it is rated against (the patient's,
    with the order's reason counted as a working diagnosis)."""

    order: ImagingOrder
    differential: Differential


@dataclass(frozen=True)
class RatedOrder:
    """A drafted imaging order, its differential and its appropriateness."""

    order: ImagingOrder
    differential: Differential
    rating: OrderRating

    @property
    def pama(self) -> PamaRating:
        """The Argonaut PAMA rating of this order."""
        return pama_rating_of(self.rating)


def review_orders(
    orders: Iterable[OrderUnderReview],
    *,
    patient_id: str,
    knowledge_url: KnowledgeUrl,
    drafted: frozenset[str] = frozenset(),
    plan: Differential | None = None,
    from_notes: Mapping[str, NoteQuote] | None = None,
    drafted_contrast: Mapping[str, str] | None = None,
    ordered: frozenset[str] = frozenset(),
) -> CdsResponse:
    """Cards and system actions for the drafted imaging ``orders``.

    Every draft with an active differential is rated and gets a ``systemActions`` update
    carrying its PAMA rating; one rated not appropriate also gets an
    ``order-appropriateness`` card, and so does a CT whose MRI is indicated (an ``info``
    swap). The red-flag card comes first (a study it calls for is rated 9), then the plan
    of ``plan`` (the patient's differential; else the first order's): the next-test card,
    which marks a drafted study "already drafted", and the avoid-test card as a warning,
    for the tests no order card already speaks of. No card offers a study whose test code
    is in ``drafted`` (every imaging study in ``draftOrders``). ``from_notes``: the findings
    clinical notes decided; as on patient-view, a reason or red flag they gave quotes the
    note and the extension lists them under ``fromNotes`` (contract 3a).
    ``drafted_contrast``: drafted studies ordered with contrast (test code -> "with
    contrast"); the cards name them so.
    ``ordered``: kinds of treatment order drafted ("steroid-or-bursa-injection"): the
    caution card shows the cautions that warn against one, and a red flag that forbids one
    says so in its summary.

    With no imaging order to rate (a referral, an injection, a medication), the red-flag
    card alone, when ``plan`` raises one: ordering treatment is when cauda equina or a
    tumour must not be missed. Nothing else is said about such orders.
    """
    rated = [
        RatedOrder(item.order, item.differential, _rating(item, plan))
        for item in orders
        if item.order.status == _REVIEWED_STATUS and item.differential.active
    ]
    page = _Page(
        patient_id, knowledge_url, drafted, from_notes or {}, drafted_contrast or {}, ordered
    )
    if not rated:
        if plan is None or not plan.active:
            return CdsResponse()
        return CdsResponse(cards=page.plan_cards(plan, (Topic.RED_FLAG, Topic.TREATMENT_CAUTION)))
    carded = [
        item for item in rated if item.pama is PamaRating.NOT_APPROPRIATE or _swap(item.rating)
    ]
    # Red flags are raised from findings only, so every rated differential holds the same.
    shown = plan if plan is not None and plan.active else rated[0].differential
    # The order card replaces the avoid-test card for the same study (contract 5), and a
    # study drafted for an indication that makes it appropriate is not one to avoid.
    spoken = {item.order.test for item in rated}
    shown = replace(shown, avoid_tests=tuple(t for t in shown.avoid_tests if t.code not in spoken))
    topics = (Topic.RED_FLAG, Topic.NEXT_TEST, Topic.AVOID_TEST, Topic.TREATMENT_CAUTION)
    cards = [*page.plan_cards(shown, topics)]
    words = {code: quote.words for code, quote in page.from_notes.items()}
    cards += [_order_card(item, patient_id, knowledge_url, drafted, words) for item in carded]
    return CdsResponse(cards=tuple(cards), system_actions=tuple(map(_rating_action, rated)))


@dataclass(frozen=True)
class _Page:
    """What every card of one order-hook answer shares."""

    patient_id: str
    knowledge_url: KnowledgeUrl
    drafted: frozenset[str]
    from_notes: Mapping[str, NoteQuote]
    drafted_contrast: Mapping[str, str]
    ordered: frozenset[str]  # kinds of treatment order drafted

    def plan_cards(self, shown: Differential, topics: tuple[Topic, ...]) -> tuple[Card, ...]:
        """The cards of ``topics`` for the plan ``shown``, quoting the notes it read."""
        shown, references = quoting_notes(shown, self.from_notes)
        context = CardContext.of(
            shown,
            self.knowledge_url,
            self.patient_id,
            from_notes=references,
            drafted=self.drafted,
            drafted_contrast=self.drafted_contrast,
            order_hook=True,
            ordered=self.ordered,
        )
        return tuple(card for topic in topics for card in RENDERERS[topic](shown, context))


def _rating(item: OrderUnderReview, plan: Differential | None) -> OrderRating:
    """The order's rating against its own indication, unless that rates 1-3 a study the
    plan shown beside it lists next: the cards never say both "do next" and "cancel", and
    a study the plan lists is never rated 1-3 for want of information (contract 5)."""
    test = item.order.test
    own = rate_order(item.differential, test)
    if own.category != "usually-not-appropriate" or plan is None or not plan.active:
        return own
    if test in {advice.code for advice in plan.next_tests}:
        return rate_order(plan, test)
    return own


def _swap(rating: OrderRating) -> bool:
    """An appropriate order with a better study named: the CT whose MRI is indicated."""
    return rating.alternative is not None and rating.category != "usually-not-appropriate"


def _order_card(
    item: RatedOrder,
    patient_id: str,
    knowledge_url: KnowledgeUrl,
    drafted: frozenset[str],
    note_quotes: Mapping[str, str],
) -> Card:
    return render_order_card(
        item.order.id,
        item.rating,
        item.differential,
        patient_id=patient_id,
        knowledge_url=knowledge_url,
        drafted=drafted,
        note_quotes=note_quotes,
        contrast=item.order.contrast,
    )


def _rating_action(item: RatedOrder) -> Action:
    return pama_rating_action(dict(item.order.resource), item.pama.value)
