"""The three prefetch values of a patient (Patient, Observations, Conditions) to findings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from fhir_mappings import _conditions, _patient
from fhir_mappings._answers import answer_readings, counts
from fhir_mappings._codes import CodeTables, code_tables
from fhir_mappings._findings import newest_wins
from fhir_mappings._observation_model import Observation
from fhir_mappings._observations import Reading, names_finding, readings
from fhir_mappings._patient_model import Patient
from fhir_mappings._resources import (
    Model,
    RawResource,
    instant,
    invalid,
    resource_id,
    unpack,
    validate,
)
from fhir_mappings.record import DataProblem, MappingError, PatientRecord

__all__ = ["DEFAULT_MAX_AGE", "map_patient_record"]

DEFAULT_MAX_AGE = timedelta(days=180)

Result = TypeVar("Result")


def map_patient_record(
    patient: object,
    observations: object,
    conditions: object,
    *,
    evaluated_at: datetime,
    max_age: timedelta = DEFAULT_MAX_AGE,
    questionnaire_responses: object = None,
) -> PatientRecord:
    """Map the raw JSON of the ``patient``, ``observations``, ``conditions`` and
    ``questionnaireResponses`` prefetch keys.

    Each value is a Bundle, a single resource, an OperationOutcome, :class:`SearchResults`
    or None (no data). Answers to our Questionnaire count like observations made when the
    response was authored; the newest wins across both.
    Resources that cannot be read are skipped and listed in ``problems``; only
    observations and conditions coded with one of our codes are validated at all.
    Observations count by the rules of contract section 3, measured from ``evaluated_at``.
    """
    if evaluated_at.tzinfo is None:
        raise MappingError("evaluated_at must be timezone-aware")
    tables = code_tables()
    problems: list[DataProblem] = []
    observed = _observation_readings(observations, tables, evaluated_at, max_age, problems)
    answered = _answer_readings(questionnaire_responses, tables, evaluated_at, max_age, problems)
    decided = newest_wins([reading for found in observed if found for reading in found] + answered)
    person = _first_valid(patient, "patient", "Patient", Patient, problems)
    return PatientRecord(
        findings=decided.findings,
        diagnoses=frozenset(_diagnoses(conditions, tables, problems)),
        sex=_patient.sex(person) if person else None,
        age_years=_patient.age_years(person, evaluated_at) if person else None,
        sources=decided.sources,
        problems=tuple(problems),
        ignored=sum(1 for found in observed if not any(r.present is not None for r in found or [])),
    )


def _observation_readings(
    value: object,
    tables: CodeTables,
    evaluated_at: datetime,
    max_age: timedelta,
    problems: list[DataProblem],
) -> list[list[Reading] | None]:
    """Readings per relevant observation; None for one that does not count."""

    def read(obs: Observation) -> list[Reading] | None:
        return readings(obs, tables, evaluated_at, max_age)

    return _map_relevant(
        value,
        key="observations",
        resource_type="Observation",
        model=Observation,
        tables=tables,
        relevant=names_finding,
        read=read,
        problems=problems,
    )


def _answer_readings(
    value: object,
    tables: CodeTables,
    evaluated_at: datetime,
    max_age: timedelta,
    problems: list[DataProblem],
) -> list[Reading]:
    """Readings from every counted response to our Questionnaire in ``value``."""
    unpacked = unpack(value, "questionnaireResponses")
    problems.extend(unpacked.problems)
    found: list[Reading] = []
    for raw in unpacked.resources:
        if raw.get("resourceType") != "QuestionnaireResponse":
            continue
        try:
            response = validate(QuestionnaireResponse, raw)
        except ValidationError as error:
            problems.append(invalid("QuestionnaireResponse", raw, error))
            continue
        authored = instant(response.authored)
        if authored is not None and counts(response, evaluated_at, max_age):
            found.extend(answer_readings(response, tables, authored))
    return found


def _diagnoses(value: object, tables: CodeTables, problems: list[DataProblem]) -> set[str]:
    def read(condition: Condition) -> set[str]:
        counted = _conditions.counts(condition, tables)
        return _conditions.condition_codes(condition, tables) if counted else set()

    found = _map_relevant(
        value,
        key="conditions",
        resource_type="Condition",
        model=Condition,
        tables=tables,
        relevant=_conditions.names_condition,
        read=read,
        problems=problems,
    )
    return set().union(*found)


def _map_relevant(
    value: object,
    *,
    key: str,
    resource_type: str,
    model: type[Model],
    tables: CodeTables,
    relevant: Callable[[RawResource, CodeTables], bool],
    read: Callable[[Model], Result],
    problems: list[DataProblem],
) -> list[Result]:
    """Validate and read only the resources of ``resource_type`` that ``relevant`` selects."""
    unpacked = unpack(value, key)
    problems.extend(unpacked.problems)
    results: list[Result] = []
    for raw in unpacked.resources:
        if raw.get("resourceType") != resource_type:
            continue  # e.g. an _include'd Patient or Provenance: not ours to read here
        if not isinstance(raw.get("code"), dict):
            problems.append(DataProblem(resource_type, resource_id(raw), "no code"))
        elif relevant(raw, tables):
            try:
                results.append(read(validate(model, raw)))
            except ValidationError as error:
                problems.append(invalid(resource_type, raw, error))
    return results


def _first_valid(
    value: object, key: str, resource_type: str, model: type[Model], problems: list[DataProblem]
) -> Model | None:
    """The first resource of ``resource_type`` in the value, validated."""
    unpacked = unpack(value, key)
    problems.extend(unpacked.problems)
    for raw in unpacked.resources:
        if raw.get("resourceType") == resource_type:
            try:
                return validate(model, raw)
            except ValidationError as error:
                problems.append(invalid(resource_type, raw, error))
                return None
    return None
