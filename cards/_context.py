"""What every card of one response shares: topics, source, knowledge links."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from pydantic import JsonValue

from cards._text import humanise, inline, plain
from cards.errors import CardsError
from cards.model import Card, Coding, Indicator, Link, LinkType, Source
from cards.service_request import is_fhir_id
from differential.model import Differential, Status
from terminology import code_tables, system_url

__all__ = [
    "CARD_SUBJECT_EXTENSION",
    "TOPIC_SYSTEM",
    "CardContext",
    "KnowledgeUrl",
    "Topic",
    "card_subject",
    "knowledge_page",
]

TOPIC_SYSTEM = system_url("card_topic")
# On every card, beyond the contract: its topic and the condition and test codes it is about.
CARD_SUBJECT_EXTENSION = "https://gluteal-cds.org/cds-hooks/card-subject"

# Either the service's base URL (pages live at <base>/knowledge/<condition code>) or a
# function from a condition code to the URL of its knowledge page.
KnowledgeUrl = Callable[[str], str] | str


class Topic(StrEnum):
    """Card topics of the contract (section 5), in the order cards are shown."""

    RED_FLAG = "red-flag"
    DIFFERENTIAL = "differential"
    NEXT_TEST = "next-test"
    AVOID_TEST = "avoid-test"
    TREATMENT_CAUTION = "treatment-caution"
    ORDER_APPROPRIATENESS = "order-appropriateness"


_INDICATORS: dict[Topic, Indicator] = {
    Topic.RED_FLAG: Indicator.CRITICAL,
    Topic.DIFFERENTIAL: Indicator.INFO,
    Topic.NEXT_TEST: Indicator.INFO,
    # Info on patient-view: nobody has ordered anything yet (contract 5, 12-06); the order
    # hooks warn with the order-appropriateness card instead.
    Topic.AVOID_TEST: Indicator.INFO,
    Topic.TREATMENT_CAUTION: Indicator.WARNING,
    Topic.ORDER_APPROPRIATENESS: Indicator.WARNING,
}
# (indicator, display); the displays are codes.json's.
_TOPICS: dict[Topic, tuple[Indicator, str]] = {
    topic: (indicator, dict(code_tables().card_topics)[topic])
    for topic, indicator in _INDICATORS.items()
}


def card_subject(
    topic: Topic, conditions: Sequence[str], tests: Sequence[str], knowledge_version: str
) -> dict[str, JsonValue]:
    """What a card is about, machine-readable: joins feedback to the knowledge behind it."""
    return {
        "topic": topic.value,
        "conditions": list(dict.fromkeys(conditions)),
        "tests": list(dict.fromkeys(tests)),
        "knowledgeVersion": knowledge_version,
    }


def knowledge_page(knowledge_url: KnowledgeUrl, condition: str) -> str:
    """The URL of the knowledge page of ``condition``."""
    if isinstance(knowledge_url, str):
        return _page(knowledge_url, condition)
    return knowledge_url(condition)


@lru_cache(maxsize=1024)  # one service base and seven conditions: quoted once, not per card
def _page(base_url: str, condition: str) -> str:
    return f"{base_url.rstrip('/')}/knowledge/{quote(condition, safe='')}"


@dataclass(frozen=True)
class CardContext:
    """The shared parts of the cards rendered for one differential."""

    knowledge_version: str
    knowledge_url: KnowledgeUrl
    leading_condition: str  # the page a card links to when it is about no one condition
    condition_names: Mapping[str, str] = field(default_factory=dict)
    patient_id: str | None = None
    data_notes: tuple[str, ...] = ()  # what is missing from the data, said on the card
    # Conditions that are likely, each on its own evidence (several can be at once).
    likely: frozenset[str] = frozenset()
    # Findings a clinical note decided: code -> "DocumentReference/<id>" (contract 3a).
    from_notes: Mapping[str, str] = field(default_factory=dict)
    drafted: frozenset[str] = frozenset()  # test codes already in draftOrders: never offered
    # A drafted study ordered with contrast: test code -> "with contrast", as it is named.
    drafted_contrast: Mapping[str, str] = field(default_factory=dict)
    asks: tuple[str, ...] = ()  # questions a guideline rating turns on (e.g. how long)
    order_hook: bool = False  # order-select / order-sign: the avoid-test card warns
    # Kinds of treatment order drafted (e.g. "steroid-or-bursa-injection"): the cautions and
    # red flags that forbid one say so on the order hooks.
    ordered: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        differential: Differential,
        knowledge_url: KnowledgeUrl,
        patient_id: str | None,
        data_notes: Sequence[str] = (),
        from_notes: Mapping[str, str] | None = None,
        *,
        drafted: frozenset[str] = frozenset(),
        drafted_contrast: Mapping[str, str] | None = None,
        order_hook: bool = False,
        ordered: frozenset[str] = frozenset(),
    ) -> CardContext:
        """The context for rendering ``differential``; it must have candidates.

        A ``patient_id`` that is not a FHIR id cannot be an order's subject: it is dropped,
        so no order is offered rather than the call failing.
        """
        ranked = sorted(differential.candidates, key=lambda candidate: candidate.rank)
        if not ranked:
            raise CardsError("an active differential without candidates cannot be rendered")
        return cls(
            knowledge_version=differential.knowledge_version,
            knowledge_url=knowledge_url,
            leading_condition=ranked[0].code,
            condition_names={candidate.code: candidate.name for candidate in ranked},
            patient_id=patient_id if patient_id is not None and is_fhir_id(patient_id) else None,
            data_notes=tuple(data_notes),
            likely=frozenset(c.code for c in ranked if c.status is Status.LIKELY),
            from_notes=dict(from_notes or {}),
            drafted=drafted,
            drafted_contrast=dict(drafted_contrast or {}),
            asks=tuple(r.ask for r in differential.ratings.values() if r.ask),
            order_hook=order_hook,
            ordered=ordered,
        )

    def name(self, condition: str) -> str:
        """The condition's name in words (its code when the differential does not name it)."""
        name = self.condition_names.get(condition)
        return humanise(condition) if name is None else name

    def card(
        self,
        topic: Topic,
        about: str | None,
        *,
        conditions: Sequence[str] = (),
        tests: Sequence[str] = (),
        indicator: Indicator | None = None,
        **fields: Any,
    ) -> Card:
        """A card of ``topic`` whose source and link point at the page of ``about``.

        ``conditions`` and ``tests`` are the codes the card is about; they go into its
        :data:`CARD_SUBJECT_EXTENSION`, next to any extension given in ``fields``.
        ``indicator`` overrides the topic's (the CT-to-MRI swap is ``info``).
        """
        subject = card_subject(topic, conditions, tests, self.knowledge_version)
        fields["extension"] = {**(fields.get("extension") or {}), CARD_SUBJECT_EXTENSION: subject}
        condition = about or self.leading_condition
        page = knowledge_page(self.knowledge_url, condition)
        source = _source(self.knowledge_version, page, topic)
        link = _link(page, self.name(condition))
        shown = indicator or _TOPICS[topic][0]
        if topic is Topic.AVOID_TEST and self.order_hook:
            shown = Indicator.WARNING  # someone is ordering now (contract 5, 12-06)
        return Card(indicator=shown, source=source, links=(link,), **fields)


# Sources and links are immutable and the same for every card of a topic and condition:
# validated once, not on every hook call.
@lru_cache(maxsize=1024)
def _source(knowledge_version: str, page: str, topic: Topic) -> Source:
    return Source(
        label=f"Gluteal pain CDS (knowledge v{knowledge_version})",
        url=page,
        topic=Coding(system=TOPIC_SYSTEM, code=topic, display=_TOPICS[topic][1]),
    )


@lru_cache(maxsize=1024)
def _link(page: str, condition_name: str) -> Link:
    return Link(
        label=plain(f"How we reason about {inline(condition_name)}"),
        url=page,
        type=LinkType.ABSOLUTE,
    )
