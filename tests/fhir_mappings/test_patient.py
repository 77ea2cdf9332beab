"""The Patient resource to sex and age (contract section 3)."""

from __future__ import annotations

import pytest

from fhir_mappings import map_patient_record
from tests.fhir_mappings.resources import NOW, bundle, patient


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [
        ("1991-04-12", 35),
        ("1991-11-20", 35),
        ("1991-11-21", 34),
        ("1991-04", 35),
        ("1991", 35),
        ("2030-01-01", None),
    ],
)
def test_age_at_evaluation(birth_date: str, age: int | None) -> None:
    record = map_patient_record(patient(birthDate=birth_date), None, None, evaluated_at=NOW)
    assert record.age_years == age


@pytest.mark.parametrize("gender", ["female", "male", "other", "unknown"])
def test_sex(gender: str) -> None:
    record = map_patient_record(patient(gender=gender), None, None, evaluated_at=NOW)
    assert record.sex == gender


def test_patient_without_gender_or_birth_date() -> None:
    record = map_patient_record(patient(), None, None, evaluated_at=NOW)
    assert (record.sex, record.age_years, record.problems) == (None, None, ())


def test_patient_inside_a_bundle() -> None:
    record = map_patient_record(bundle(patient(gender="male")), None, None, evaluated_at=NOW)
    assert record.sex == "male"
