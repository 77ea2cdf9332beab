"""Conditions to diagnoses (contract section 4): codes, statuses, extensions."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import map_patient_record
from tests.fhir_mappings.resources import (
    CONDITION,
    ICD10CM,
    NOW,
    SNOMED,
    bundle,
    concept,
    condition,
)

CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"


def diagnoses(*conditions: Any) -> frozenset[str]:
    return map_patient_record(None, None, bundle(*conditions), evaluated_at=NOW).diagnoses


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        (CONDITION, "ischial-bursitis", "ischial-bursitis"),
        (SNOMED, "129179000", "piriformis-syndrome"),
        (SNOMED, "23056005", "lumbar-disc-sciatica"),
        (SNOMED, "81498004", "trochanteric-bursitis"),
        (ICD10CM, "M51.16", "lumbar-disc-sciatica"),
        (ICD10CM, "M54.31", "lumbar-disc-sciatica"),
        (ICD10CM, "M54.3", "lumbar-disc-sciatica"),
        (ICD10CM, "M5442", "lumbar-disc-sciatica"),
        # Lumbar and lumbosacral radiculopathy: how most sciatica orders are coded.
        (ICD10CM, "M54.16", "lumbar-disc-sciatica"),
        (ICD10CM, "M54.17", "lumbar-disc-sciatica"),
        (ICD10CM, "G57.01", "piriformis-syndrome"),
        (ICD10CM, "M76.02", "gluteus-medius-syndrome"),
        (ICD10CM, "M70.71", "ischial-bursitis"),
        (ICD10CM, "M70.62", "trochanteric-bursitis"),
        (ICD10CM, "M76.891", "high-hamstring-tendinopathy"),
        (ICD10CM, "M84.359A", "hip-stress-fracture"),
    ],
)
def test_condition_codes(system: str, code: str, expected: str) -> None:
    assert diagnoses(condition(code, system)) == {expected}


@pytest.mark.parametrize(
    ("system", "code"),
    [
        (ICD10CM, "M51.1"),  # the parent of M51.16 is not itself a sciatica code
        (ICD10CM, "M51.15"),
        (ICD10CM, "M54.12"),  # cervical radiculopathy: not a sciatica
        (ICD10CM, "M54.1"),
        (ICD10CM, "M76.8"),
        (ICD10CM, "M70.8"),
        (SNOMED, "22253000"),
        ("http://hl7.org/fhir/sid/icd-9-cm", "724.3"),
    ],
)
def test_other_codes_are_no_diagnosis(system: str, code: str) -> None:
    assert diagnoses(condition(code, system)) == frozenset()


@pytest.mark.parametrize(
    ("clinical", "verification", "counts"),
    [
        ("active", "confirmed", True),
        ("recurrence", "confirmed", True),
        ("relapse", "provisional", True),
        ("active", "differential", True),
        ("active", "unconfirmed", True),
        ("active", None, True),
        ("inactive", "confirmed", False),
        ("remission", "confirmed", False),
        ("resolved", "confirmed", False),
        ("active", "refuted", False),
        ("active", "entered-in-error", False),
        (None, "confirmed", False),
    ],
)
def test_condition_statuses(clinical: str | None, verification: str | None, counts: bool) -> None:
    resource = condition("piriformis-syndrome")
    resource["clinicalStatus"] = concept(CLINICAL, clinical) if clinical else None
    resource["verificationStatus"] = concept(VERIFICATION, verification) if verification else None
    resource = {k: v for k, v in resource.items() if v is not None}
    assert diagnoses(resource) == ({"piriformis-syndrome"} if counts else set())


def test_conditions_with_extensions_and_a_broken_one() -> None:
    extended = condition("ischial-bursitis", extension=[{"url": "http://x", "valueString": "y"}])
    broken = condition("piriformis-syndrome", id="bad", clinicalStatus="active")
    record = map_patient_record(None, None, bundle(extended, broken), evaluated_at=NOW)
    assert record.diagnoses == {"ischial-bursitis"}
    assert [p.resource_id for p in record.problems] == ["bad"]


@pytest.mark.parametrize(
    ("system", "code", "expected"),
    [
        ("urn:oid:2.16.840.1.113883.6.90", "M70.62", "trochanteric-bursitis"),
        ("urn:oid:2.16.840.1.113883.6.90", "M76891", "high-hamstring-tendinopathy"),
        ("urn:oid:2.16.840.1.113883.6.96", "129179000", "piriformis-syndrome"),
    ],
)
def test_codes_in_a_system_named_by_its_oid(system: str, code: str, expected: str) -> None:
    assert diagnoses(condition(code, system)) == {expected}
