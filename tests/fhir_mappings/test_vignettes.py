"""Every shared vignette's prefetch mapped to the findings a reader of the case expects."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fhir_mappings import PatientRecord, map_patient_record
from tests.support.paths import VIGNETTES
from tests.support.vignette_issues import vignette_param

FILES = sorted(VIGNETTES.glob("*.json"))
FINDING = "https://gluteal-cds.org/fhir/CodeSystem/finding"
COUNTED = {"final", "amended", "corrected", "preliminary"}


def load(path: Path) -> dict[str, Any]:
    vignette: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return vignette


def prefetch_of(vignette: dict[str, Any]) -> tuple[Any, Any, Any]:
    prefetch = vignette["request"].get("prefetch")
    if prefetch is None:
        server = vignette["fhirServerData"]
        return server["Patient"], server["Observation"], server["Condition"]
    return prefetch["patient"], prefetch["observations"], prefetch["conditions"]


def mapped(vignette: dict[str, Any]) -> PatientRecord:
    at = datetime.fromisoformat(vignette["evaluatedAt"])
    return map_patient_record(*prefetch_of(vignette), evaluated_at=at)


def our_code(concept: dict[str, Any]) -> str | None:
    return next((c["code"] for c in concept.get("coding", []) if c["system"] == FINDING), None)


def statements(obs: dict[str, Any]) -> list[tuple[str, bool]]:
    """What a reader takes from one observation as the vignettes write them."""
    if (finding := our_code(obs["code"])) is not None:
        return [(finding, obs.get("valueBoolean", True))]
    if obs["code"]["coding"][0]["code"] != "75325-1":
        return []
    parts = [
        obs["valueCodeableConcept"],
        *(c["valueCodeableConcept"] for c in obs.get("component", [])),
    ]
    return [(code, True) for part in parts if (code := our_code(part)) is not None]


def expected_findings(vignette: dict[str, Any]) -> dict[str, bool]:
    at = datetime.fromisoformat(vignette["evaluatedAt"])
    newest: dict[str, tuple[datetime, bool]] = {}
    for entry in prefetch_of(vignette)[1].get("entry", []):
        obs = entry["resource"]
        when = datetime.fromisoformat(obs["effectiveDateTime"])
        if obs["status"] not in COUNTED or at - when > timedelta(days=180):
            continue
        for finding, present in statements(obs):
            if finding not in newest or when > newest[finding][0]:
                newest[finding] = (when, present)
    return {finding: present for finding, (_when, present) in newest.items()}


@pytest.mark.parametrize("path", [vignette_param(p, p.stem, "fhir_mappings") for p in FILES])
def test_vignette_findings(path: Path) -> None:
    vignette = load(path)
    record = mapped(vignette)
    # Findings stated by Conditions (risk factors, the onset) are checked by name below.
    charted = {entry["resource"]["id"] for entry in prefetch_of(vignette)[2].get("entry", [])}
    observed = {s.finding: s.present for s in record.sources if s.resource_id not in charted}
    assert observed == expected_findings(vignette)
    assert record.problems == ()
    assert record.sex == prefetch_of(vignette)[0]["gender"]


# What the descriptions of the rule vignettes say, checked by name.
# name: (findings as read, diagnoses, resources ignored)
KEY_FINDINGS: dict[str, tuple[dict[str, bool | None], set[str], int]] = {
    "10-entered-in-error-ignored": ({"pain-radiates-below-knee": False}, set(), 1),
    "11-stale-observation-ignored": ({"pain-radiates-below-knee": None}, set(), 1),
    "12-newest-observation-wins": ({"pain-radiates-below-knee": False}, set(), 0),
    "17-symptoms-ig-encoding": ({"buttock-pain": True, "pain-worse-sitting": True}, set(), 0),
    "18-existing-diagnosis": ({"symptoms-over-6-weeks": None}, {"piriformis-syndrome"}, 0),
    # Contract section 3 (12-06): the onset of a diagnosis recorded within the window dates
    # the symptoms (56 days before: over 6 weeks; 10 days: not); risk factors on the
    # problem list count, a cancer in remission too.
    "26-lumbar-mri-after-8-weeks": (
        {"symptoms-over-6-weeks": True, "pain-radiates-below-knee": True},
        {"lumbar-disc-sciatica"},
        0,
    ),
    "27-lumbar-mri-at-week-2": (
        {"symptoms-over-6-weeks": False, "pain-radiates-below-knee": True},
        {"lumbar-disc-sciatica"},
        0,
    ),
    "29-osteoporosis-lateral-hip-impact-pain": (
        {"low-bone-density": True, "symptoms-over-6-weeks": None, "cancer-history": None},
        set(),
        0,
    ),
    "34-cancer-history-night-pain": (
        {"cancer-history": True, "night-pain-at-rest": True, "symptoms-over-6-weeks": None},
        set(),
        0,
    ),
}


@pytest.mark.parametrize("name", sorted(KEY_FINDINGS))
def test_rule_vignettes(name: str) -> None:
    findings, diagnoses, ignored = KEY_FINDINGS[name]
    record = mapped(load(VIGNETTES / f"{name}.json"))
    assert {code: record.findings.get(code) for code in findings} == findings
    assert record.diagnoses == diagnoses
    assert record.ignored == ignored


def test_all_vignettes_found() -> None:
    assert len(FILES) >= 19
