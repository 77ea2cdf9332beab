"""``next-test`` and ``avoid-test`` cards: what to examine or image next, and what not to."""

from __future__ import annotations

from collections.abc import Sequence

from cards._context import CardContext, Topic
from cards._text import escape_markdown, fit, inline, plain
from cards.catalogue import catalogue_entry
from cards.model import SUMMARY_MAX_CHARS, Action, ActionType, Card, SelectionBehavior, Suggestion
from cards.service_request import draft_service_request
from differential.model import Differential, TestAdvice

__all__ = ["avoid_test_cards", "next_test_cards", "order_reason"]

TOP_TESTS = 3  # a busy clinician reads the first few; the extension lists them all


def next_test_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One card with the most useful next tests, offering a draft order for imaging."""
    top = differential.next_tests[:TOP_TESTS]
    if not top:
        return []
    suggestions = _imaging_suggestions(top, context)
    card = context.card(
        Topic.NEXT_TEST,
        _about(top[0]),
        conditions=[code for advice in top for code in advice.conditions],
        tests=[advice.code for advice in top],
        summary=_next_summary(top, context),
        detail=_next_detail(top, context),
        suggestions=suggestions,
        selection_behavior=SelectionBehavior.AT_MOST_ONE if suggestions else None,
    )
    return [card]


def avoid_test_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One warning card per test that will not help now."""
    return [_avoid_card(advice, context) for advice in differential.avoid_tests]


def order_reason(conditions: Sequence[str], context: CardContext) -> str:
    """The clinical question an order answers, naming the conditions (for reasonCode)."""
    names = [context.name(code) for code in conditions] or [context.name(context.leading_condition)]
    return "Buttock / posterior hip pain: " + " vs ".join(names)


def _about(advice: TestAdvice) -> str | None:
    return advice.conditions[0] if advice.conditions else None


def _question(advice: TestAdvice, context: CardContext) -> str:
    names = [inline(context.name(code)) for code in advice.conditions]
    if len(names) > 1:
        return f" to separate {' from '.join(names[:2])}"
    return f" for {names[0]}" if names else ""


def _next_summary(top: Sequence[TestAdvice], context: CardContext) -> str:
    summary = f"Next: {top[0].name}{_question(top[0], context)}"
    then = f"; then {inline(top[1].name)}" if len(top) > 1 else ""
    if len(summary + then) <= SUMMARY_MAX_CHARS:
        return fit(summary + then, SUMMARY_MAX_CHARS)
    return fit(summary, SUMMARY_MAX_CHARS)


def _next_detail(top: Sequence[TestAdvice], context: CardContext) -> str:
    lines = [
        f"{number}. **{escape_markdown(advice.name)}** — {escape_markdown(advice.reason)}"
        f"{_about_text(advice, context)}"
        for number, advice in enumerate(top, start=1)
    ]
    sources = "; ".join(dict.fromkeys(escape_markdown(a.citation) for a in top if a.citation))
    return "\n".join(lines) + (f"\n\n**Sources:** {sources}" if sources else "")


def _about_text(advice: TestAdvice, context: CardContext) -> str:
    names = [escape_markdown(context.name(code)) for code in advice.conditions]
    return f" _(about: {', '.join(names)})_" if names else ""


def _imaging_suggestions(top: Sequence[TestAdvice], context: CardContext) -> tuple[Suggestion, ...]:
    # A valid R4 ServiceRequest needs its subject: without a patient id, no draft order.
    if context.patient_id is None:
        return ()
    orderable = [a for a in top if (e := catalogue_entry(a.code)) is not None and e.orderable]
    return tuple(
        _order_suggestion(advice, context.patient_id, context, recommended=index == 0)
        for index, advice in enumerate(orderable)
    )


def _order_suggestion(
    advice: TestAdvice, patient_id: str, context: CardContext, *, recommended: bool
) -> Suggestion:
    resource = draft_service_request(
        advice.code, patient_id=patient_id, reason=order_reason(advice.conditions, context)
    )
    action = Action(
        type=ActionType.CREATE,
        description=plain(f"Create a draft order: {advice.name}"),
        resource=resource,
    )
    return Suggestion(
        label=plain(f"Order {inline(advice.name)} (draft)"),
        is_recommended=recommended or None,
        actions=(action,),
    )


def _avoid_card(advice: TestAdvice, context: CardContext) -> Card:
    entry = catalogue_entry(advice.code)
    why = entry.why_not if entry is not None and entry.why_not else advice.reason
    citation = f"\n\n**Source:** {escape_markdown(advice.citation)}" if advice.citation else ""
    return context.card(
        Topic.AVOID_TEST,
        _about(advice),
        conditions=advice.conditions,
        tests=[advice.code],
        summary=fit(f"Avoid {inline(advice.name)} now: {why}", SUMMARY_MAX_CHARS),
        detail=escape_markdown(advice.reason) + citation,
    )
