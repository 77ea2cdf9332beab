"""Order hooks: the ``order-appropriateness`` card and the PAMA rating system action."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import JsonValue

from cards._context import CardContext, KnowledgeUrl, Topic
from cards._test_cards import order_reason
from cards._text import escape_markdown, fit, humanise, inline, plain
from cards.catalogue import catalogue_entry, ordered_name
from cards.errors import CardsError, InvalidOrderError
from cards.model import (
    SUMMARY_MAX_CHARS,
    Action,
    ActionType,
    Card,
    Coding,
    Indicator,
    SelectionBehavior,
    Suggestion,
)
from cards.service_request import draft_service_request, validate_service_request
from differential.model import Differential, OrderRating, RatingCategory
from terminology import code_tables, system_url

__all__ = [
    "APPROPRIATENESS_EXTENSION",
    "OVERRIDE_REASON_SYSTEM",
    "PAMA_RATING_EXTENSION",
    "PAMA_RATING_SYSTEM",
    "PamaRating",
    "pama_rating_action",
    "pama_rating_of",
    "render_order_card",
]

APPROPRIATENESS_EXTENSION = "https://gluteal-cds.org/cds-hooks/appropriateness"
PAMA_RATING_EXTENSION = "http://fhir.org/argonaut/Extension/pama-rating"
PAMA_RATING_SYSTEM = "http://fhir.org/argonaut/CodeSystem/pama-rating"
OVERRIDE_REASON_SYSTEM = system_url("override_reason")

_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_OVERRIDE_REASONS = code_tables().override_reasons
_MRI_CONTRAINDICATED = "mri-contraindicated"
_SWAP_REASONS = {_MRI_CONTRAINDICATED, "patient-preference", "other"}


class PamaRating(StrEnum):
    """The Argonaut PAMA appropriateness ratings."""

    APPROPRIATE = "appropriate"
    NOT_APPROPRIATE = "not-appropriate"
    NO_GUIDELINES_APPLY = "no-guidelines-apply"


_PAMA_DISPLAY = {
    PamaRating.APPROPRIATE: "Appropriate",
    PamaRating.NOT_APPROPRIATE: "Not appropriate",
    PamaRating.NO_GUIDELINES_APPLY: "No guidelines apply",
}

# Under PAMA an order "adheres to appropriate use criteria" unless they rate it usually not
# appropriate, so "may be appropriate" (4-6) is reported as appropriate.
_PAMA_BY_CATEGORY: dict[RatingCategory, PamaRating] = {
    "usually-appropriate": PamaRating.APPROPRIATE,
    "may-be-appropriate": PamaRating.APPROPRIATE,
    "usually-not-appropriate": PamaRating.NOT_APPROPRIATE,
}


def pama_rating_of(rating: OrderRating) -> PamaRating:
    """The Argonaut PAMA rating of a 1-9 appropriateness rating (7-9 and 4-6: appropriate)."""
    return _PAMA_BY_CATEGORY[rating.category]


def render_order_card(
    order_id: str,
    rating: OrderRating,
    differential: Differential,
    *,
    patient_id: str | None,
    knowledge_url: KnowledgeUrl,
    drafted: frozenset[str] = frozenset(),
    note_quotes: Mapping[str, str] | None = None,
    contrast: str | None = None,
) -> Card:
    """An ``order-appropriateness`` card for the draft ServiceRequest ``order_id``, rated
    ``rating`` in ``differential``: a warning when it is rated 1-3, ``info`` when it is
    appropriate but another study is better (the CT-to-MRI swap).

    The rating's ``alternative`` is the useful test code: imaging becomes a draft
    ServiceRequest (when ``patient_id`` is known and it is not in ``drafted``), a bedside
    exam is named in the suggestion. Raises :class:`InvalidOrderError` for an id that is no
    FHIR id, :class:`CardsError` for a score outside 1-9. ``note_quotes`` (finding code ->
    a note's words): a finding the rating turned on that a note decided is quoted.
    ``contrast``: the order's own ("with contrast"), named wherever the card names it.
    """
    reference = _order_reference(order_id)
    if not 1 <= rating.score <= 9:
        raise CardsError(f"appropriateness score must be 1-9, not {rating.score}")
    context = CardContext.of(differential, knowledge_url, patient_id, drafted=drafted)
    test, alternative, swap = rating.test, rating.alternative, rating.score >= 4
    name = ordered_name(test, contrast)
    return context.card(
        Topic.ORDER_APPROPRIATENESS,
        None,
        conditions=_questions(alternative, differential),
        tests=[test] if alternative is None else [test, alternative],
        indicator=Indicator.INFO if swap else None,
        summary=_summary(name, test, alternative, rating, swap=swap),
        detail=_detail(name, rating, differential, note_quotes or {}),
        suggestions=(_suggestion(reference, name, alternative, differential, context, swap=swap),),
        selection_behavior=SelectionBehavior.AT_MOST_ONE,
        override_reasons=_override_reasons(swap=swap),
        extension={APPROPRIATENESS_EXTENSION: _extension(reference, rating)},
    )


def _override_reasons(*, swap: bool) -> tuple[Coding, ...]:
    """Why keep the order: for the CT-to-MRI swap, that MRI cannot be done (contract 5)."""
    wanted = _SWAP_REASONS if swap else {c for c, _ in _OVERRIDE_REASONS} - {_MRI_CONTRAINDICATED}
    return tuple(
        Coding(system=OVERRIDE_REASON_SYSTEM, code=code, display=display)
        for code, display in _OVERRIDE_REASONS
        if code in wanted
    )


def pama_rating_action(resource: dict[str, Any], rating: str) -> Action:
    """A system action updating a draft ServiceRequest with its Argonaut PAMA rating.

    Any earlier rating extension is replaced. Raises :class:`InvalidOrderError` when the
    result is not a valid R4 ServiceRequest with an id, :class:`CardsError` for a bad rating.
    """
    if rating not in PamaRating.__members__.values():
        raise CardsError(f"unknown PAMA rating {rating!r}")
    if not isinstance(resource.get("id"), str):
        raise InvalidOrderError("the order has no id to update")
    pama = PamaRating(rating)
    updated = copy.deepcopy(resource)
    kept = [e for e in updated.get("extension", []) if e.get("url") != PAMA_RATING_EXTENSION]
    updated["extension"] = [*kept, _pama_extension(pama)]
    return Action(
        type=ActionType.UPDATE,
        description=f"Record the appropriateness rating on the order: {_PAMA_DISPLAY[pama]}",
        resource=validate_service_request(updated),
    )


def _pama_extension(rating: PamaRating) -> dict[str, Any]:
    coding = {"system": PAMA_RATING_SYSTEM, "code": rating.value, "display": _PAMA_DISPLAY[rating]}
    return {"url": PAMA_RATING_EXTENSION, "valueCodeableConcept": {"coding": [coding]}}


def _order_reference(order_id: str) -> str:
    """``ServiceRequest/<order_id>``, the draft's reference in ``resourceId`` and the extension."""
    if not _FHIR_ID.match(order_id):
        raise InvalidOrderError("the order id must be a FHIR id")
    return f"ServiceRequest/{order_id}"


def _test_name(code: str) -> str:
    entry = catalogue_entry(code)
    return entry.name if entry is not None else humanise(code)


def _summary(
    name: str, test: str, alternative: str | None, rating: OrderRating, *, swap: bool
) -> str:
    """The study named once, as ordered, with the clinical reason (never "would barely
    change ...")."""
    reason, headline = rating.reason, rating.summary
    if swap and alternative is not None:
        return fit(
            f"{name}: {_test_name(alternative)} is preferred; CT only if MRI cannot be done",
            f"{name}: MRI is preferred",
            limit=SUMMARY_MAX_CHARS,
        )
    # The rule's own reason for this picture (no stress-fracture sentence on sciatica).
    entry = catalogue_entry(test)
    why = headline or inline(_first_sentence(reason))
    why = why or (entry.why_not if entry is not None and entry.why_not else "")
    # No option without the reason (contract 5): a long one ends at a clause that fits.
    return fit(
        f"{name} not advised now: {why}",
        f"{name} not advised now: {why.split('; ')[0]}",
        limit=SUMMARY_MAX_CHARS,
    )


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head.rstrip(".") if dot else text.rstrip(".")


def _detail(
    name: str, rating: OrderRating, differential: Differential, quotes: Mapping[str, str]
) -> str:
    lines = [f"**{escape_markdown(name)}:** {escape_markdown(rating.reason)}"]
    lines += _note_lines(rating, differential, quotes)
    if rating.ask:
        lines.append(f"**Ask:** {escape_markdown(rating.ask)}")
    if rating.alternative is not None:
        lines.append(f"**More useful now:** {escape_markdown(_test_name(rating.alternative))}")
    score = rating.score
    band = (
        "usually appropriate"
        if score >= 7
        else "may be appropriate"
        if score >= 4
        else ("usually not appropriate")
    )
    lines.append(f"Appropriateness score {score}/9 ({band}).")
    return "\n\n".join(lines)


def _note_lines(
    rating: OrderRating, differential: Differential, quotes: Mapping[str, str]
) -> list[str]:
    """The notes' words behind the findings the rating turned on, one line per quote."""
    by_quote: dict[str, list[str]] = {}
    for code, present in rating.findings:
        if code in quotes:
            label = differential.finding_labels.get(code) or humanise(code)
            by_quote.setdefault(quotes[code], []).append(f"{label}: {'yes' if present else 'no'}")
    return [
        f"_Read from a note ({escape_markdown('; '.join(labels))}):_ “{escape_markdown(words)}”"
        for words, labels in by_quote.items()
    ]


def _suggestion(
    order_reference: str,
    name: str,
    alternative: str | None,
    differential: Differential,
    context: CardContext,
    *,
    swap: bool = False,
) -> Suggestion:
    actions = [
        Action(
            type=ActionType.DELETE,
            description=f"Remove the draft order: {name}",
            resource_id=order_reference,
        )
    ]
    create = _create_alternative(alternative, differential, context)
    if create is not None:
        actions.append(create)
    return Suggestion(
        label=_label(name, alternative, create is not None),
        # A swap is offered, not urged: the CT may be ordered because MRI cannot be done.
        is_recommended=None if swap else True,
        actions=tuple(actions),
    )


def _create_alternative(
    alternative: str | None, differential: Differential, context: CardContext
) -> Action | None:
    entry = catalogue_entry(alternative) if alternative is not None else None
    # A bedside exam is not ordered, an R4 ServiceRequest needs its patient, and a study
    # already drafted is never drafted twice.
    if entry is None or not entry.orderable or context.patient_id is None:
        return None
    if entry.code in context.drafted:
        return None
    resource = draft_service_request(
        entry.code,
        patient_id=context.patient_id,
        reason=order_reason(_questions(entry.code, differential), context),
    )
    return Action(
        type=ActionType.CREATE, description=f"Create a draft order: {entry.name}", resource=resource
    )


def _questions(alternative: str | None, differential: Differential) -> tuple[str, ...]:
    """The conditions the useful test would separate, as the next-test advice says."""
    return next((a.conditions for a in differential.next_tests if a.code == alternative), ())


def _label(name: str, alternative: str | None, creates: bool) -> str:
    cancel = f"Cancel the {inline(name)}"
    if alternative is None:
        return plain(cancel)
    entry = catalogue_entry(alternative)
    if creates:
        return plain(f"{cancel} and order {inline(_test_name(alternative))} instead")
    if entry is not None and entry.kind == "exam":
        return plain(f"{cancel}; examine instead: {inline(entry.name)}")
    return plain(f"{cancel}; consider {inline(_test_name(alternative))} instead")


def _extension(order_reference: str, rating: OrderRating) -> dict[str, JsonValue]:
    pama = PamaRating.APPROPRIATE if rating.score >= 4 else PamaRating.NOT_APPROPRIATE
    extension: dict[str, JsonValue] = {
        "order": order_reference,
        "test": rating.test,
        "rating": pama.value,
    }
    if rating.alternative is not None:
        extension["alternative"] = rating.alternative
    extension["score"] = rating.score
    extension["reason"] = rating.reason
    return extension
