"""The knowledge base file: complete against the contract, cited, and loud when broken."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from differential import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from differential.loader import default_knowledge_base_path
from tests.support.paths import CONTRACT
from tests.support.reasoner import PRESENTING_COMPLAINTS


def _contract_codes(section_heading: str) -> set[str]:
    """First-column codes of the table under a contract heading."""
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split(section_heading, 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE))


def test_every_contract_finding_has_a_row(kb: KnowledgeBase) -> None:
    codes = _contract_codes("## 3. Findings")
    assert len(codes) == 40
    assert codes <= set(kb.finding_by_code)


def test_every_contract_condition_is_a_candidate(kb: KnowledgeBase) -> None:
    assert _contract_codes("## 4. Conditions") == set(kb.condition_by_code)


def test_every_contract_test_is_known(kb: KnowledgeBase) -> None:
    codes = _contract_codes("## 5. Cards")
    test_codes = {
        c for c in codes if c.startswith(("xray", "mri", "ct-", "exam", "tuning", "labs"))
    }
    assert test_codes == set(kb.test_by_code)


def test_presenting_complaints_are_the_contracts(kb: KnowledgeBase) -> None:
    assert kb.presenting_findings == set(PRESENTING_COMPLAINTS)


def test_every_rule_cites_a_source(kb: KnowledgeBase) -> None:
    cited = [*kb.conditions, *kb.findings, *kb.tests, *kb.workup, *kb.avoid, *kb.cautions]
    cited += kb.red_flags
    assert all(rule.cite for rule in cited)
    # Red flags come from outside the article and must say so.
    assert all(any(c.startswith("Published") for c in r.cite) for r in kb.red_flags)


def test_loads_quickly_enough_to_start_many_workers() -> None:

    start = time.perf_counter()
    load_knowledge_base()
    assert time.perf_counter() - start < 1.0  # generous: a guard against pathologies only


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = default_knowledge_base_path().read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "kb.yaml"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      piriformis-syndrome: 0.85\n", "      piriformis-syndrome: 1.5\n", "less than 1"),
        ("      ischial-bursitis: 0.50\n", "      ischial-bursits: 0.50\n", "unknown condition"),
        ("    test: tuning-fork-or-ultrasound\n", "    test: tuning-fork\n", "unknown test"),
        ("reveals: [single-leg-hop-painful]", "reveals: [single-leg-hop]", "unknown finding"),
        (
            "when: {leading: piriformis-syndrome}",
            "when: {leading: piriformis}",
            "unknown condition",
        ),
        ('cite: ["Article § Ischial Bursitis — Testing"]', 'cite: ["my notes"]', "citation"),
        ("  - code: groin-pain\n", "  - code: fever\n", "duplicate identifier"),
        ("    presenting: true\n", "    presenting: true\n    colour: red\n", "Extra inputs"),
        ("    calls_for: [mri-lumbar-spine]\n", "    calls_for: [mri-spine]\n", "unknown test"),
        ("    when: {present: fever}\n", "    when: {present: fevre}\n", "unknown finding"),
        (
            "  - finding: mri-bone-stress-injury\n    condition: hip-stress-fracture\n",
            "  - finding: mri-bone-stress-injury\n    condition: hip-fracture\n",
            "unknown condition",
        ),
        ("    stands_for: mri-hip-pelvis\n", "    stands_for: mri-hip\n", "unknown test"),
        (
            "      - result: mri-bone-stress-injury\n",
            "      - result: mri-lumbar-disc-lesion\n",
            "unknown result of this test",
        ),
        (
            "        findings: [pain-on-impact, ",
            "        findings: [pain-on-impakt, ",
            "unknown finding",
        ),
    ],
)
def test_a_broken_file_fails_with_the_line_at_fault(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(KnowledgeBaseError) as failure:
        load_knowledge_base(path)
    text = str(failure.value)
    assert message in text
    # The line named in the message is the edited line (or the key just above it).
    reported = int(re.search(r"kb\.yaml:(\d+): ", text)[1])  # type: ignore[index]
    lines = path.read_text(encoding="utf-8").splitlines()
    near = "\n".join(lines[reported - 1 : reported + 1])
    assert new.strip().splitlines()[-1].strip() in near, text


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = _broken(tmp_path, "  - code: groin-pain\n", "  - code: fever\n")
    text = path.read_text(encoding="utf-8").replace(
        "reveals: [single-leg-hop-painful]", "reveals: [x]"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as failure:
        load_knowledge_base(path)
    assert "duplicate identifier" in str(failure.value)
    assert "unknown finding 'x'" in str(failure.value)


def test_invalid_yaml_and_missing_file_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not valid YAML"):
        load_knowledge_base(bad)
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        load_knowledge_base(tmp_path / "absent.yaml")


def test_every_prior_says_where_it_comes_from() -> None:
    # Issue 22: each prior names the published population it is adjusted from, or says it
    # is an estimate.
    kb = load_knowledge_base()
    priors = [(c.name, c.prior, c.prior_basis) for c in kb.conditions]
    priors.append((kb.other_causes.name, kb.other_causes.prior, kb.other_causes.prior_basis))
    for name, prior, basis in priors:
        assert basis, name
        assert "(" in basis  # names its study, or says "(estimate)"
        assert f"{prior:.2f}" in basis  # and the number it gives
