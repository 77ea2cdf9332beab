"""Raw prefetch values to resource dicts, R4B validation, and FHIR date handling.

Bundles are unpacked by hand from the raw JSON: validating a whole Bundle model would
validate every resource in it, which is exactly the cost the mappers avoid.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TypeGuard, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from fhir_mappings.record import DataProblem, SearchResults

__all__ = [
    "RawResource",
    "Unpacked",
    "codings",
    "instant",
    "invalid",
    "resource_id",
    "unpack",
    "validate",
]

RawResource = Mapping[str, object]
Model = TypeVar("Model", bound=BaseModel)

_FAILED_SEVERITIES = frozenset({"error", "fatal"})
_MAX_STRIP_ROUNDS = 3


class Unpacked:
    """The resources found in one prefetch value and what could not be read there."""

    def __init__(self) -> None:
        self.resources: list[RawResource] = []
        self.problems: list[DataProblem] = []


def unpack(value: object, key: str) -> Unpacked:
    """Resources of a prefetch value: a Bundle, a single resource, or None (no data).

    An OperationOutcome (the EHR could not run the query) becomes a problem, as do values
    and Bundle entries that are not resources. ``key`` names the prefetch key in problems.
    :class:`SearchResults` are read like the entries of a Bundle.
    """
    found = Unpacked()
    if value is None:
        return found
    if isinstance(value, SearchResults):
        _take_resources(value.resources, None, found)
        return found
    if not isinstance(value, Mapping) or not isinstance(value.get("resourceType"), str):
        found.problems.append(DataProblem(key, None, "not a FHIR resource"))
    elif value["resourceType"] == "OperationOutcome":
        found.problems.append(_outcome_problem(value, "the EHR could not answer the query"))
    elif value["resourceType"] == "Bundle":
        _unpack_bundle(value, found)
    else:
        found.resources.append(value)
    return found


def _unpack_bundle(bundle: RawResource, found: Unpacked) -> None:
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        found.problems.append(DataProblem("Bundle", resource_id(bundle), "entry is not a list"))
        return
    resources = [entry.get("resource") if _is_object(entry) else None for entry in entries]
    _take_resources(resources, resource_id(bundle), found)


def _take_resources(resources: Sequence[object], bundle_id: str | None, found: Unpacked) -> None:
    for position, resource in enumerate(resources):
        if not _is_object(resource) or not isinstance(resource.get("resourceType"), str):
            reason = f"entry {position} holds no resource"
            found.problems.append(DataProblem("Bundle.entry", bundle_id, reason))
        elif resource["resourceType"] == "OperationOutcome":
            # Searchsets may carry informational outcomes; only failures are problems.
            if _severities(resource) & _FAILED_SEVERITIES:
                found.problems.append(_outcome_problem(resource, "the EHR reported an error"))
        else:
            found.resources.append(resource)


def _issues(outcome: RawResource) -> Iterator[Mapping[str, object]]:
    issues = outcome.get("issue")
    for issue in issues if isinstance(issues, list) else []:
        if isinstance(issue, Mapping):
            yield issue


def _severities(outcome: RawResource) -> set[object]:
    return {issue.get("severity") for issue in _issues(outcome)}


def _outcome_problem(outcome: RawResource, reason: str) -> DataProblem:
    # Issue codes only: diagnostics text is free text and may quote patient data.
    codes = sorted({str(issue["code"]) for issue in _issues(outcome) if "code" in issue})
    detail = f" ({', '.join(codes)})" if codes else ""
    return DataProblem("OperationOutcome", resource_id(outcome), reason + detail)


def resource_id(resource: RawResource) -> str | None:
    """The resource's ``id`` when it is a string."""
    value = resource.get("id")
    return value if isinstance(value, str) else None


def codings(concept: object) -> list[tuple[str, str]]:
    """(system, code) pairs of a raw CodeableConcept, skipping anything malformed."""
    # Runs on every resource of a prefetch: dict before the slow Mapping ABC check.
    if not isinstance(concept, (dict, Mapping)):
        return []
    entries = concept.get("coding")
    pairs = []
    for coding in entries if isinstance(entries, list) else ():
        if isinstance(coding, (dict, Mapping)):
            system, code = coding.get("system"), coding.get("code")
            if isinstance(system, str) and isinstance(code, str):
                pairs.append((system, code))
    return pairs


def _is_object(value: object) -> TypeGuard[Mapping[str, object]]:
    # dict first: parsed JSON is made of dicts, and the Mapping ABC check is slow.
    return isinstance(value, (dict, Mapping))


def validate(model: type[Model], raw: RawResource, *, lenient: bool = True) -> Model:
    """Validate ``raw`` with an R4B model (or our own); raises pydantic's ValidationError.

    ``lenient`` drops elements the model does not know (real EHR data carries them) and
    validates again; any other error stands.
    """
    data: object = raw
    for _round in range(_MAX_STRIP_ROUNDS):
        try:
            return _model_validate(model, data)
        except ValidationError as error:
            unknown = [e["loc"] for e in error.errors() if e["type"] == "extra_forbidden"]
            if not lenient or not unknown or len(unknown) < error.error_count():
                raise
            data = _without(data if data is not raw else copy.deepcopy(raw), unknown)
    return _model_validate(model, data)


def _model_validate(model: type[Model], data: object) -> Model:
    try:
        return model.model_validate(data)
    except (AttributeError, TypeError) as exc:
        # fhir.resources' own validators trip over some malformed input (e.g. a primitive's
        # "_gender": "true"): that is invalid data, not a failure of the service.
        error = PydanticCustomError("fhir_unreadable", "the FHIR library could not read it")
        details: list[InitErrorDetails] = [{"type": error, "loc": (), "input": None}]
        raise ValidationError.from_exception_data(model.__name__, details) from exc


def _without(data: object, paths: list[tuple[int | str, ...]]) -> object:
    for path in paths:
        parent = data
        for step in path[:-1]:
            parent = parent[step]  # type: ignore[index]  # path comes from pydantic
        del parent[path[-1]]  # type: ignore[attr-defined]  # a dict key reported as extra
    return data


def invalid(resource_type: str, raw: RawResource, error: ValidationError) -> DataProblem:
    """A problem naming the elements that failed validation (never their values)."""
    parts = [
        f"{'.'.join(str(step) for step in e['loc']) or resource_type} ({e['type']})"
        for e in error.errors()[:3]
    ]
    more = f" and {error.error_count() - 3} more" if error.error_count() > 3 else ""
    return DataProblem(resource_type, resource_id(raw), "invalid: " + "; ".join(parts) + more)


def instant(value: object) -> datetime | None:
    """A FHIR date, dateTime or instant as an aware datetime.

    Partial dates ("2026", "2026-11") and dates stand for the first instant of the period
    they name, in UTC; a time without zone is read as UTC.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        parts = [int(part) for part in value.split("-")[:3] if part.isdigit()]
        if parts:
            year, month, day = (*parts, 1, 1)[:3]
            return datetime(year, month, day, tzinfo=UTC)
    return None
