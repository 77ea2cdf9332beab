"""The lean Patient model accepts and refuses exactly what fhir.resources' R4B model does,
on every element the mapper reads; elements it does not read no longer matter."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.patient import Patient as R4BPatient

from fhir_mappings import map_patient_record
from fhir_mappings._patient_model import Patient
from tests.fhir_mappings.lean_models import VALUES, disagreements, verdicts

Json = dict[str, Any]

_BASE: Json = {
    "resourceType": "Patient",
    "id": "p1",
    "gender": "female",
    "birthDate": "1991-05-04",
}
_ELEMENTS = ["id", "gender", "_gender", "birthDate", "_birthDate", "resourceType"]
_DATES = ["1991", "1991-05", "1991-13", "1991-02-30", "1991-05-04T10:00:00Z", "91-05-04"]


def _variants() -> Iterator[Json]:
    for name in _ELEMENTS:
        for value in [*VALUES, *_DATES]:
            yield {**copy.deepcopy(_BASE), name: copy.deepcopy(value)}
        if name != "resourceType":  # the mapper validates only resources that say "Patient"
            yield {key: value for key, value in _BASE.items() if key != name}


def test_accepts_exactly_what_the_r4b_model_accepts() -> None:
    assert disagreements(Patient, R4BPatient, _variants()) == []


def test_the_variants_include_both_verdicts() -> None:
    assert verdicts(Patient, _variants()) == {True, False}


def test_a_malformed_element_that_is_not_read_keeps_sex_and_age() -> None:
    # A real EHR record: a telecom without its required parts must not cost the differential
    # the patient's sex and age.
    person = {**_BASE, "telecom": [{"system": "not-a-system", "value": 5}], "name": "x"}

    record = map_patient_record(person, None, None, evaluated_at=datetime(2026, 11, 25, tzinfo=UTC))

    assert (record.sex, record.age_years, record.problems) == ("female", 35, ())
