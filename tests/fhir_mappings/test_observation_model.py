"""The lean Observation model accepts and refuses exactly what fhir.resources' R4B model does.

Checked on every element the mapper reads, each set to a range of well-formed and malformed
values, at the top level and nested (codings, components, interpretations).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B.observation import Observation as R4BObservation

from fhir_mappings._observation_model import Observation
from tests.fhir_mappings.lean_models import CONCEPT, VALUES, disagreements, verdicts

Json = dict[str, Any]

_BASE: Json = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": CONCEPT,
    "effectiveDateTime": "2026-11-01T10:00:00Z",
    "valueBoolean": True,
    "interpretation": [CONCEPT],
    "component": [{"code": CONCEPT, "valueCodeableConcept": CONCEPT}],
}
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
        for value in VALUES:
            yield {**copy.deepcopy(_BASE), name: copy.deepcopy(value)}
        yield {key: value for key, value in _BASE.items() if key != name}
    for path in _NESTED:
        for value in VALUES:
            variant = copy.deepcopy(_BASE)
            parent: Any = variant
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(value)
            yield variant


def test_accepts_exactly_what_the_r4b_model_accepts() -> None:
    assert disagreements(Observation, R4BObservation, _variants()) == []


def test_the_variants_include_both_verdicts() -> None:
    assert verdicts(Observation, _variants()) == {True, False}
