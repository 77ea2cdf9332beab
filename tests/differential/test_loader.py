"""Loading the knowledge base: quick, and loud when broken (every problem, with its line)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from differential import KnowledgeBaseError, load_knowledge_base
from differential.loader import default_knowledge_base_path


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
