"""The medspaCy pipeline: built once per phrase list, and silent about note text (contract 3a)."""

from __future__ import annotations

import logging

import pytest

from fhir_mappings.notes import explain_text
from fhir_mappings.notes._nlp import pipeline
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


def test_a_negation_inside_a_phrase_negates_no_other_finding_of_its_sentence() -> None:
    # "not" belongs to "has not passed urine": the foot drop after it is not denied.
    read = {
        mention.label: state
        for mention, state in explain_text("Not passed urine, L foot drop on waking.", phrases())
    }

    assert read == {"bladder-or-bowel-dysfunction": True, "leg-weakness": True}
