"""Observations to findings: every encoding, status, age and conflict rule of section 3."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fhir_mappings import MappingError, PatientRecord, map_patient_record
from tests.fhir_mappings.resources import (
    FINDING,
    INTERPRETATION,
    LOINC,
    NOW,
    SNOMED,
    bundle,
    concept,
    observation,
)


def mapped(*observations: Any, **options: Any) -> PatientRecord:
    return map_patient_record(None, bundle(*observations), None, evaluated_at=NOW, **options)


def state_of(resource: dict[str, Any], finding: str = "buttock-pain") -> bool | None:
    return mapped(resource).findings.get(finding)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({}, True, id="no-value"),
        pytest.param({"valueBoolean": True}, True, id="boolean-true"),
        pytest.param({"valueBoolean": False}, False, id="boolean-false"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "52101004")}, True, id="present"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "373066001")}, True, id="yes"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "10828004")}, True, id="positive"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "2667000")}, False, id="absent"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "373067005")}, False, id="no"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "260385009")}, False, id="negative"),
        pytest.param({"interpretation": [concept(INTERPRETATION, "POS")]}, True, id="interp-pos"),
        pytest.param({"interpretation": [concept(INTERPRETATION, "NEG")]}, False, id="interp-neg"),
        pytest.param({"valueString": "maybe"}, None, id="string-is-unknown"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "261665006")}, None, id="unknown"),
        pytest.param({"valueCodeableConcept": concept(SNOMED, "404684003")}, None, id="other-code"),
        pytest.param(
            {"valueString": "left side", "interpretation": [concept(INTERPRETATION, "POS")]},
            True,
            id="string-with-pos",
        ),
        pytest.param(
            {"valueBoolean": True, "interpretation": [concept(INTERPRETATION, "NEG")]},
            None,
            id="contradiction",
        ),
        pytest.param(
            {
                "dataAbsentReason": concept(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason", "asked-unknown"
                )
            },
            None,
            id="data-absent-reason",
        ),
    ],
)
def test_value_encodings(value: dict[str, Any], expected: bool | None) -> None:
    assert state_of(observation(**value)) is expected


# Encodings EHRs send besides the contract's SNOMED CT values: LOINC answer codes (LL361-7),
# HL7 v2 table 0136 (R4 and DSTU2/STU3 URLs), interpretation in the v2 table 0078 and the
# pre-R4 v3 URL, and Detected / Not detected. A Normal or Indeterminate interpretation does
# not say the finding is there: without a value it is unknown, never present.
V2_YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"
V2_INTERPRETATION = "http://hl7.org/fhir/v2/0078"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"valueCodeableConcept": concept(LOINC, "LA33-6")}, True, id="loinc-yes"),
        pytest.param({"valueCodeableConcept": concept(LOINC, "LA32-8")}, False, id="loinc-no"),
        pytest.param({"valueCodeableConcept": concept(LOINC, "LA4489-6")}, None, id="loinc-unk"),
        pytest.param({"valueCodeableConcept": concept(V2_YES_NO, "Y")}, True, id="v2-yes"),
        pytest.param({"valueCodeableConcept": concept(V2_YES_NO, "N")}, False, id="v2-no"),
        pytest.param(
            {"valueCodeableConcept": concept("http://hl7.org/fhir/v2/0136", "N")},
            False,
            id="v2-no-stu3-url",
        ),
        pytest.param(
            {"interpretation": [concept(V2_INTERPRETATION, "NEG")]}, False, id="v2-interp-neg"
        ),
        pytest.param(
            {
                "interpretation": [
                    concept("http://hl7.org/fhir/v3/ObservationInterpretation", "NEG")
                ]
            },
            False,
            id="stu3-interp-neg",
        ),
        pytest.param(
            {
                "valueString": "left",
                "interpretation": [concept("http://terminology.hl7.org/CodeSystem/v2-0078", "POS")],
            },
            True,
            id="r4-v2-interp-pos",
        ),
        pytest.param({"interpretation": [concept(INTERPRETATION, "ND")]}, False, id="interp-nd"),
        pytest.param({"interpretation": [concept(INTERPRETATION, "DET")]}, True, id="interp-det"),
        pytest.param({"interpretation": [concept(INTERPRETATION, "N")]}, None, id="interp-normal"),
        pytest.param(
            {"interpretation": [concept(INTERPRETATION, "IND")]}, None, id="interp-indeterminate"
        ),
        pytest.param({"interpretation": [concept(INTERPRETATION, "A")]}, True, id="interp-abn"),
    ],
)
def test_other_yes_no_and_interpretation_encodings(
    value: dict[str, Any], expected: bool | None
) -> None:
    assert state_of(observation(**value)) is expected


# Flowsheets and forms often send the answer as text. Only a whole answer word counts
# (trimmed, any case): a sentence, a side or "maybe" stays unknown, never a guessed No.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param({"valueString": "Yes"}, True, id="string-yes"),
        pytest.param({"valueString": " positive "}, True, id="string-positive"),
        pytest.param({"valueString": "NO"}, False, id="string-no"),
        pytest.param({"valueString": "negative."}, False, id="string-negative"),
        pytest.param({"valueString": "absent"}, False, id="string-absent"),
        pytest.param({"valueString": "no change"}, None, id="string-sentence"),
        pytest.param({"valueString": "not sure"}, None, id="string-unsure"),
        pytest.param({"valueCodeableConcept": {"text": "Yes"}}, True, id="text-only-yes"),
        pytest.param({"valueCodeableConcept": {"text": "No"}}, False, id="text-only-no"),
        pytest.param(
            {"valueCodeableConcept": {**concept(SNOMED, "261665006"), "text": "No"}},
            None,
            id="coded-unknown-beats-text",
        ),
        pytest.param(
            {"valueString": "yes", "interpretation": [concept(INTERPRETATION, "NEG")]},
            None,
            id="string-contradicted",
        ),
    ],
)
def test_yes_and_no_written_as_text(value: dict[str, Any], expected: bool | None) -> None:
    assert state_of(observation(**value)) is expected


# An interpretation sent as text only (no coding) is read like a value's text: "Negative"
# is absent; "Normal", and any other text ("see note", "Declined"), takes the "observed, so
# present" reading away: the answer is elsewhere, or there is none.
@pytest.mark.parametrize(
    ("interpretation", "expected"),
    [
        pytest.param({"text": "Negative"}, False, id="negative"),
        pytest.param({"text": "POSITIVE"}, True, id="positive"),
        pytest.param({"text": "Normal"}, None, id="normal"),
        pytest.param({"text": "see note"}, None, id="other-text"),
        pytest.param({**concept(INTERPRETATION, "POS"), "text": "Negative"}, True, id="coded"),
    ],
)
def test_an_interpretation_written_as_text(
    interpretation: dict[str, Any], expected: bool | None
) -> None:
    assert state_of(observation(interpretation=[interpretation])) is expected


def test_a_symptom_interpreted_not_detected_is_absent_and_says_nothing_of_its_factors() -> None:
    denied = symptom(
        "buttock-pain",
        factor("pain-worse-sitting"),
        interpretation=[concept(V2_INTERPRETATION, "NEG")],
    )
    assert mapped(denied).findings == {"buttock-pain": False}


@pytest.mark.parametrize(
    ("code", "finding"),
    [
        ("279043006", "buttock-pain"),
        ("309537005", "leg-numbness"),
        ("44077006", "leg-numbness"),
        ("713514005", "leg-weakness"),
        ("72042002", "bladder-or-bowel-dysfunction"),
        ("386661006", "fever"),
        ("14302001", "amenorrhoea"),
        ("56882008", "low-energy-availability"),
    ],
)
def test_snomed_alternates_name_the_finding(code: str, finding: str) -> None:
    record = mapped(observation(code, system=SNOMED, valueBoolean=True))
    assert record.findings == {finding: True}


def test_a_finding_and_its_value_in_snomed_named_by_its_oid() -> None:
    oid = "urn:oid:2.16.840.1.113883.6.96"
    fever = observation("386661006", system=oid, valueCodeableConcept=concept(oid, "373067005"))
    assert mapped(fever).findings == {"fever": False}


@pytest.mark.parametrize(
    "system",
    ["http://snomed.info/sct/900000000000207008", "http://snomed.info/sct/731000124108"],
)
def test_snomed_sent_with_its_edition_in_the_system_url(system: str) -> None:
    # The edition belongs in Coding.version, but some feeds put it in the system URL.
    assert mapped(observation("386661006", system=system)).findings == {"fever": True}


def test_unknown_codes_are_not_findings() -> None:
    labs = [
        observation("2345-7", system=LOINC, valueQuantity={"value": 5.1}),
        observation("buttock-pain", system="http://example.org/other", ident="o2"),
        observation("no-such-finding", ident="o3"),
    ]
    record = mapped(*labs)
    assert record.findings == {}
    assert record.ignored == 0
    assert record.problems == ()


def symptom(value_code: str, *components: dict[str, Any], **elements: Any) -> dict[str, Any]:
    return observation(
        "75325-1",
        system=LOINC,
        valueCodeableConcept=concept(FINDING, value_code),
        component=list(components),
        **elements,
    )


def factor(finding: str, loinc: str = "100752-5", **elements: Any) -> dict[str, Any]:
    return {
        "code": concept(LOINC, loinc),
        "valueCodeableConcept": concept(FINDING, finding),
        **elements,
    }


def test_symptoms_ig_value_and_factors_are_present() -> None:
    resource = symptom(
        "buttock-pain", factor("pain-worse-sitting"), factor("shorter-stride-relieves", "100753-3")
    )
    assert mapped(resource).findings == {
        "buttock-pain": True,
        "pain-worse-sitting": True,
        "shorter-stride-relieves": True,
    }


def test_symptoms_ig_component_can_say_otherwise() -> None:
    denied = factor("pain-worse-sitting", interpretation=[concept(INTERPRETATION, "NEG")])
    assert mapped(symptom("buttock-pain", denied)).findings["pain-worse-sitting"] is False


def test_symptoms_ig_other_components_and_denied_symptom() -> None:
    severity = {
        "code": concept(LOINC, "72514-3"),
        "valueCodeableConcept": concept(FINDING, "fever"),
    }
    record = mapped(symptom("buttock-pain", severity))
    assert record.findings == {"buttock-pain": True}
    denied = symptom(
        "buttock-pain",
        factor("pain-worse-sitting"),
        interpretation=[concept(INTERPRETATION, "NEG")],
    )
    assert mapped(denied).findings == {"buttock-pain": False}


def test_a_screening_panel_gives_the_findings_its_components_are_coded_with() -> None:
    # Flowsheets send a screen as one Observation with a component per question; each
    # component coded with a finding says that finding, by its own value.
    panel = observation(
        "red-flag-screen",
        system="http://ehr.example.org/flowsheet-row",
        component=[
            {
                "code": concept(FINDING, "saddle-numbness"),
                "valueCodeableConcept": concept(SNOMED, "373066001"),
            },
            {"code": concept(SNOMED, "386661006"), "valueBoolean": False},
            {"code": concept(FINDING, "leg-weakness"), "valueString": "not sure"},
            {
                "code": concept(FINDING, "unable-to-bear-weight"),
                "dataAbsentReason": concept(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason", "asked-declined"
                ),
            },
            {"code": concept(LOINC, "8480-6"), "valueQuantity": {"value": 120}},
            # A row nobody answered is no red flag (a review's finding: it read present).
            {"code": concept(FINDING, "bladder-or-bowel-dysfunction")},
        ],
    )
    assert mapped(panel).findings == {"saddle-numbness": True, "fever": False}


def test_symptom_that_is_not_ours_still_gives_its_factors() -> None:
    resource = symptom("buttock-pain", factor("pain-worse-sitting"))
    resource["valueCodeableConcept"] = concept(SNOMED, "22253000")  # pain, not one of ours
    assert mapped(resource).findings == {"pain-worse-sitting": True}


@pytest.mark.parametrize("status", ["final", "amended", "corrected", "preliminary"])
def test_counted_statuses(status: str) -> None:
    assert state_of(observation(status=status, valueBoolean=True)) is True


@pytest.mark.parametrize("status", ["registered", "cancelled", "entered-in-error", "unknown"])
def test_statuses_that_do_not_count(status: str) -> None:
    record = mapped(observation(status=status, valueBoolean=True))
    assert record.findings == {}
    assert record.ignored == 1


def test_entered_in_error_does_not_override_older_answer() -> None:
    record = mapped(
        observation(ident="old", days_ago=10, valueBoolean=False),
        observation(ident="error", days_ago=1, status="entered-in-error", valueBoolean=True),
    )
    assert record.findings == {"buttock-pain": False}
    assert record.sources[0].resource_id == "old"


@pytest.mark.parametrize(
    ("days", "counts"), [(179, True), (180, True), (180.01, False), (181, False)]
)
def test_age_cut_off(days: float, counts: bool) -> None:
    record = mapped(observation(days_ago=days))
    assert ("buttock-pain" in record.findings) is counts
    assert record.ignored == (0 if counts else 1)


def test_max_age_is_configurable() -> None:
    assert mapped(observation(days_ago=20), max_age=timedelta(days=14)).findings == {}


@pytest.mark.parametrize(
    "timing",
    [
        {"effectivePeriod": {"start": "2026-01-01T00:00:00Z", "end": "2026-11-19T00:00:00Z"}},
        {"effectivePeriod": {"start": "2026-11-19T00:00:00Z"}},
        {"effectiveInstant": "2026-11-19T10:00:00Z"},
        {"issued": "2026-11-19T10:00:00Z"},
        {"effectiveDateTime": "2026-11"},
    ],
    ids=["period-end", "period-start", "instant", "issued", "partial-date"],
)
def test_effective_time_encodings(timing: dict[str, str]) -> None:
    resource = observation()
    del resource["effectiveDateTime"]
    resource.update(timing)
    assert state_of(resource) is True


def test_period_end_decides_age() -> None:
    resource = observation()
    del resource["effectiveDateTime"]
    resource["effectivePeriod"] = {"start": "2025-01-01T00:00:00Z", "end": "2025-02-01T00:00:00Z"}
    assert state_of(resource) is None


def test_undated_observation_is_ignored() -> None:
    resource = observation()
    del resource["effectiveDateTime"]
    record = mapped(resource)
    assert record.findings == {}
    assert record.ignored == 1


def test_newest_wins_whatever_the_order() -> None:
    older = observation(ident="older", days_ago=21, valueBoolean=True)
    newer = observation(ident="newer", days_ago=1, valueBoolean=False)
    for ordered in [(older, newer), (newer, older)]:
        record = mapped(*ordered)
        assert record.findings == {"buttock-pain": False}
        assert [s.resource_id for s in record.sources] == ["newer"]


def test_same_instant_tie_break_is_deterministic() -> None:
    absent = observation(ident="a", valueBoolean=False)
    present = observation(ident="b", valueBoolean=True)
    amended = observation(ident="c", status="amended", valueBoolean=False)
    assert mapped(absent, present).findings["buttock-pain"] is True
    assert mapped(present, absent).findings["buttock-pain"] is True
    assert mapped(present, amended, absent).findings["buttock-pain"] is False


def test_unknown_newer_reading_leaves_older_answer() -> None:
    record = mapped(
        observation(ident="old", days_ago=5, valueBoolean=True),
        observation(ident="new", days_ago=1, valueString="not sure"),
    )
    assert record.findings == {"buttock-pain": True}
    assert record.ignored == 1


def test_sources_name_the_winning_observation() -> None:
    record = mapped(observation(ident="o-9", days_ago=3, valueBoolean=True))
    (source,) = record.sources
    assert (source.finding, source.present, source.resource_id) == ("buttock-pain", True, "o-9")
    assert source.effective == NOW - timedelta(days=3)


def test_extensions_and_unknown_elements_are_accepted() -> None:
    resource = observation(
        valueBoolean=True,
        extension=[{"url": "http://ehr.example/ext", "valueString": "x"}],
        _status={"extension": [{"url": "http://ehr.example/s", "valueCode": "y"}]},
        vendorFlag={"internal": 1},
    )
    resource["code"]["coding"][0]["vendorRank"] = 1
    record = mapped(resource)
    assert record.findings == {"buttock-pain": True}
    assert record.problems == ()


def test_single_observation_instead_of_bundle() -> None:
    record = map_patient_record(None, observation(), None, evaluated_at=NOW)
    assert record.findings == {"buttock-pain": True}


def test_naive_evaluation_time_is_refused() -> None:
    with pytest.raises(MappingError):
        map_patient_record(None, None, None, evaluated_at=NOW.replace(tzinfo=None))
