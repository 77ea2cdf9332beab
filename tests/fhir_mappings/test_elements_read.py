"""What the mapper reads of an Observation search, and what leaves no trace (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import (
    Screening,
    SearchResults,
    map_patient_record,
    observation_search_elements,
    screen,
    screening_elements,
)
from tests.support.clock import FIXED_NOW

FINDING = "https://gluteal-cds.org/fhir/CodeSystem/finding"
LOINC = "http://loinc.org"


def coded(system: str, code: str, **elements: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": "o-1",
        "status": "final",
        "code": {"coding": [{"system": system, "code": code}]},
        "effectiveDateTime": "2026-11-18T15:00:00Z",
        **elements,
    }


@pytest.mark.parametrize(
    ("resource", "verdict"),
    [
        (coded(FINDING, "buttock-pain", valueBoolean=True), Screening.READ),
        (coded("http://snomed.info/sct", "279043006"), Screening.READ),
        (  # HL7 Symptoms IG: the finding is the value
            coded(
                LOINC,
                "75325-1",
                valueCodeableConcept={"coding": [{"system": FINDING, "code": "fever"}]},
            ),
            Screening.READ,
        ),
        (coded(LOINC, "8867-4", valueQuantity={"value": 60}), Screening.PASSED_OVER),
        (coded(LOINC, "75325-1"), Screening.PASSED_OVER),  # a symptom that is none of ours
        ({"resourceType": "Provenance"}, Screening.PASSED_OVER),
        ({"resourceType": "Observation", "status": "final"}, Screening.SCREENED),  # no code
        ({"resourceType": "OperationOutcome", "issue": []}, Screening.SCREENED),
        ({"id": "x"}, Screening.SCREENED),  # no resource type
    ],
)
def test_screen_says_what_the_mapper_does(resource: dict[str, Any], verdict: Screening) -> None:
    screened = {k: v for k, v in resource.items() if k in screening_elements()}

    assert screen(screened) is verdict


def record(*resources: dict[str, Any]) -> Any:
    return map_patient_record(None, SearchResults(resources), None, evaluated_at=FIXED_NOW)


def test_a_resource_passed_over_leaves_no_trace_in_the_record() -> None:
    finding = coded(FINDING, "buttock-pain", valueBoolean=True)
    no_code = {"resourceType": "Observation", "id": "o-2", "status": "final"}
    passed_over = [coded(LOINC, "8867-4", valueQuantity={"value": 60}), {"resourceType": "Basic"}]

    assert record(finding, *passed_over, no_code) == record(finding, no_code)


def test_only_the_elements_read_matter() -> None:
    full = coded(
        FINDING,
        "buttock-pain",
        valueBoolean=True,
        meta={"versionId": "1"},
        performer=[{"reference": "Practitioner/1"}],
        note=[{"text": "seen"}],
    )
    read = {k: v for k, v in full.items() if k in observation_search_elements()}

    assert "meta" not in read
    assert record(full) == record(read)
