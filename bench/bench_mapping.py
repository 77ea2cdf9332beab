"""Micro-benchmark: map a searchset of 200 observations of which 10 name a finding.

Run from the repository root: ``python bench/bench_mapping.py``. Prints median and p99.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fhir_mappings import map_patient_record  # after the path set-up above

EVALUATED_AT = datetime(2026, 11, 20, 15, tzinfo=UTC)
FINDING = "https://gluteal-cds.org/fhir/CodeSystem/finding"
FINDINGS = ["buttock-pain", "sits-bone-pain", "pain-worse-sitting", "fever", "leg-numbness"]
RUNS = 2000


def _observation(index: int, system: str, code: str, value: dict[str, object]) -> dict[str, object]:
    moment = EVALUATED_AT - timedelta(days=index % 30)
    return {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "laboratory",
                    }
                ]
            }
        ],
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/bench"},
        "effectiveDateTime": moment.isoformat(),
        **value,
    }


def searchset() -> dict[str, object]:
    """190 labs and vitals plus 10 findings, interleaved."""
    entries = []
    for index in range(200):
        if index % 20 == 0:
            code = FINDINGS[(index // 20) % len(FINDINGS)]
            resource = _observation(index, FINDING, code, {"valueBoolean": index % 40 == 0})
        else:
            quantity = {"valueQuantity": {"value": 4.2, "unit": "mmol/L"}}
            resource = _observation(index, "http://loinc.org", "2345-7", quantity)
        entries.append({"fullUrl": f"urn:uuid:{index}", "resource": resource})
    return {"resourceType": "Bundle", "type": "searchset", "entry": entries}


def main() -> None:
    """Time map_patient_record and print the figures."""
    bundle = searchset()
    patient = {"resourceType": "Patient", "id": "bench", "gender": "female", "birthDate": "1991"}
    map_patient_record(patient, bundle, None, evaluated_at=EVALUATED_AT)  # warm-up: load tables
    timings = []
    for _run in range(RUNS):
        start = time.perf_counter()
        record = map_patient_record(patient, bundle, None, evaluated_at=EVALUATED_AT)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    assert len(record.findings) == len(FINDINGS)  # noqa: S101  # a benchmark that maps nothing is void
    print(f"200 observations, 10 relevant, {RUNS} runs")
    print(f"median {statistics.median(timings):.3f} ms  p99 {timings[int(RUNS * 0.99)]:.3f} ms")


if __name__ == "__main__":
    main()
