"""The three prefetch values of a patient (Patient, Observations, Conditions) to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
from fhir_mappings.subject import PatientContext, subject_problem

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
    patient_context: PatientContext | None = None,
) -> PatientRecord:
    """Map the raw JSON of the ``patient``, ``observations``, ``conditions`` and
    ``questionnaireResponses`` prefetch keys.

    Each value is a Bundle, a single resource, an OperationOutcome, :class:`SearchResults`
    or None (no data). Answers to our Questionnaire count like observations made when the
    response was authored; the newest wins across both.
    Resources that cannot be read are skipped and listed in ``problems``; only
    observations and conditions coded with one of our codes are validated at all.
    Observations count by the rules of contract section 3, measured from ``evaluated_at``.
    With ``patient_context`` (every hook call passes it), a resource not about that patient
    is left out and listed in ``problems`` (:mod:`fhir_mappings.subject`); without it the
    caller vouches for the data (offline tools reading the shared vignettes).
    """
    if evaluated_at.tzinfo is None:
        raise MappingError("evaluated_at must be timezone-aware")
    tables = code_tables()
    problems: list[DataProblem] = []
    scope = _Scope(tables, patient_context, problems)
    observed = _observation_readings(observations, scope, evaluated_at, max_age)
    answered = _answer_readings(questionnaire_responses, scope, evaluated_at, max_age)
    decided = newest_wins([reading for found in observed if found for reading in found] + answered)
    person = _first_valid(patient, "patient", "Patient", Patient, scope)
    return PatientRecord(
        findings=decided.findings,
        diagnoses=frozenset(_diagnoses(conditions, scope)),
        sex=_patient.sex(person) if person else None,
        age_years=_patient.age_years(person, evaluated_at) if person else None,
        sources=decided.sources,
        problems=tuple(problems),
        ignored=sum(1 for found in observed if not any(r.present is not None for r in found or [])),
    )


@dataclass(frozen=True)
class _Scope:
    """What every resource of one mapping is read against, and where its problems go."""

    tables: CodeTables
    patient: PatientContext | None
    problems: list[DataProblem]

    def resources(self, value: object, key: str, resource_type: str) -> Iterator[RawResource]:
        """The resources of ``resource_type`` in ``value``; the rest are not read here."""
        unpacked = unpack(value, key)
        self.problems.extend(unpacked.problems)
        for raw in unpacked.resources:
            if raw.get("resourceType") == resource_type:
                yield raw  # others, e.g. an _include'd Provenance: not ours to read here

    def about_patient(self, raw: RawResource, resource_type: str) -> bool:
        """True when ``raw`` may be read; else its problem is recorded (contract section 2)."""
        problem = subject_problem(raw, resource_type, self.patient) if self.patient else None
        if problem is not None:
            self.problems.append(problem)
        return problem is None


def _observation_readings(
    value: object, scope: _Scope, evaluated_at: datetime, max_age: timedelta
) -> list[list[Reading] | None]:
    """Readings per relevant observation; None for one that does not count."""

    def read(obs: Observation) -> list[Reading] | None:
        return readings(obs, scope.tables, evaluated_at, max_age)

    return _map_relevant(
        value,
        key="observations",
        resource_type="Observation",
        model=Observation,
        scope=scope,
        relevant=names_finding,
        read=read,
    )


def _answer_readings(
    value: object, scope: _Scope, evaluated_at: datetime, max_age: timedelta
) -> list[Reading]:
    """Readings from every counted response to our Questionnaire in ``value``."""
    found: list[Reading] = []
    for raw in scope.resources(value, "questionnaireResponses", "QuestionnaireResponse"):
        if not scope.about_patient(raw, "QuestionnaireResponse"):
            continue
        try:
            response = validate(QuestionnaireResponse, raw)
        except ValidationError as error:
            scope.problems.append(invalid("QuestionnaireResponse", raw, error))
            continue
        authored = instant(response.authored)
        if authored is not None and counts(response, evaluated_at, max_age):
            found.extend(answer_readings(response, scope.tables, authored))
    return found


def _diagnoses(value: object, scope: _Scope) -> set[str]:
    def read(condition: Condition) -> set[str]:
        counted = _conditions.counts(condition, scope.tables)
        return _conditions.condition_codes(condition, scope.tables) if counted else set()

    found = _map_relevant(
        value,
        key="conditions",
        resource_type="Condition",
        model=Condition,
        scope=scope,
        relevant=_conditions.names_condition,
        read=read,
    )
    return set().union(*found)


def _map_relevant(
    value: object,
    *,
    key: str,
    resource_type: str,
    model: type[Model],
    scope: _Scope,
    relevant: Callable[[RawResource, CodeTables], bool],
    read: Callable[[Model], Result],
) -> list[Result]:
    """Validate and read only the resources of ``resource_type`` that ``relevant`` selects."""
    results: list[Result] = []
    for raw in scope.resources(value, key, resource_type):
        if not isinstance(raw.get("code"), dict):
            scope.problems.append(DataProblem(resource_type, resource_id(raw), "no code"))
        elif relevant(raw, scope.tables) and scope.about_patient(raw, resource_type):
            # Subjects are checked where a resource would be read: one the mapper passes
            # over (a vital sign, a lab) is never used, whoever it is about.
            try:
                results.append(read(validate(model, raw)))
            except ValidationError as error:
                scope.problems.append(invalid(resource_type, raw, error))
    return results


def _first_valid(
    value: object, key: str, resource_type: str, model: type[Model], scope: _Scope
) -> Model | None:
    """The first resource of ``resource_type`` in the value (about the patient), validated."""
    for raw in scope.resources(value, key, resource_type):
        if not scope.about_patient(raw, resource_type):
            continue
        try:
            return validate(model, raw)
        except ValidationError as error:
            scope.problems.append(invalid(resource_type, raw, error))
            return None
    return None
