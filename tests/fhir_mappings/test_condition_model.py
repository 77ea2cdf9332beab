"""The lean Condition model accepts and refuses exactly what fhir.resources' R4B model does.

Checked on every element the mapper reads, each set to a range of well-formed and malformed
values, at the top level and nested (codings, statuses, the onset period).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B.condition import Condition as R4BCondition

from fhir_mappings._condition_model import Condition
from tests.fhir_mappings.lean_models import CONCEPT, VALUES, disagreements, verdicts

Json = dict[str, Any]

_BASE: Json = {
    "resourceType": "Condition",
    "id": "c1",
    "clinicalStatus": CONCEPT,
    "verificationStatus": CONCEPT,
    "code": CONCEPT,
    "subject": {"reference": "Patient/p1"},
    "onsetDateTime": "2026-10-01T10:00:00Z",
    "recordedDate": "2026-11-01",
}
_ELEMENTS = [
    *("id", "clinicalStatus", "verificationStatus", "code", "onsetDateTime", "onsetPeriod"),
    *("onsetAge", "onsetString", "onsetRange", "recordedDate"),
]
_NESTED: list[tuple[str | int, ...]] = [
    ("code", "coding", 0, "code"),
    ("code", "coding", 0, "system"),
    ("code", "text"),
    ("clinicalStatus", "coding"),
    ("verificationStatus", "coding", 0, "code"),
]


def _variants() -> Iterator[Json]:
    for name in _ELEMENTS:
        for value in VALUES:
            yield {**copy.deepcopy(_BASE), name: copy.deepcopy(value)}
        yield {key: value for key, value in _BASE.items() if key != name}
    yield {**copy.deepcopy(_BASE), "onsetPeriod": {"start": "2026-09-01"}}
    for path in _NESTED:
        for value in VALUES:
            variant = copy.deepcopy(_BASE)
            parent: Any = variant
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(value)
            yield variant


def test_accepts_exactly_what_the_r4b_model_accepts() -> None:
    assert disagreements(Condition, R4BCondition, _variants()) == []


def test_the_variants_include_both_verdicts() -> None:
    assert verdicts(Condition, _variants()) == {True, False}
