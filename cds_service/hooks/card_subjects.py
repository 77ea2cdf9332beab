"""What a returned card was about: its topic, and the conditions and tests it concerned.

The one reader of a card's subject, shared by the feedback store and the metrics. Read
from the card-subject extension every card of ``cards`` carries
(:data:`cards.CARD_SUBJECT_EXTENSION`); nothing is guessed from the card's text. A card
without it (none of ours) is recorded with its topic only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cards import CARD_SUBJECT_EXTENSION

__all__ = ["CardSubjects", "card_subjects"]


@dataclass(frozen=True)
class CardSubjects:
    """The topic of one card, the condition and test codes it was about, its knowledge."""

    topic: str
    conditions: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    knowledge_version: str | None = None


def card_subjects(card: Mapping[str, Any]) -> CardSubjects:
    """What ``card`` was about, from its card-subject extension (else its topic only)."""
    subject = _extension(card, CARD_SUBJECT_EXTENSION)
    version = subject.get("knowledgeVersion")
    return CardSubjects(
        topic=_topic(card),
        conditions=_codes(subject.get("conditions")),
        tests=_codes(subject.get("tests")),
        knowledge_version=version if isinstance(version, str) else None,
    )


# dict first: cards are parsed JSON, and the Mapping ABC check alone is slow.
_MAPPINGS = (dict, Mapping)


def _topic(card: Mapping[str, Any]) -> str:
    source = card.get("source")
    topic = source.get("topic") if isinstance(source, _MAPPINGS) else None
    code = topic.get("code") if isinstance(topic, _MAPPINGS) else None
    return code if isinstance(code, str) else "unknown"


def _extension(card: Mapping[str, Any], url: str) -> Mapping[str, Any]:
    extensions = card.get("extension")
    value = extensions.get(url) if isinstance(extensions, _MAPPINGS) else None
    return value if isinstance(value, _MAPPINGS) else {}


def _codes(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(v for v in values if isinstance(v, str))
