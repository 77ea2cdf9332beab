"""Answers to our bedside Questionnaire (terminology/Questionnaire-finding-capture.json)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from pydantic import ValidationError

from fhir_mappings._codes import CodeTables, code_tables
from fhir_mappings._findings import newest_wins
from fhir_mappings._observations import Reading
from fhir_mappings._resources import instant, invalid, unpack, validate
from fhir_mappings.patient_record import DEFAULT_MAX_AGE
from fhir_mappings.record import MappingError, PatientRecord

__all__ = ["map_questionnaire_response"]

_NOT_COUNTED = frozenset({"entered-in-error"})


def map_questionnaire_response(
    response: object, *, evaluated_at: datetime, max_age: timedelta = DEFAULT_MAX_AGE
) -> PatientRecord:
    """Findings from a QuestionnaireResponse whose item linkIds are finding codes.

    An answer is a ``valueBoolean`` or a ``valueCoding`` yes / no (present / absent);
    unanswered items and "unknown" stay unknown. Like an observation, the response counts
    only when ``authored`` lies within ``max_age`` of ``evaluated_at`` and its status is not
    entered-in-error; otherwise every finding answered in it is counted in ``ignored``.
    """
    if evaluated_at.tzinfo is None:
        raise MappingError("evaluated_at must be timezone-aware")
    unpacked = unpack(response, "questionnaireResponse")
    raw = next((r for r in unpacked.resources if r.get("resourceType") == _TYPE), None)
    if raw is None:
        return PatientRecord(problems=tuple(unpacked.problems))
    try:
        parsed = validate(QuestionnaireResponse, raw)
    except ValidationError as error:
        return PatientRecord(problems=(*unpacked.problems, invalid(_TYPE, raw, error)))
    authored = instant(parsed.authored)
    found = list(_readings(parsed, code_tables(), authored or evaluated_at))
    counts = (
        parsed.status not in _NOT_COUNTED
        and authored is not None
        and evaluated_at - authored <= max_age
    )
    decided = newest_wins(found if counts else [])
    return PatientRecord(
        findings=decided.findings,
        sources=decided.sources,
        problems=tuple(unpacked.problems),
        ignored=sum(1 for r in found if not counts or r.present is None),
    )


_TYPE = "QuestionnaireResponse"


def _readings(
    response: QuestionnaireResponse, tables: CodeTables, authored: datetime
) -> Iterator[Reading]:
    findings = {f.code for f in tables.findings}
    for item in _all_items(response.item or []):
        if item.linkId in findings and item.answer:
            state = _answer_state(item.answer[0], tables)
            yield Reading(str(item.linkId), state, response.id, authored, 1)


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
    coding = answer.valueCoding
    if coding is None:
        return None
    return tables.value_state.get((str(coding.system), str(coding.code)))
