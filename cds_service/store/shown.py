"""What each returned card was about: its topic, and the conditions and tests it concerned.

Read from the card's own machine-readable extensions where it has them, otherwise from the
differential the card was rendered from, chosen by the card's topic (a look-up table).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from cards import APPROPRIATENESS_EXTENSION, DIFFERENTIAL_EXTENSION, Topic
from differential.model import Differential, Status

__all__ = ["CardSubjects", "HookEvent", "card_subjects"]

_STRESS_FRACTURE = "hip-stress-fracture"  # the one red flag that is also a condition


class HookEvent(Protocol):
    """What the app tells listeners after each hook response."""

    @property
    def service_id(self) -> str: ...
    @property
    def hook(self) -> str: ...
    @property
    def hook_instance(self) -> str | None: ...
    @property
    def patient_id(self) -> str | None: ...
    @property
    def cards(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def differential(self) -> Differential | None: ...


@dataclass(frozen=True)
class CardSubjects:
    """The topic of one card and the condition and test codes it was about."""

    topic: str
    conditions: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()


_Extractor = Callable[[Mapping[str, Any], Differential | None], CardSubjects]


def card_subjects(card: Mapping[str, Any], differential: Differential | None) -> CardSubjects:
    """Work out what ``card`` was about (unknown topics give empty subjects)."""
    topic = _topic(card)
    extractor = _EXTRACTORS.get(topic)
    return extractor(card, differential) if extractor else CardSubjects(topic)


def _topic(card: Mapping[str, Any]) -> str:
    source = card.get("source")
    topic = source.get("topic") if isinstance(source, Mapping) else None
    code = topic.get("code") if isinstance(topic, Mapping) else None
    return code if isinstance(code, str) else "unknown"


def _extension(card: Mapping[str, Any], url: str) -> Mapping[str, Any]:
    extensions = card.get("extension")
    value = extensions.get(url) if isinstance(extensions, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _codes(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    return tuple(v for v in values if isinstance(v, str))


def _differential_card(card: Mapping[str, Any], dx: Differential | None) -> CardSubjects:
    listed = _extension(card, DIFFERENTIAL_EXTENSION).get("conditions")
    if isinstance(listed, list):
        conditions = tuple(
            c["code"]
            for c in listed
            if isinstance(c, Mapping) and isinstance(c.get("code"), str)
            if c.get("status") != Status.UNLIKELY
        )
    elif dx is not None:
        conditions = tuple(c.code for c in dx.candidates if c.status != Status.UNLIKELY)
    else:
        conditions = ()
    return CardSubjects(Topic.DIFFERENTIAL, conditions=conditions)


def _advice_card(topic: str, kind: str) -> _Extractor:
    def extract(card: Mapping[str, Any], dx: Differential | None) -> CardSubjects:
        advice = getattr(dx, kind, ()) if dx is not None else ()
        named = [a for a in advice if _mentions(card, a.code, a.name)]
        chosen = named or list(advice)  # a card naming none of them is about all of them
        conditions = tuple(dict.fromkeys(c for a in chosen for c in a.conditions))
        return CardSubjects(topic, conditions=conditions, tests=tuple(a.code for a in chosen))

    return extract


def _caution_card(card: Mapping[str, Any], dx: Differential | None) -> CardSubjects:
    cautions = dx.cautions if dx is not None else ()
    named = [c for c in cautions if _mentions(card, c.id, c.text)] or list(cautions)
    conditions = tuple(dict.fromkeys(c.condition for c in named))
    return CardSubjects(Topic.TREATMENT_CAUTION, conditions=conditions)


def _red_flag_card(card: Mapping[str, Any], dx: Differential | None) -> CardSubjects:
    flags = dx.red_flags if dx is not None else ()
    named = [f for f in flags if _mentions(card, f.code, f.name)] or list(flags)
    conditions = tuple(f.code for f in named if f.code == _STRESS_FRACTURE)
    return CardSubjects(Topic.RED_FLAG, conditions=conditions)


def _appropriateness_card(card: Mapping[str, Any], _dx: Differential | None) -> CardSubjects:
    rating = _extension(card, APPROPRIATENESS_EXTENSION)
    tests = _codes([rating.get("test"), rating.get("alternative")])
    return CardSubjects(Topic.ORDER_APPROPRIATENESS, tests=tests)


def _mentions(card: Mapping[str, Any], code: str, name: str) -> bool:
    # Cards are Markdown: drop the escaping backslashes before looking for a name.
    text = f"{card.get('summary', '')}\n{card.get('detail', '')}".replace("\\", "").casefold()
    return code.casefold() in text or (bool(name) and name.casefold() in text)


_EXTRACTORS: Mapping[str, _Extractor] = {
    Topic.DIFFERENTIAL: _differential_card,
    Topic.NEXT_TEST: _advice_card(Topic.NEXT_TEST, "next_tests"),
    Topic.AVOID_TEST: _advice_card(Topic.AVOID_TEST, "avoid_tests"),
    Topic.TREATMENT_CAUTION: _caution_card,
    Topic.RED_FLAG: _red_flag_card,
    Topic.ORDER_APPROPRIATENESS: _appropriateness_card,
}
