"""What a returned card was about: its topic, and the conditions and tests it concerned.

The one reader of a card's subject, shared by the feedback store and the metrics, kept
next to its writer (:func:`cards._context.card_subject`). Read from the card-subject
extension every card of ``cards`` carries (:data:`cards.CARD_SUBJECT_EXTENSION`); nothing
is guessed from the card's text. A card
without it (none of ours) is recorded with its topic only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cards._context import CARD_SUBJECT_EXTENSION
from cards.catalogue import TEST_SYSTEM
from cards.model import Card

__all__ = ["CardSubjects", "card_subjects", "card_uuid", "suggestion_tests"]


@dataclass(frozen=True)
class CardSubjects:
    """The topic of one card, the condition and test codes it was about, its knowledge."""

    topic: str
    conditions: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    knowledge_version: str | None = None


def card_subjects(card: Card | Mapping[str, Any]) -> CardSubjects:
    """What ``card`` was about, from its card-subject extension (else its topic only).

    ``card`` is a typed card as rendered, or its JSON (as an EHR received it).
    """
    if isinstance(card, Card):
        topic = card.source.topic.code if card.source.topic else "unknown"
        return _subjects(topic, _extension({"extension": card.extension}, CARD_SUBJECT_EXTENSION))
    return _subjects(_topic(card), _extension(card, CARD_SUBJECT_EXTENSION))


def card_uuid(card: Card | Mapping[str, Any]) -> str | None:
    """The card's uuid, which its feedback names; None when it has none."""
    uuid = card.uuid if isinstance(card, Card) else card.get("uuid")
    return uuid if isinstance(uuid, str) else None


def suggestion_tests(card: Card | Mapping[str, Any]) -> dict[str, list[str]]:
    """Suggestion uuid -> the tests its actions order (our test codes), for each suggestion.

    A suggestion that orders no test of ours (e.g. one that only removes a draft order)
    maps to an empty list: accepting it is counted for the card, not for any test.
    """
    if isinstance(card, Card):
        return {s.uuid: _ordered_tests(a.resource for a in s.actions) for s in card.suggestions}
    found: dict[str, list[str]] = {}
    suggestions = card.get("suggestions")
    for suggestion in suggestions if isinstance(suggestions, list) else ():
        uuid = suggestion.get("uuid") if isinstance(suggestion, _MAPPINGS) else None
        if isinstance(uuid, str):
            actions = suggestion.get("actions")
            resources = (a.get("resource") for a in actions or () if isinstance(a, _MAPPINGS))
            found[uuid] = _ordered_tests(resources if isinstance(actions, list) else ())
    return found


def _ordered_tests(resources: Any) -> list[str]:
    tests: list[str] = []
    for resource in resources:
        concept = resource.get("code") if isinstance(resource, _MAPPINGS) else None
        codings = concept.get("coding") if isinstance(concept, _MAPPINGS) else None
        for coding in codings if isinstance(codings, list) else ():
            if isinstance(coding, _MAPPINGS) and coding.get("system") == TEST_SYSTEM:
                code = coding.get("code")
                if isinstance(code, str) and code not in tests:
                    tests.append(code)
    return tests


def _subjects(topic: str, subject: Mapping[str, Any]) -> CardSubjects:
    version = subject.get("knowledgeVersion")
    return CardSubjects(
        topic=topic,
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
