"""Readings from answers to our bedside Questionnaire (contract section 3).

An item's ``linkId`` is a finding code; Yes / ``true`` is present, No / ``false`` absent,
Unknown or no answer stays unknown, and so do answers that disagree (Yes and No to one
item, or one linkId answered both ways in a response), as an Observation with
contradictory codings is. Yes / no in the other codings a finding's value is read
in (LOINC, HL7 v2), and a ``valueString`` that is a whole yes / no word, count too. A
response counts like observations made at its ``authored`` time, only when it answers our
Questionnaire and is completed or amended.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)

from fhir_mappings._observations import Reading
from fhir_mappings._resources import instant
from terminology import QUESTIONNAIRE_URL, CodeTables, value_word

__all__ = ["answer_readings", "counts"]

_COUNTED = frozenset({"completed", "amended"})


def counts(response: QuestionnaireResponse, evaluated_at: datetime, max_age: timedelta) -> bool:
    """Answers our Questionnaire, completed or amended, authored within ``max_age``."""
    canonical = str(response.questionnaire or "").split("|", 1)[0]
    authored = instant(response.authored)
    return (
        canonical == QUESTIONNAIRE_URL
        and str(response.status) in _COUNTED
        and authored is not None
        and evaluated_at - authored <= max_age
    )


def answer_readings(
    response: QuestionnaireResponse, tables: CodeTables, authored: datetime
) -> Iterator[Reading]:
    """One reading per finding code answered (an item's linkId); every answer to it in the
    response counts, so Yes and No together are unknown, and Yes twice is still Yes."""
    findings = {f.code for f in tables.findings}
    stated: dict[str, set[bool | None]] = {}
    for item in _all_items(response.item or []):
        if item.linkId in findings and item.answer:
            states = stated.setdefault(str(item.linkId), set())
            states.update(_answer_state(answer, tables) for answer in item.answer)
    for finding, states in stated.items():
        yield Reading(finding, _agreed(states), response.id, authored, 1)


def _agreed(states: set[bool | None]) -> bool | None:
    """The one state the answers give; none, or both, is unknown."""
    known = states - {None}
    return known.pop() if len(known) == 1 else None


def _all_items(items: Iterable[QuestionnaireResponseItem]) -> Iterator[QuestionnaireResponseItem]:
    """Every item, with those nested in groups and under answers."""
    for item in items:
        yield item
        yield from _all_items(item.item or [])
        for answer in item.answer or []:
            yield from _all_items(answer.item or [])


def _answer_state(answer: QuestionnaireResponseItemAnswer, tables: CodeTables) -> bool | None:
    if answer.valueBoolean is not None:
        return bool(answer.valueBoolean)
    if answer.valueString is not None:  # a form of another tool: only a yes / no word
        return tables.value_words.get(value_word(str(answer.valueString)))
    coding = answer.valueCoding
    if coding is None:
        return None
    return tables.value_state.get((str(coding.system), str(coding.code)))
