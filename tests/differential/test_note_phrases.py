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

    assert {"SLR", "FAIR", "FADIR", "single leg stance", "hop test", "thigh thrust"} <= exam_names


def test_a_pelvic_drop_is_not_read_as_a_painful_single_leg_stance(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    stance = next(r for r in kb.note_phrases.rows if r.finding == "single-leg-stance-painful")

    assert "trendelenburg" not in {phrase.lower() for phrase in stance.exam_phrases}


def test_the_sacroiliac_tests_count_as_the_contracts_cluster(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    cluster = next(r.cluster for r in kb.note_phrases.rows if r.cluster is not None)

    assert set(cluster.tests) == {"distraction", "thigh-thrust", "compression", "sacral-thrust"}
    assert cluster.present_from == 2  # contract section 3: two or more of the four


def test_what_a_finding_implies_and_a_fever_threshold_are_the_contracts(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    implied = {code for row in kb.note_phrases.rows for code in row.implies}
    fever = next(r for r in kb.note_phrases.rows if r.finding == "fever")

    assert implied <= contract_findings()
    assert fever.present_from_celsius == 38.0


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


def test_a_cue_phrase_says_nothing_without_a_rule_to_name_it(kb: KnowledgeBase) -> None:
    # A row's cue phrases ("lost", "wakes at night") read only as its next_to rules name
    # them: a row with cues and no rule could never read them.
    assert kb.note_phrases is not None
    cued = [row for row in kb.note_phrases.rows if row.cue_phrases]

    assert {"unexplained-weight-loss", "night-pain-at-rest"} <= {row.finding for row in cued}
    assert all(any(rule.findings for rule in row.next_to) for row in cued)


def test_cue_phrases_without_a_rule_are_refused(tmp_path: Path) -> None:
    source = (ROOT / "differential" / "knowledge" / "gluteal-pain.yaml").read_text("utf-8")
    row = "    - finding: fever\n"
    broken = source.replace(row, row + "      cue_phrases: [hot]\n")
    path = tmp_path / "kb.yaml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(KnowledgeBaseError, match="cue_phrases"):
        load_knowledge_base(path)


def test_a_low_body_mass_index_threshold_names_its_source(kb: KnowledgeBase) -> None:
    assert kb.note_phrases is not None
    energy = next(r for r in kb.note_phrases.rows if r.finding == "low-energy-availability")

    assert energy.present_below_bmi == 17.5  # RED-S CAT's high-risk mark (Mountjoy 2015)


def test_only_the_normal_film_lets_an_absence_win_in_a_note(kb: KnowledgeBase) -> None:
    # notes-recall: a finding's present mention wins in a note; a normal film loses to any
    # abnormality the report names
    assert kb.note_phrases is not None
    assert kb.note_phrases.absent_first == frozenset({"xray-hip-pelvis-normal"})
