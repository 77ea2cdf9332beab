"""The code tables of codes.json: ICD-10-CM patterns, CPT ranges and the look-up indexes."""

from __future__ import annotations

from typing import Any

import pytest

from terminology import code_tables, icd10_key, icd10_pattern
from terminology._codes import expand_cpt

CANCERS = {"from": "C00", "to": "C96", "except": ["C44x"]}


def test_icd10_codes_are_compared_without_dots_spaces_or_case() -> None:
    assert icd10_key(" m54.30 ") == icd10_key("M5430") == "M5430"


@pytest.mark.parametrize(
    ("entry", "code", "matches"),
    [
        ("R63.4", "R63.4", True),
        ("R63.4", "R63.41", False),  # an exact code is not a stem
        ("M54.5x", "M54.5", True),
        ("M54.50", "M54.50", True),
        ("M54.5x", "M54.59", True),
        ("M54.5x", "M54.6", False),
        (CANCERS, "C50.911", True),
        (CANCERS, "C96", True),
        (CANCERS, "C44.91", False),  # the excepted skin cancers
        (CANCERS, "C97", False),
        (CANCERS, "D03.9", False),
    ],
)
def test_an_icd10_entry_is_a_code_a_stem_or_a_range_less_its_exceptions(
    entry: Any, code: str, matches: bool
) -> None:
    assert icd10_pattern(entry).matches(icd10_key(code)) is matches


def test_every_code_a_pattern_matches_starts_with_its_prefix() -> None:
    assert icd10_pattern(CANCERS).prefix == "C"
    assert icd10_pattern("M54.5x").prefix == "M545"


def test_a_cpt_range_stands_for_each_code_in_it() -> None:
    assert expand_cpt(["73501-73503", "72170"]) == ("73501", "73502", "73503", "72170")


def test_an_order_coded_inside_a_cpt_range_is_the_test_of_the_range() -> None:
    tables = code_tables()

    assert tables.test_by_coding[(tables.system("cpt"), "73502")] == "xray-hip-pelvis"


def test_an_unknown_answer_is_read_as_unknown_never_as_no() -> None:
    tables = code_tables()
    states = {
        display: tables.value_state[(system, code)]
        for system, code, display in tables.questionnaire_answers
    }

    assert sorted(states.values(), key=str) == [False, None, True]


def test_every_snomed_alternate_of_a_finding_names_that_finding() -> None:
    tables = code_tables()
    snomed = tables.system("snomed")

    assert all(
        tables.finding_by_coding[(snomed, code)] == finding.code
        for finding in tables.findings
        for code in finding.snomed
    )


def test_the_file_is_read_once() -> None:
    assert code_tables() is code_tables()
