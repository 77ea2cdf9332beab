"""The knowledge base's note phrases: every code is a finding of the contract (issue 25)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from differential import KnowledgeBase, load_knowledge_base
from differential.errors import KnowledgeBaseError
from tests.support.paths import ROOT


def contract_findings() -> set[str]:
    codes = json.loads((ROOT / "terminology" / "codes.json").read_text(encoding="utf-8"))
    return {finding["code"] for finding in codes["findings"]}


def test_every_phrase_names_a_finding_of_the_contract(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    named = {row.finding for row in kb.note_phrases.rows}

    assert named <= contract_findings()
    assert set(kb.note_phrases.histories) == {
        "prior-stress-fracture",
        "cancer-history",
        "low-bone-density",
    }


def test_the_examination_tests_are_named_as_clinicians_write_them(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    exam_names = {phrase for phrase, _, kind in kb.note_phrases.targets if kind == "exam"}

    assert {"SLR", "FAIR", "FADIR", "Trendelenburg", "hop test"} <= exam_names


def test_an_unknown_key_in_a_row_is_refused_with_its_line(tmp_path: Path) -> None:
    source = (ROOT / "differential" / "knowledge" / "gluteal-pain.yaml").read_text("utf-8")
    broken = source.replace("    - finding: fever\n", "    - finding: fever\n      colour: red\n")
    path = tmp_path / "kb.yaml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match="note_phrases"):
        load_knowledge_base(path)


def test_the_words_around_a_phrase_name_findings_of_the_contract(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    named = {code for row in kb.note_phrases.rows for rule in row.next_to for code in rule.findings}

    assert named <= contract_findings()
    assert "saddle-numbness" in named  # numbness of the saddle is never leg numbness


def test_every_imaging_finding_needs_a_study_done(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    studied = {row.finding for row in kb.note_phrases.rows if row.study}

    imaging = {code for code in contract_findings() if code.startswith(("mri-", "xray-"))}
    assert studied == imaging
