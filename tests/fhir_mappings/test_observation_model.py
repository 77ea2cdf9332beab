"""The lean Observation model accepts and refuses exactly what fhir.resources' R4B model does.

Checked on every element the mapper reads, each set to a range of well-formed and malformed
values, at the top level and nested (codings, components, interpretations).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from fhir.resources.R4B.observation import Observation as R4BObservation
from pydantic import BaseModel, ValidationError

from fhir_mappings._observation_model import Observation
from fhir_mappings._resources import validate

Json = dict[str, Any]

_CONCEPT: Json = {
    "coding": [
        {
            "system": "https://gluteal-cds.org/fhir/CodeSystem/finding",
            "code": "buttock-pain",
            "display": "Buttock pain",
        }
    ],
    "text": "Buttock pain",
}
_BASE: Json = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": _CONCEPT,
    "effectiveDateTime": "2026-11-01T10:00:00Z",
    "valueBoolean": True,
    "interpretation": [_CONCEPT],
    "component": [{"code": _CONCEPT, "valueCodeableConcept": _CONCEPT}],
}
_VALUES: list[Any] = [
    *("", " ", "a b", "a  b", " a", "a_b", "x" * 70, "true", "yes please"),
    *(7, 1.5, True, [], [None], {}, [_CONCEPT, None]),
    *("2026", "2026-13", "2026-02-30", "2026-11-01", "2026-11-01T10:00:00"),
    *("2026-11-01T10:00:00Z", "2016-12-31T23:59:60Z", "0000"),
    {"coding": []},
    {"coding": [None]},
    {"coding": "x"},
    {"coding": [{"code": 3}]},
    {"text": ""},
    {"value": "x"},
    {"value": 3, "unit": "mg"},
    {"start": "2026"},
    {"start": "bad"},
    {"extension": [{"url": "http://x", "valueString": "y"}]},
    {"unknownElement": 1},
]
_ELEMENTS = [
    *("id", "status", "_status", "code", "effectiveDateTime", "effectivePeriod"),
    *("effectiveInstant", "issued", "valueBoolean", "valueString", "valueQuantity"),
    *("valueCodeableConcept", "valueInteger", "valueDateTime", "valuePeriod", "valueTime"),
    *("interpretation", "dataAbsentReason", "component"),
]
_NESTED: list[tuple[str | int, ...]] = [
    ("code", "coding", 0, "code"),
    ("code", "coding", 0, "system"),
    ("code", "coding", 0, "userSelected"),
    ("code", "text"),
    ("component", 0, "code"),
    ("component", 0, "valueBoolean"),
    ("component", 0, "interpretation"),
    ("component", 0, "dataAbsentReason"),
    ("interpretation", 0, "coding"),
]


def _variants() -> Iterator[Json]:
    for name in _ELEMENTS:
        for value in _VALUES:
            yield {**copy.deepcopy(_BASE), name: copy.deepcopy(value)}
        yield {key: value for key, value in _BASE.items() if key != name}
    for path in _NESTED:
        for value in _VALUES:
            variant = copy.deepcopy(_BASE)
            parent: Any = variant
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(value)
            yield variant


def _accepts(model: type[BaseModel], resource: Json) -> bool:
    try:
        validate(model, resource)  # as the mapper does: unknown elements dropped
    except ValidationError:
        return False
    return True


def disagreements(
    lean: type[BaseModel], reference: type[BaseModel], variants: Iterable[Json]
) -> list[Json]:
    """The variants that one model accepts and the other refuses."""
    return [v for v in variants if _accepts(lean, v) != _accepts(reference, v)]


def verdicts(model: type[BaseModel], variants: Iterable[Json]) -> set[bool]:
    """Whether ``model`` accepted some variants, refused some, or both."""
    return {_accepts(model, variant) for variant in variants}


def test_accepts_exactly_what_the_r4b_model_accepts() -> None:
    assert disagreements(Observation, R4BObservation, _variants()) == []


def test_the_variants_include_both_verdicts() -> None:
    assert verdicts(Observation, _variants()) == {True, False}
