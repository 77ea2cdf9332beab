"""Every shared vignette, fed to the reasoner as findings, gives its expected answer.

The vignettes are CDS Hooks requests; here a small reader takes the finding codes straight out
of them (our own code system, boolean values, newest wins, entered-in-error and stale ones
skipped) so that the reasoner is checked on its own. The HTTP suite runs them end to end.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from differential import KnowledgeBase, Presentation, evaluate, load_knowledge_base
from fhir_mappings import SearchResults
from fhir_mappings.notes import NotePhraseSet, NotesRead, read_notes
from tests.support.paths import VIGNETTES
from tests.support.vignette_issues import vignette_param

CODES = Path(__file__).resolve().parents[2] / "terminology" / "codes.json"
FINDING_SYSTEM = "https://gluteal-cds.org/fhir/CodeSystem/finding"
CONDITION_SNOMED = {
    "129179000": "piriformis-syndrome",
    "202735001": "lumbar-disc-sciatica",
    "7674000": "trochanteric-bursitis",
}
ANSWERS = {"373066001": True, "373067005": False}  # Yes / No; Unknown stays unknown


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _resources(case: dict[str, Any], key: str, server_key: str) -> list[dict[str, Any]]:
    """The vignette's resources about its patient (another patient's are never read)."""
    prefetch = case["request"].get("prefetch")
    bundle = prefetch.get(key) if prefetch else case.get("fhirServerData", {}).get(server_key)
    subject = f"Patient/{case['request']['context']['patientId']}"
    resources = [entry["resource"] for entry in (bundle or {}).get("entry", [])]
    return [r for r in resources if r.get("subject", {}).get("reference") == subject]


def _codes(concept: dict[str, Any]) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c.get("system") == FINDING_SYSTEM]


def read_presentation(case: dict[str, Any]) -> Presentation:
    """Findings straight from the vignette, by the contract's simplest encodings."""
    now = _instant(case["evaluatedAt"])
    observations = [
        o
        for o in _resources(case, "observations", "Observation")
        if o.get("status") in {"final", "amended", "corrected", "preliminary"}
        and now - _instant(o["effectiveDateTime"]) <= timedelta(days=180)
    ]
    findings: dict[str, bool] = {}
    recorded_at: dict[str, datetime] = {}
    first_at: dict[bool, dict[str, datetime]] = {True: {}, False: {}}
    for obs in sorted(observations, key=lambda o: o["effectiveDateTime"]):
        value = obs.get("valueBoolean", True)
        for code in _codes(obs["code"]):
            findings[code] = value
            recorded_at[code] = _instant(obs["effectiveDateTime"])
            first_at[value].setdefault(code, recorded_at[code])  # sorted: the first stays
        for code in _codes(obs.get("valueCodeableConcept", {})):
            findings[code] = True
        for component in obs.get("component", []):
            for code in _codes(component.get("valueCodeableConcept", {})):
                findings[code] = True
    for response in _resources(case, "questionnaireResponses", "QuestionnaireResponse"):
        findings |= _answers(response.get("item", []))
    diagnoses = {
        CONDITION_SNOMED[c["code"]]
        for concept in _diagnosis_concepts(case)
        for c in concept.get("coding", [])
        if c["code"] in CONDITION_SNOMED
    }
    findings = _note_findings(case) | findings  # a note never overrides a coded finding
    findings |= {code: True for code in _risk_factors(case) if code not in findings}
    onset = _onset(case)
    if onset is not None and "symptoms-over-6-weeks" not in findings:
        findings["symptoms-over-6-weeks"] = now - onset >= timedelta(days=42)
    return Presentation(
        findings=findings,
        diagnoses=frozenset(diagnoses),
        sex="female",
        age_years=_age(case, now),
        recorded_at=recorded_at,
        first_present_at=first_at[True],
        first_absent_at=first_at[False],
    )


def _risk_factors(case: dict[str, Any]) -> set[str]:
    """Findings named by a Condition's SNOMED code (codes.json's `snomed` of a finding):
    a history or risk factor on record (contract 3, 12-06; the ICD-10-CM ranges are the
    mapping's job)."""
    by_code = {
        code: finding["code"]
        for finding in json.loads(CODES.read_text(encoding="utf-8"))["findings"]
        for code in finding.get("snomed", [])
    }
    return {
        by_code[c["code"]]
        for cond in _resources(case, "conditions", "Condition")
        for c in cond["code"].get("coding", [])
        if c.get("code") in by_code
    }


def _onset(case: dict[str, Any]) -> datetime | None:
    """The earliest onset of a section 4 Condition or stated in a note (contract 3: the
    symptom duration)."""
    onsets = [
        _instant(cond["onsetDateTime"])
        for cond in _resources(case, "conditions", "Condition")
        if "onsetDateTime" in cond
        and any(c["code"] in CONDITION_SNOMED for c in cond["code"].get("coding", []))
    ]
    read = _notes_read(case)  # a duration a note states ("5 weeks of"), from the note's time
    onsets += [onset.when for onset in (read.onsets if read else ()) if onset.when is not None]
    return min(onsets, default=None)


def _age(case: dict[str, Any], now: datetime) -> int | None:
    """Whole years from the patient's birth date to the evaluation (None when not given)."""
    prefetch = case["request"].get("prefetch") or {}
    patient = prefetch.get("patient") or case.get("fhirServerData", {}).get("Patient") or {}
    born = patient.get("birthDate")
    if not born:
        return None
    year, month, day = (int(part) for part in born.split("-"))
    return now.year - year - ((now.month, now.day) < (month, day))


def _notes_read(case: dict[str, Any]) -> NotesRead | None:
    """The case's clinical notes, read by the note reader (contract section 3a)."""
    notes = _resources(case, "notes", "DocumentReference")
    phrases = load_knowledge_base().note_phrases
    if not notes or phrases is None:
        return None
    reading = NotePhraseSet.of(phrases)
    return read_notes(SearchResults(notes), case["request"]["context"]["patientId"], reading)


def _note_findings(case: dict[str, Any]) -> dict[str, bool]:
    """What the case's clinical notes say."""
    read = _notes_read(case)
    return {found.finding: found.present for found in read.findings} if read else {}


def _answers(items: list[dict[str, Any]]) -> dict[str, bool]:
    """Yes / No answers to our Questionnaire, by linkId, groups included."""
    found: dict[str, bool] = {}
    for item in items:
        found |= _answers(item.get("item", []))
        for answer in item.get("answer", []):
            state = ANSWERS.get(answer.get("valueCoding", {}).get("code", ""))
            if state is not None:
                found[item["linkId"]] = state
    return found


def _diagnosis_concepts(case: dict[str, Any]) -> list[dict[str, Any]]:
    """Conditions' codes, and the reasons of draft orders (a working diagnosis)."""
    concepts = [cond["code"] for cond in _resources(case, "conditions", "Condition")]
    orders = case["request"]["context"].get("draftOrders", {}).get("entry", [])
    return concepts + [
        reason for entry in orders for reason in entry["resource"].get("reasonCode", [])
    ]


CASES = sorted(VIGNETTES.glob("*.json"))


def test_the_vignettes_are_there() -> None:
    assert len(CASES) >= 19


@pytest.mark.parametrize("path", [vignette_param(p, p.stem, "differential") for p in CASES])
def test_vignette(kb: KnowledgeBase, path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    expect = case["expect"]
    result = evaluate(kb, read_presentation(case))
    if expect.get("cards") == "none":
        assert not result.active
        return
    assert result.active
    statuses = {c.code: c.status.value for c in result.candidates}
    if "top" in expect:
        assert result.candidates[0].code in expect["top"]
    for code in expect.get("unlikely", []):
        assert statuses[code] == "unlikely", code
    next_codes = [t.code for t in result.next_tests]
    assert set(expect.get("nextTests", [])) <= set(next_codes)
    if "nextTestsFirst" in expect:
        assert next_codes[0] in expect["nextTestsFirst"]
    assert not set(expect.get("notNextTests", [])) & set(next_codes)
    avoided = {t.code for t in result.avoid_tests}
    assert set(expect.get("avoidTests", [])) <= avoided
    assert not set(expect.get("notAvoidTests", [])) & avoided
    for entry in expect.get("appropriateness", []):
        assert result.ratings[entry["test"]].score <= 3  # rated 1-3: not appropriate
    flags = [f.code for f in result.red_flags]
    if "redFlag" in expect:
        assert bool(flags) == expect["redFlag"]
    assert set(expect.get("redFlags", [])) <= set(flags)
    for code, wanted in expect.get("status", {}).items():
        assert statuses[code] == wanted, code
    for code, unwanted in expect.get("notStatus", {}).items():
        assert statuses[code] != unwanted, code
    if expect.get("noneLikely"):
        assert "likely" not in statuses.values()
    opposing = {c.code: {e.finding for e in c.opposing} for c in result.candidates}
    for code, findings in expect.get("notOpposing", {}).items():
        assert not opposing[code] & set(findings), code
