"""``next-test`` and ``avoid-test`` cards: what to examine or image next, and what not to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cards._context import CardContext, Topic
from cards._text import escape_markdown, fit, inline, join_names, plain
from cards.catalogue import catalogue_entry
from cards.model import SUMMARY_MAX_CHARS, Action, ActionType, Card, SelectionBehavior, Suggestion
from cards.service_request import draft_service_request
from differential.model import Differential, TestAdvice

__all__ = [
    "avoid_test_cards",
    "guideline_home",
    "guideline_note",
    "next_test_cards",
    "order_reason",
    "order_suggestions",
    "shown_next_tests",
    "unique_citations",
]

TOP_TESTS = 3  # a busy clinician reads the first few; the extension lists them all
_XRAY, _HIP_MRI = "xray-hip-pelvis", "mri-hip-pelvis"


def shown_next_tests(differential: Differential) -> tuple[TestAdvice, ...]:
    """The next tests the next-test card shows: the studies a red flag calls for are on the
    red-flag card (each study is named in one card), then the first few others."""
    return tuple(t for t in differential.next_tests if not t.red_flag)[:TOP_TESTS]


def next_test_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One card with the most useful next tests, offering a draft order for imaging."""
    top = shown_next_tests(differential)
    if not top:
        return []
    # The order button is for the first test not yet drafted, if it is a study.
    first_open = [next((a for a in top if a.code not in context.drafted), None)]
    suggestions = order_suggestions([a for a in first_open if a is not None], context)
    after_flags = any(t.red_flag for t in differential.next_tests)
    note = guideline_note(differential) if guideline_home(differential) is Topic.NEXT_TEST else ""
    card = context.card(
        Topic.NEXT_TEST,
        _about(top[0]),
        conditions=[code for advice in top for code in advice.conditions],
        tests=[advice.code for advice in top],
        summary=_next_summary(top, context, after_flags=after_flags),
        detail=_next_detail(top, context, after_flags=after_flags, note=note),
        suggestions=suggestions,
        selection_behavior=SelectionBehavior.AT_MOST_ONE if suggestions else None,
    )
    return [card]


def avoid_test_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One warning card listing every test that will not help now, or would harm."""
    avoided = differential.avoid_tests
    if not avoided:
        return []
    names = [inline(a.name) for a in avoided]
    first = avoided[0]
    # The rule's own reason, which fits the picture (no stress-fracture sentence on a
    # sciatica picture); it never repeats the test's name.
    why = inline(_first_sentence(first.reason))
    lines = [
        f"- **{escape_markdown(a.name)}:** {escape_markdown(a.reason)}"
        f" _(source: {escape_markdown(a.citation)})_"
        for a in avoided
    ]
    return [
        context.card(
            Topic.AVOID_TEST,
            _about(first),
            conditions=[code for a in avoided for code in a.conditions],
            tests=[a.code for a in avoided],
            summary=fit(
                *(
                    [
                        f"Avoid {inline(first.name)} now: {why}",
                        f"Avoid {inline(first.name)} now: {why.split('; ')[0]}",
                    ]
                    if len(avoided) == 1
                    else []
                ),
                f"Avoid now: {join_names(names)}",
                f"Avoid now: {names[0]} and {len(names) - 1} other test(s)",
                limit=SUMMARY_MAX_CHARS,
            ),
            detail="\n".join(lines),
        )
    ]


def guideline_home(differential: Differential) -> Topic | None:
    """The one card that says what a guideline makes of the X-ray, if one does: the card that
    names the MRI it must not delay, else the differential card."""
    if not any(t.code == _XRAY for t in differential.indications):
        return None
    flagged = {code for flag in differential.red_flags for code in flag.calls_for}
    if flagged & {_XRAY, _HIP_MRI}:
        return Topic.RED_FLAG
    if any(t.code == _HIP_MRI for t in shown_next_tests(differential)):
        return Topic.NEXT_TEST
    return Topic.DIFFERENTIAL


def guideline_note(differential: Differential) -> str:
    """Where the article and a published guideline differ on the X-ray, who says what."""
    advice = next((t for t in differential.indications if t.code == _XRAY), None)
    if advice is None:
        return ""
    return (
        f"**X-ray:** {escape_markdown(advice.reason)} The source article calls the X-ray "
        f"useless for the soft-tissue conditions. _(source: {escape_markdown(advice.citation)})_"
    )


def order_reason(conditions: Sequence[str], context: CardContext) -> str:
    """The clinical question an order answers, naming the conditions (for reasonCode)."""
    names = [context.name(code) for code in conditions] or [context.name(context.leading_condition)]
    return "Buttock / posterior hip pain: " + " vs ".join(names)


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head.rstrip(".") if dot else text.rstrip(".")


def _about(advice: TestAdvice) -> str | None:
    return advice.conditions[0] if advice.conditions else None


def _question(advice: TestAdvice, context: CardContext) -> str:
    names = [inline(context.name(code)) for code in advice.conditions]
    if len(names) > 1 and context.likely.issuperset(advice.conditions[:2]):
        # Both are there, each on its own findings: the test is for the first, not one
        # against the other (contract section 4), nor for both ("for trochanteric bursitis
        # and lumbar disc sciatica, both likely" read as if the abduction test were for the
        # disc; the 1.24.0 review).
        return f" for {names[0]} ({names[1]} is likely too)"
    if len(names) > 1:
        return f" to separate {' from '.join(names[:2])}"
    return f" for {names[0]}" if names else ""


def _next_summary(top: Sequence[TestAdvice], context: CardContext, *, after_flags: bool) -> str:
    lead = "After the red-flag work-up: " if after_flags else "Next: "
    summary = f"{lead}{top[0].name}{_drafted(top[0], context)}{_question(top[0], context)}"
    then = f"; then {inline(top[1].name)}" if len(top) > 1 else ""
    return fit(summary + then, summary, f"{lead}{top[0].name}", limit=SUMMARY_MAX_CHARS)


def _next_detail(
    top: Sequence[TestAdvice], context: CardContext, *, after_flags: bool, note: str
) -> str:
    lines = [
        f"{number}. **{escape_markdown(advice.name)}**{_drafted(advice, context)} — "
        f"{escape_markdown(advice.reason)}{_about_text(advice, context)}"
        for number, advice in enumerate(top, start=1)
    ]
    head = ["First the red-flag work-up (see the red-flag card); then:"] if after_flags else []
    sources = "; ".join(escape_markdown(c) for c in unique_citations(a.citation for a in top))
    tail = [f"**Sources:** {sources}"] if sources else []
    asks = [f"**Ask:** {escape_markdown(ask)}" for ask in asks_of(context.asks)]
    return "\n\n".join(["\n".join([*head, *lines]), *asks, *([note] if note else []), *tail])


def asks_of(asks: Sequence[str]) -> list[str]:
    """Each question once (how long the pain has lasted; whether the weakness progresses)."""
    return list(dict.fromkeys(a for a in asks if a))


def _drafted(advice: TestAdvice, context: CardContext) -> str:
    """Said after a study of the plan that is drafted: with the order's own contrast, since
    the plan names the study without (never "without contrast" for a with-contrast order)."""
    if advice.code not in context.drafted:
        return ""
    contrast = context.drafted_contrast.get(advice.code)
    return f" (drafted {contrast})" if contrast else " (already drafted)"


def unique_citations(citations: Iterable[str]) -> list[str]:
    """Each source once, in order, though several rules cite it ("a; b" counts as two)."""
    return list(dict.fromkeys(c.strip() for text in citations for c in text.split("; ") if c))


def _about_text(advice: TestAdvice, context: CardContext) -> str:
    names = [escape_markdown(context.name(code)) for code in advice.conditions]
    return f" _(about: {', '.join(names)})_" if names else ""


def order_suggestions(top: Sequence[TestAdvice], context: CardContext) -> tuple[Suggestion, ...]:
    """A draft order to accept for each orderable study of ``top``, the first recommended."""
    # A valid R4 ServiceRequest needs its subject: without a patient id, no draft order.
    if context.patient_id is None:
        return ()
    # Never a second order for a study already drafted (contract 5, no duplicates).
    orderable = [
        a
        for a in top
        if (e := catalogue_entry(a.code)) is not None and e.orderable
        if a.code not in context.drafted
    ]
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
