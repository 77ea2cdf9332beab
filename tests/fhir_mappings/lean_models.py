"""Checking a lean FHIR model against the fhir.resources R4B model it stands in for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from fhir_mappings._resources import validate

__all__ = ["CONCEPT", "VALUES", "disagreements", "verdicts"]

Json = dict[str, Any]

CONCEPT: Json = {
    "coding": [
        {
            "system": "https://gluteal-cds.org/fhir/CodeSystem/finding",
            "code": "buttock-pain",
            "display": "Buttock pain",
        }
    ],
    "text": "Buttock pain",
}
# Well-formed and malformed values, tried in every element a lean model reads.
VALUES: list[Any] = [
    *("", " ", "a b", "a  b", " a", "a_b", "x" * 70, "true", "yes please"),
    *(7, 1.5, True, [], [None], {}, [CONCEPT, None]),
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
