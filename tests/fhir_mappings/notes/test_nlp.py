"""The medspaCy pipeline: built once per phrase list, and silent about note text (contract 3a)."""

from __future__ import annotations

import logging

import pytest

from fhir_mappings.notes import explain_text
from fhir_mappings.notes._nlp import mentions, pipeline
from tests.fhir_mappings.notes.corpus import phrases


def test_the_pipeline_is_built_once_per_phrase_list() -> None:
    assert pipeline(phrases().targets) is pipeline(phrases().targets)


def test_reading_logs_no_note_text_even_at_debug(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    secret = "zebrafinch numbness of the left foot"
    caplog.set_level(logging.DEBUG)

    explain_text(secret, phrases())

    printed = capfd.readouterr()  # medspaCy's libraries log through loguru, to stderr
    assert "zebrafinch" not in caplog.text + printed.out + printed.err


def _states(text: str) -> dict[str, bool | None]:
    return {m.label: state for m, state in explain_text(text, phrases())}


def test_two_findings_sharing_one_pain_word_are_both_read() -> None:
    # The matcher keeps the longer of two overlapping phrases; before, "buttock pain" was
    # lost here (held-out-2 note k11).
    assert _states("Buttock pain into posterior thigh.") == {
        "buttock-pain": True,
        "pain-into-upper-hamstring": True,
    }
    assert _states("Lateral hip pain on impact.") == {
        "lateral-hip-pain": True,
        "pain-on-impact": True,
    }


def test_a_shared_pain_word_keeps_its_context_and_its_own_words() -> None:
    text = "No buttock pain on sitting. ? buttock pain into posterior thigh."

    found = [(m.label, text[m.start : m.end]) for m in mentions(text, phrases().targets)]

    assert ("buttock-pain", "buttock pain") in found
    assert _states("No buttock pain on sitting.") == {
        "pain-worse-sitting": False,
        "buttock-pain": False,
    }
    assert _states("? buttock pain into posterior thigh.") == {
        "pain-into-upper-hamstring": None,
        "buttock-pain": None,
    }


def test_a_shared_word_other_than_pain_is_not_shared() -> None:
    # Saddle numbness is not numbness of the leg.
    assert _states("Saddle numbness.") == {"saddle-numbness": True}


def test_a_doubt_reaches_its_own_sentence_only() -> None:
    read = _states("? afebrile - thermometer broken at home. Buttock pain.")

    assert read == {"fever": None, "buttock-pain": True}


def test_a_normal_test_beside_words_stating_an_absence_does_not_deny_them() -> None:
    # "gait normal" is about the gait: the patient still bears weight fully (note k12).
    assert _states("Weight bearing fully, gait normal.")["unable-to-bear-weight"] is False
    assert _states("Afebrile, obs normal.")["fever"] is False
    assert _states("Not afebrile, obs normal.")["fever"] is None


def test_a_negation_stops_at_a_side_ending_its_sentence() -> None:
    # "L." is one token (an initial, to the tokenizer): before, "no" reached the next
    # sentence and denied the night pain.
    read = _states("No TTP over GT L. Worse lying on the affected side.")

    assert read == {"greater-trochanter-tenderness": False, "night-pain-lying-on-side": True}


def test_poor_sleep_does_not_deny_the_pain_that_causes_it() -> None:
    read = _states("Cannot sleep, pain when lying on that side.")

    assert read["night-pain-lying-on-side"] is True
    assert _states("Cannot lie on that side.")["night-pain-lying-on-side"] is True


def test_a_negation_inside_a_phrase_negates_no_other_finding_of_its_sentence() -> None:
    # "not" belongs to "has not passed urine": the foot drop after it is not denied.
    read = {
        mention.label: state
        for mention, state in explain_text("Not passed urine, L foot drop on waking.", phrases())
    }

    assert read == {"bladder-or-bowel-dysfunction": True, "leg-weakness": True}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Low back and R buttock pain for 3 weeks.", {"low-back-pain", "buttock-pain"}),
        ("Back and buttock pain since the marathon.", {"low-back-pain", "buttock-pain"}),
        ("L buttock and low back pain.", {"low-back-pain", "buttock-pain"}),
        ("Groin and buttock pain on running.", {"groin-pain", "buttock-pain"}),
    ],
)
def test_a_pain_word_shared_by_a_coordinated_clause_reads_each_site(
    text: str, expected: set[str]
) -> None:
    found = _states(text)

    assert {code for code, state in found.items() if state} >= expected


def test_a_denied_coordinated_clause_denies_each_site() -> None:
    found = _states("No low back or buttock pain.")

    assert found.get("low-back-pain") is False
    assert found.get("buttock-pain") is False


def test_a_site_that_is_no_finding_of_ours_is_not_coordinated() -> None:
    assert "low-back-pain" not in _states("Neck and buttock pain after the fall.")


def test_a_site_joined_after_a_pain_word_written_first_is_read_with_it() -> None:
    # Triage lines put the pain word first: "Pain L groin and buttock" is both.
    assert _states("Pain L groin and buttock.") == {"groin-pain": True, "buttock-pain": True}
    assert _states("No pain in the R buttock or groin.") == {
        "buttock-pain": False,
        "groin-pain": False,
    }


def test_a_personal_history_leaves_the_family_history_heading() -> None:
    text = "FHx: father bowel ca at 60. No personal hx of cancer."
    assert _states(text) == {"cancer-history": False}


def test_the_sentences_after_the_patients_own_history_are_the_patients() -> None:
    text = "FHx: father bowel ca. No personal history of cancer. Buttock pain x 2/12."
    assert _states(text) == {"cancer-history": False, "buttock-pain": True, "DURATION": True}


def test_a_query_written_onto_a_diagnosis_doubts_that_word_only() -> None:
    # notes-recall: "?GTPS ?piriformis" after the complaint queries the diagnoses
    assert _states("2/52 hx R buttock pain, ?GTPS ?piriformis.")["buttock-pain"] is True
    assert _states("Night pain?")["night-pain-at-rest"] is None
    assert _states("Imp: ?sacral stress fracture.").get("prior-stress-fracture") is None
    assert _states("Buttock pain ? GTPS")["buttock-pain"] is None
