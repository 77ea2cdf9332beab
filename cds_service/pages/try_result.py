"""What the /try page shows of an assessment: the chart, the reasons, the cards.

Card details are Markdown; they are rendered with raw HTML switched off, so no text that
reached a card (a knowledge-base string, a finding label) can inject markup or script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup

from cards import Card, Indicator
from cds_service.hooks.pipeline import Assessment
from differential.model import Candidate, Differential

__all__ = ["CardView", "TryResult", "render_markdown", "result_for"]

# Indicator -> the words an EHR shows beside the card's colour.
_INDICATOR_LABELS: Mapping[Indicator, str] = {
    Indicator.INFO: "Info",
    Indicator.WARNING: "Warning",
    Indicator.CRITICAL: "Critical",
}


@cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML: "<script>" in a detail stays text.
    return MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str) -> Markup:
    """Card Markdown as safe HTML (raw HTML in the source is escaped, unsafe links dropped)."""
    return Markup(_markdown().render(text))  # noqa: S704 - markdown-it escapes with html off


@dataclass(frozen=True)
class CardView:
    """One card as the EHR shows it."""

    card: Card
    indicator_label: str
    topic: str  # the topic's display, e.g. "Next test"
    detail: Markup | None


@dataclass(frozen=True)
class TryResult:
    """The differential and the cards of one submission."""

    differential: Differential
    cards: tuple[CardView, ...]

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """The candidates, most likely first."""
        return tuple(sorted(self.differential.candidates, key=lambda c: c.rank))


def result_for(assessment: Assessment) -> TryResult:
    """The page's view of ``assessment``."""
    return TryResult(assessment.differential, tuple(_card_view(c) for c in assessment.cards))


def _card_view(card: Card) -> CardView:
    topic = card.source.topic
    return CardView(
        card=card,
        indicator_label=_INDICATOR_LABELS[card.indicator],
        topic=(topic.display or topic.code) if topic else "",
        detail=render_markdown(card.detail) if card.detail else None,
    )
