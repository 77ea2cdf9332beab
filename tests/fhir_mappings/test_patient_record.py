"""map_patient_record as a whole: only what it needs is validated, nothing at all is no error."""

from __future__ import annotations

from fhir_mappings import map_patient_record
from tests.fhir_mappings.resources import NOW, bundle, observation, patient


def test_irrelevant_malformed_observations_cost_nothing_and_are_not_reported() -> None:
    lab = observation("2345-7", system="http://loinc.org", valueQuantity="high")
    record = map_patient_record(None, bundle(lab), None, evaluated_at=NOW)
    assert record.problems == ()


def test_invalid_patient_is_reported_without_its_data() -> None:
    record = map_patient_record(patient(birthDate=["1991"]), None, None, evaluated_at=NOW)
    assert record.age_years is None
    assert [p.resource_type for p in record.problems] == ["Patient"]
    assert "Secretname" not in repr(record.problems)


def test_no_data_at_all() -> None:
    record = map_patient_record(None, None, None, evaluated_at=NOW)
    assert (record.findings, record.diagnoses, record.sex, record.problems) == (
        {},
        frozenset(),
        None,
        (),
    )
