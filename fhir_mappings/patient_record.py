"""The three prefetch values of a patient (Patient, Observations, Conditions) to findings."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from fhir_mappings import _patient
from fhir_mappings._answers import answer_readings, counts
from fhir_mappings._charted import Charted, read_condition, relevant
from fhir_mappings._condition_model import Condition
from fhir_mappings._findings import Decided, earliest, newest_wins
from fhir_mappings._observation_model import Observation
from fhir_mappings._observations import Reading, effective_instant, names_finding, readings
from fhir_mappings._onset import Onset, duration_reading, period_onset
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
from fhir_mappings.future import future_problem
from fhir_mappings.record import DataProblem, MappingError, PatientRecord
from fhir_mappings.subject import PatientContext, subject_problem
from terminology import CodeTables, code_tables

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
    reason_conditions: Collection[str] = frozenset(),
    note_onsets: Sequence[Onset] = (),
    patient_context: PatientContext | None = None,
) -> PatientRecord:
    """Map the raw JSON of the ``patient``, ``observations``, ``conditions`` and
    ``questionnaireResponses`` prefetch keys.

    Each value is a Bundle, a single resource, an OperationOutcome, :class:`SearchResults`
    or None (no data). Answers to our Questionnaire count like observations made when the
    response was authored; Conditions coded with a risk factor count like observations made
    when recorded; the newest wins across all three. ``reason_conditions`` are the ids of
    the Conditions the orders under review name as their reason: their onset dates the
    symptoms (contract section 3). ``note_onsets``: onsets stated in clinical notes (a
    duration counted back from the note's time, contract section 3a).
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
    onsets: list[Onset] = list(note_onsets)  # when the pain began, by whatever says so
    who = patient_context
    began: dict[str, datetime] = {}  # complaint -> the earliest period start recorded for it
    observed = _observation_readings(
        observations, tables, evaluated_at, max_age, problems, onsets=(onsets, began), patient=who
    )
    answered = _answer_readings(
        questionnaire_responses, tables, evaluated_at, max_age, problems, patient=who
    )
    charted = _charted(
        conditions, tables, evaluated_at, max_age, problems, reasons=reason_conditions, patient=who
    )
    onsets.extend(c.onset for c in charted if c.onset is not None)
    found = [r for readings_ in observed if readings_ for r in readings_] + answered
    found.extend(r for c in charted for r in c.readings)
    named = [c.named for c in charted if c.named is not None]
    decided = _decide(found, named, onsets, tables, evaluated_at)
    person = _first_valid(patient, "patient", "Patient", Patient, problems, patient=who)
    return PatientRecord(
        findings=decided.findings,
        diagnoses=frozenset().union(*(c.diagnoses for c in charted)),
        sex=_patient.sex(person, tables) if person else None,
        age_years=_patient.age_years(person, evaluated_at) if person else None,
        sources=decided.sources,
        first_present_at=decided.first_present_at,
        first_absent_at=decided.first_absent_at,
        onset_at=began,
        recorded_states=decided.recorded_states,
        problems=tuple(problems),
        ignored=sum(1 for found in observed if not any(r.present is not None for r in found or [])),
    )


def _decide(
    found: list[Reading],
    named: Sequence[Onset],
    onsets: Sequence[Onset],
    tables: CodeTables,
    evaluated_at: datetime,
) -> Decided:
    """The newest reading wins per finding; the symptom duration by its own rule."""
    code = tables.symptom_duration.finding
    recorded = [r for r in found if r.finding == code]
    duration = duration_reading(recorded, named, onsets, tables, evaluated_at)
    others = [r for r in found if r.finding != code]
    return newest_wins(others + ([duration] if duration is not None else []))


def _observation_readings(
    value: object,
    tables: CodeTables,
    evaluated_at: datetime,
    max_age: timedelta,
    problems: list[DataProblem],
    *,
    onsets: tuple[list[Onset], dict[str, datetime]],
    patient: PatientContext | None,
) -> list[list[Reading] | None]:
    """Readings per relevant observation; None for one that does not count. The onsets
    that presenting-complaint observations state are added to ``onsets``: to the list, and
    per complaint (the earliest) to the mapping."""

    def read(obs: Observation) -> list[Reading] | None:
        when = effective_instant(obs, evaluated_at)
        if _in_the_future("Observation", obs.id, when, evaluated_at, problems):
            return None
        found = readings(obs, tables, evaluated_at, max_age)
        onset = period_onset(obs, found, tables) if found else None
        if onset is not None:
            onsets[0].append(onset)
            for reading in found or ():
                if reading.present and reading.finding in tables.symptom_duration.onset_findings:
                    earliest(onsets[1], reading.finding, onset.at)
        return found

    return _map_relevant(
        value,
        key="observations",
        resource_type="Observation",
        model=Observation,
        tables=tables,
        relevant=names_finding,
        read=read,
        problems=problems,
        patient=patient,
    )


def _answer_readings(
    value: object,
    tables: CodeTables,
    evaluated_at: datetime,
    max_age: timedelta,
    problems: list[DataProblem],
    *,
    patient: PatientContext | None,
) -> list[Reading]:
    """Readings from every counted response to our Questionnaire in ``value``."""
    unpacked = unpack(value, "questionnaireResponses")
    problems.extend(unpacked.problems)
    found: list[Reading] = []
    for raw in unpacked.resources:
        if raw.get("resourceType") != "QuestionnaireResponse":
            continue
        if not _about(raw, "QuestionnaireResponse", patient, problems):
            continue
        try:
            response = validate(QuestionnaireResponse, raw)
        except ValidationError as error:
            problems.append(invalid("QuestionnaireResponse", raw, error))
            continue
        authored = instant(response.authored)
        if _in_the_future("QuestionnaireResponse", response.id, authored, evaluated_at, problems):
            continue
        if authored is not None and counts(response, evaluated_at, max_age):
            found.extend(answer_readings(response, tables, authored))
    return found


def _charted(
    value: object,
    tables: CodeTables,
    evaluated_at: datetime,
    max_age: timedelta,
    problems: list[DataProblem],
    *,
    reasons: Collection[str],
    patient: PatientContext | None,
) -> list[Charted]:
    """What each relevant Condition says: diagnoses, findings, onsets."""

    def read(condition: Condition) -> Charted | None:
        # Future only when every date it carries is: a mistyped onset beside today's
        # recordedDate leaves a current record (a cancer history was lost so).
        dates = [instant(d) for d in (condition.recordedDate, condition.onsetDateTime) if d]
        earliest = min((d for d in dates if d is not None), default=None)
        if _in_the_future("Condition", condition.id, earliest, evaluated_at, problems):
            return None
        return read_condition(
            condition, tables, evaluated_at=evaluated_at, max_age=max_age, reasons=reasons
        )

    charted = _map_relevant(
        value,
        key="conditions",
        resource_type="Condition",
        model=Condition,
        tables=tables,
        relevant=lambda raw, codes: relevant(raw, codes, reasons),
        read=read,
        problems=problems,
        patient=patient,
    )
    return [c for c in charted if c is not None]


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
    patient: PatientContext | None,
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
        elif relevant(raw, tables) and _about(raw, resource_type, patient, problems):
            # Subjects are checked where a resource would be read: one the mapper passes
            # over (a vital sign, a lab) is never used, whoever it is about.
            try:
                results.append(read(validate(model, raw)))
            except ValidationError as error:
                problems.append(invalid(resource_type, raw, error))
    return results


def _first_valid(
    value: object,
    key: str,
    resource_type: str,
    model: type[Model],
    problems: list[DataProblem],
    *,
    patient: PatientContext | None,
) -> Model | None:
    """The first resource of ``resource_type`` in the value about the patient, validated."""
    unpacked = unpack(value, key)
    problems.extend(unpacked.problems)
    for raw in unpacked.resources:
        if raw.get("resourceType") == resource_type and _about(
            raw, resource_type, patient, problems
        ):
            try:
                return validate(model, raw)
            except ValidationError as error:
                problems.append(invalid(resource_type, raw, error))
                return None
    return None


def _in_the_future(
    resource_type: str,
    resource_id: object,
    when: datetime | None,
    evaluated_at: datetime,
    problems: list[DataProblem],
) -> bool:
    """True when the resource is dated beyond the evaluation time (its problem recorded)."""
    ident = str(resource_id) if resource_id is not None else None
    problem = future_problem(resource_type, ident, when, evaluated_at)
    if problem is not None:
        problems.append(problem)
    return problem is not None


def _about(
    raw: RawResource,
    resource_type: str,
    patient: PatientContext | None,
    problems: list[DataProblem],
) -> bool:
    """True when ``raw`` may be read; else its problem is recorded (contract section 2)."""
    problem = subject_problem(raw, resource_type, patient) if patient else None
    if problem is not None:
        problems.append(problem)
    return problem is None
