"""Answers to our bedside Questionnaire (terminology/Questionnaire-finding-capture.json)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from fhir_mappings._answers import answer_readings, counts
from fhir_mappings._findings import newest_wins
from fhir_mappings._resources import instant, invalid, unpack, validate
from fhir_mappings.patient_record import DEFAULT_MAX_AGE
from fhir_mappings.record import MappingError, PatientRecord
from terminology import code_tables

__all__ = ["map_questionnaire_response"]

_TYPE = "QuestionnaireResponse"


def map_questionnaire_response(
    response: object, *, evaluated_at: datetime, max_age: timedelta = DEFAULT_MAX_AGE
) -> PatientRecord:
    """Findings from one QuestionnaireResponse to our Questionnaire (contract section 3).

    An answer is a ``valueBoolean`` or a ``valueCoding`` yes / no (present / absent);
    unanswered items and "unknown" stay unknown. Like an observation, the response counts
    only when ``authored`` lies within ``max_age`` of ``evaluated_at``, it is completed or
    amended and it answers our Questionnaire; otherwise every finding answered in it is
    counted in ``ignored``.
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
    found = list(answer_readings(parsed, code_tables(), instant(parsed.authored) or evaluated_at))
    counted = counts(parsed, evaluated_at, max_age)
    decided = newest_wins(found if counted else [])
    return PatientRecord(
        findings=decided.findings,
        sources=decided.sources,
        first_present_at=decided.first_present_at,
        first_absent_at=decided.first_absent_at,
        problems=tuple(unpacked.problems),
        ignored=sum(1 for r in found if not counted or r.present is None),
    )
