"""``red-flag`` and ``treatment-caution`` cards: what must happen now, and what would harm."""

from __future__ import annotations

from collections.abc import Sequence

from cards._context import CardContext, Topic
from cards._text import escape_markdown, fit, inline
from cards.model import SUMMARY_MAX_CHARS, Card
from differential.model import Caution, Differential, RedFlag

__all__ = ["caution_cards", "red_flag_cards"]


def red_flag_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One critical card per red flag, its summary saying what to do now."""
    return [_red_flag_card(flag, context) for flag in differential.red_flags]


def caution_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One warning card per condition that has treatment cautions, in the reasoner's order."""
    by_condition: dict[str, list[Caution]] = {}
    for caution in differential.cautions:
        by_condition.setdefault(caution.condition, []).append(caution)
    return [_caution_card(code, cautions, context) for code, cautions in by_condition.items()]


def _red_flag_card(flag: RedFlag, context: CardContext) -> Card:
    # A red flag that is a condition (hip stress fracture) links to its own page.
    about = flag.code if flag.code in context.condition_names else None
    source = f"\n\n**Source:** {escape_markdown(flag.citation)}" if flag.citation else ""
    detail = (
        f"**{escape_markdown(flag.name)}.** Do now: {escape_markdown(flag.action)}\n\n"
        "This takes precedence over the differential diagnosis." + source
    )
    return context.card(
        Topic.RED_FLAG,
        about,
        conditions=[about] if about else [],
        summary=fit(f"{flag.name}: {flag.action}", SUMMARY_MAX_CHARS),
        detail=detail,
    )


def _caution_card(condition: str, cautions: Sequence[Caution], context: CardContext) -> Card:
    name = context.name(condition)
    more = f" (+{len(cautions) - 1} more)" if len(cautions) > 1 else ""
    summary = fit(f"If {inline(name)}: {cautions[0].text}", SUMMARY_MAX_CHARS - len(more)) + more
    lines = [f"- {escape_markdown(c.text)}{_cited(c.citation)}" for c in cautions]
    detail = f"Treatment cautions for **{escape_markdown(name)}**:\n\n" + "\n".join(lines)
    return context.card(
        Topic.TREATMENT_CAUTION, condition, conditions=[condition], summary=summary, detail=detail
    )


def _cited(citation: str) -> str:
    return f" _(source: {escape_markdown(citation)})_" if citation else ""
