"""What the web side writes back to the EHR is what we publish and what the mapper reads."""

from __future__ import annotations

import pytest

from terminology import QUESTIONNAIRE_URL, answer_coding, code_tables, system_url
from terminology._generate_fhir import build_terminology

QUESTIONNAIRE = build_terminology()["Questionnaire-finding-capture.json"]


def test_answers_are_written_with_the_yes_and_no_our_questionnaire_offers() -> None:
    offered = [o["valueCoding"] for o in QUESTIONNAIRE["item"][0]["item"][0]["answerOption"]]

    assert [answer_coding(True), answer_coding(False)] == offered[:2]


@pytest.mark.parametrize("present", [True, False])
def test_an_answer_written_is_read_back_as_it_was_meant(present: bool) -> None:
    coding = answer_coding(present)

    assert code_tables().value_state[(coding["system"], coding["code"])] is present


def test_our_code_systems_are_the_ones_we_publish() -> None:
    published = {
        r["url"] for r in build_terminology().values() if r["resourceType"] == "CodeSystem"
    }

    assert {system_url(name) for name in ("finding", "condition", "test")} <= published
    with pytest.raises(KeyError):
        system_url("no-such-system")


def test_the_questionnaire_url_is_the_one_we_publish() -> None:
    assert QUESTIONNAIRE["url"] == QUESTIONNAIRE_URL
