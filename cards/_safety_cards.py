"""``red-flag`` and ``treatment-caution`` cards: what must happen now, and what would harm.

One card per topic (contract section 5): the red-flag card lists every flag raised, grouped
by what it may mean, with what to do now and a draft order for the studies they call for;
the caution card lists every caution for the leading condition and the bone-stress caution.
"""

from __future__ import annotations

from collections.abc import Sequence

from cards._context import CardContext, Topic
from cards._extension import DIFFERENTIAL_EXTENSION, differential_extension
from cards._test_cards import (
    guideline_home,
    guideline_note,
    order_suggestions,
    unique_citations,
)
from cards._text import escape_markdown, fit, inline, join_names
from cards.model import SUMMARY_MAX_CHARS, Card, SelectionBehavior
from cards.notes import from_note
from differential.model import Caution, Differential, RedFlag

__all__ = ["caution_cards", "red_flag_cards"]


def red_flag_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One critical card with every red flag, most urgent first, saying what to do now."""
    flags = differential.red_flags
    if not flags:
        return []
    studies = [t for t in differential.next_tests if t.red_flag]
    suggestions = order_suggestions(studies, context)
    # A red flag that is a condition (hip stress fracture) links to its own page.
    about = next((f.code for f in flags if f.code in context.condition_names), None)
    return [
        context.card(
            Topic.RED_FLAG,
            about,
            conditions=[f.code for f in flags if f.code in context.condition_names],
            tests=[t.code for t in studies],
            summary=_forbidding(flags, context) or _flag_summary(flags),
            detail=_flag_detail(differential, flags),
            suggestions=suggestions,
            selection_behavior=SelectionBehavior.AT_MOST_ONE if suggestions else None,
            # The order hooks show no differential card: the machine-readable differential,
            # red flags included, rides on the red-flag card there and here alike.
            extension={
                DIFFERENTIAL_EXTENSION: differential_extension(differential, context.from_notes)
            },
        )
    ]


def caution_cards(differential: Differential, context: CardContext) -> list[Card]:
    """One warning card with every treatment caution, the leading condition's first. On the
    order hooks, only those that warn against a treatment order drafted (a bursa injection
    while a stress fracture is possible): the card shows while it is being ordered."""
    cautions = differential.cautions
    if context.order_hook:
        cautions = tuple(c for c in cautions if context.ordered & frozenset(c.warns_on))
    if not cautions:
        return []
    first = cautions[0]
    name = context.name(first.condition)
    more = len(cautions) - 1
    extra = f" (+{more} more)" if more else ""
    lines = [f"- {_caution_line(c, context)}" for c in cautions]
    return [
        context.card(
            Topic.TREATMENT_CAUTION,
            first.condition,
            conditions=list(dict.fromkeys(c.condition for c in cautions)),
            summary=fit(
                f"If {inline(name)}: {first.text}{extra}",
                f"{_first_sentence(first.text)}{extra}",
                limit=SUMMARY_MAX_CHARS,
            ),
            detail="**Treatment cautions**\n\n" + "\n".join(lines),
        )
    ]


def _forbidding(flags: Sequence[RedFlag], context: CardContext) -> str | None:
    """On an order hook where a treatment a flag forbids is drafted (a corticosteroid
    injection with the tumour flag), the summary says so first; None otherwise."""
    forbidden = [
        (flag, text)
        for flag in flags
        for kind, text in flag.order_warnings
        if kind in context.ordered
    ]
    if not context.order_hook or not forbidden:
        return None
    flag, text = forbidden[0]
    caveat = " (from a note: confirm)" if any(from_note(f) for f in flags) else ""
    others = [c for c in dict.fromkeys(_concern(f) for f in flags) if c != _concern(flag)]
    also = f" Also: {join_names(inline(c) for c in others)}" if others else ""
    names = join_names(inline(f.name) for f in flags if _concern(f) == _concern(flag))
    when = _urgency(flag, ", ")
    return fit(
        f"{_concern(flag)} ({names}){when}: {text}{caveat}{also}",
        f"{_concern(flag)}{when}: {text}{caveat}{also}",
        f"{_concern(flag)}: {text}{caveat}",
        limit=SUMMARY_MAX_CHARS,
    )


def _flag_summary(flags: Sequence[RedFlag]) -> str:
    """Every concern is named in a critical summary: none hides behind "(+1 more)"."""
    top = flags[0]
    # A flag raised from a note's words keeps saying so in its summary, however short.
    caveat = " (from a note: confirm)" if any(from_note(f) for f in flags) else ""
    concerns = list(dict.fromkeys(_concern(f) for f in flags))
    names = join_names(inline(f.name) for f in flags if _concern(f) == _concern(top))
    if len(concerns) > 1:
        also = join_names(inline(c) for c in concerns[1:])
        return fit(
            f"{_concern(top)}: {_first_sentence(top.action)}{caveat} Also: {also}",
            f"{_concern(top)}, {top.urgency or 'now'}{caveat}; also {also}",
            f"Red flags: {join_names(concerns)}{caveat}",
            limit=SUMMARY_MAX_CHARS,
        )
    return fit(
        f"{_concern(top)}: {top.action}",
        f"{_concern(top)}: {_first_sentence(top.action)}{caveat}",
        f"{_concern(top)} ({names}), {top.urgency or 'now'}",
        f"Red flag{_urgency(top, ', ')}: {_concern(top)}{caveat}",
        limit=SUMMARY_MAX_CHARS,
    )


def _concern(flag: RedFlag) -> str:
    return flag.concern or flag.name


def _urgency(flag: RedFlag, before: str) -> str:
    return f"{before}{flag.urgency}" if flag.urgency else ""


def _flag_detail(differential: Differential, flags: Sequence[RedFlag]) -> str:
    sections = []
    for concern in dict.fromkeys(_concern(f) for f in flags):
        group = [f for f in flags if _concern(f) == concern]
        # Finding flags name what was recorded; a condition's flag is explained by the
        # differential card's reasons.
        findings = [f for f in group if f.code not in differential.condition_codes]
        names = join_names(escape_markdown(inline(f.name)) for f in findings)
        lead = group[0]
        sources = "; ".join(escape_markdown(c) for c in unique_citations(f.citation for f in group))
        about = [lead.urgency] if lead.urgency else []
        about += [f"recorded: {names}"] if names else []
        said = f" ({'; '.join(about)})" if about else ""
        sections.append(
            f"**{escape_markdown(concern)}**{said}. Do now: {escape_markdown(lead.action)}"
            f" _(source: {sources})_"
        )
    note = guideline_note(differential) if guideline_home(differential) is Topic.RED_FLAG else ""
    sections.append("This takes precedence over the differential diagnosis.")
    return "\n\n".join([*sections, *([note] if note else [])])


def _caution_line(caution: Caution, context: CardContext) -> str:
    name = escape_markdown(context.name(caution.condition))
    source = escape_markdown(caution.citation)
    return f"**{name}:** {escape_markdown(caution.text)} _(source: {source})_"


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + ("." if dot else "")
