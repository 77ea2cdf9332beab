"""Answers to our bedside Questionnaire in the patient record (contract section 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fhir_mappings import SearchResults, map_patient_record

from .resources import NOW, bundle, observation

QUESTIONNAIRE = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"
YES, NO, UNKNOWN = "373066001", "373067005", "261665006"


def response(*answers: tuple[str, str], days_ago: float = 1, **elements: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "questionnaire": QUESTIONNAIRE,
        "status": "completed",
        "authored": (NOW - timedelta(days=days_ago)).isoformat(),
        "item": [
            {
                "linkId": "findings",
                "item": [
                    {
                        "linkId": code,
                        "answer": [
                            {"valueCoding": {"system": "http://snomed.info/sct", "code": value}}
                        ],
                    }
                    for code, value in answers
                ],
            }
        ],
    }
    resource.update(elements)
    return resource


def record(*responses: dict[str, Any], observations: Any = None) -> Any:
    return map_patient_record(
        None,
        observations,
        None,
        evaluated_at=NOW,
        questionnaire_responses=bundle(*responses),
    )


def test_answers_count_like_observations_and_unknown_stays_unknown() -> None:
    mapped = record(response(("buttock-pain", YES), ("fever", NO), ("saddle-numbness", UNKNOWN)))
    assert mapped.findings == {"buttock-pain": True, "fever": False}


def test_a_boolean_answer_counts_and_an_item_that_is_no_finding_is_left_out() -> None:
    answered = response(("buttock-pain", YES))
    answered["item"][0]["item"] += [
        {"linkId": "sits-bone-pain", "answer": [{"valueBoolean": True}]},
        {"linkId": "not-a-finding", "answer": [{"valueBoolean": True}]},
    ]
    assert record(answered).findings == {"buttock-pain": True, "sits-bone-pain": True}


def test_answers_in_other_yes_no_encodings_and_as_text() -> None:
    # A form filled in another tool than our bedside app (or converted) answers with LOINC
    # answer codes, HL7 v2 Y/N or plain text; a free-text answer that is no yes/no word
    # stays unknown.
    answered = response(("buttock-pain", YES))
    answered["item"][0]["item"] += [
        {
            "linkId": "fever",
            "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA32-8"}}],
        },
        {"linkId": "sits-bone-pain", "answer": [{"valueString": "Yes"}]},
        {"linkId": "groin-pain", "answer": [{"valueString": "no"}]},
        {"linkId": "saddle-numbness", "answer": [{"valueString": "a little"}]},
    ]
    assert record(answered).findings == {
        "buttock-pain": True,
        "fever": False,
        "sits-bone-pain": True,
        "groin-pain": False,
    }


def test_the_newest_wins_across_observations_and_answers() -> None:
    older = bundle(observation("fever", days_ago=3, valueBoolean=True))
    assert record(response(("fever", NO), days_ago=1), observations=older).findings == {
        "fever": False
    }
    newer = bundle(observation("fever", days_ago=0.5, valueBoolean=True))
    assert record(response(("fever", NO), days_ago=1), observations=newer).findings == {
        "fever": True
    }
    sources = record(response(("fever", NO)), observations=older).sources
    assert [(s.finding, s.resource_id) for s in sources] == [("fever", "qr-1")]


@pytest.mark.parametrize(
    "elements",
    [
        {"status": "in-progress"},
        {"status": "entered-in-error"},
        {"questionnaire": "https://other.example/Questionnaire/intake"},
        {"authored": (NOW - timedelta(days=400)).isoformat()},
    ],
    ids=["in-progress", "entered-in-error", "another-questionnaire", "stale"],
)
def test_responses_that_do_not_count(elements: dict[str, Any]) -> None:
    assert record(response(("buttock-pain", YES), **elements)).findings == {}


def test_a_versioned_canonical_still_names_our_questionnaire() -> None:
    versioned = response(("buttock-pain", YES), questionnaire=f"{QUESTIONNAIRE}|1.0.0")
    assert record(versioned).findings == {"buttock-pain": True}


def test_a_malformed_response_is_a_problem_not_a_crash() -> None:
    mapped = record(response(("buttock-pain", YES), status=5))
    assert mapped.findings == {}
    assert [p.resource_type for p in mapped.problems] == ["QuestionnaireResponse"]


def test_answers_may_come_as_search_results() -> None:
    mapped = map_patient_record(
        None,
        None,
        None,
        evaluated_at=NOW,
        questionnaire_responses=SearchResults([response(("lateral-hip-pain", YES))]),
    )
    assert mapped.findings == {"lateral-hip-pain": True}


def _answered(*items: dict[str, Any]) -> dict[str, Any]:
    answered = response(("buttock-pain", YES))
    answered["item"][0]["item"] += list(items)
    return answered


def _coded(value: str) -> dict[str, Any]:
    return {"valueCoding": {"system": "http://snomed.info/sct", "code": value}}


def test_yes_and_no_to_one_item_is_unknown_not_present() -> None:
    # The review's case: a radiating-pain item answered [Yes, No] was read as present.
    both = _answered({"linkId": "pain-radiates-below-knee", "answer": [_coded(YES), _coded(NO)]})
    assert record(both).findings == {"buttock-pain": True}


def test_one_link_id_answered_both_ways_in_a_response_is_unknown() -> None:
    twice = _answered(
        {"linkId": "fever", "answer": [{"valueBoolean": False}]},
        {"linkId": "fever", "answer": [_coded(YES)]},
    )
    mapped = record(twice)
    assert "fever" not in mapped.findings
    # Unknown, not absent: the older recorded fever still stands (no "no fever" hides it).
    older = bundle(observation("fever", days_ago=3, valueBoolean=True))
    assert record(twice, observations=older).findings == {"buttock-pain": True, "fever": True}


def test_the_same_answer_twice_stays_that_answer() -> None:
    repeated = _answered(
        {"linkId": "fever", "answer": [_coded(NO), {"valueBoolean": False}]},
        {"linkId": "sits-bone-pain", "answer": [_coded(YES)]},
        {"linkId": "sits-bone-pain", "answer": [{"valueString": "yes"}]},
        {"linkId": "groin-pain", "answer": [_coded(UNKNOWN), _coded(YES)]},
    )
    assert record(repeated).findings == {
        "buttock-pain": True,
        "fever": False,
        "sits-bone-pain": True,
        "groin-pain": True,
    }
