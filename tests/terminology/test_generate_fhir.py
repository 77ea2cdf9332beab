"""Our terminology as FHIR resources: valid R4, generated from the code tables, and the
Questionnaire that asks every finding."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from terminology import code_tables
from terminology._generate_fhir import TERMINOLOGY_DIR, build_terminology, render
from tests.support.paths import CONTRACT

FILES = sorted(TERMINOLOGY_DIR.glob("*.json"))


def test_committed_files_are_exactly_the_generated_ones() -> None:
    built = build_terminology()
    assert sorted(p.name for p in FILES) == sorted(built)
    for path in FILES:
        assert path.read_text(encoding="utf-8") == render(built[path.name]), path.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_is_a_valid_r4_resource(path: Path) -> None:
    resource = json.loads(path.read_text(encoding="utf-8"))
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def contract_finding_codes() -> set[str]:
    """The finding codes of the contract's section 3 table, as the contract spells them."""
    text = CONTRACT.read_text(encoding="utf-8")
    table = text.split("| finding code |", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9-]+)`", table, flags=re.MULTILINE))


def test_code_systems_carry_the_contract_urls_and_codes() -> None:
    systems = {
        r["url"]: {c["code"] for c in r["concept"]}
        for r in build_terminology().values()
        if r["resourceType"] == "CodeSystem"
    }
    base = "https://gluteal-cds.org/fhir/CodeSystem/"
    assert set(systems) == {
        base + n for n in ["finding", "condition", "test", "card-topic", "override-reason"]
    }
    assert systems[base + "finding"] == contract_finding_codes()
    assert len(systems[base + "condition"]) == 8  # the seven and another-cause (12-06)
    assert "xray-hip-pelvis" in systems[base + "test"]
    assert systems[base + "card-topic"] == {
        "differential",
        "next-test",
        "avoid-test",
        "treatment-caution",
        "red-flag",
        "order-appropriateness",
    }


def questionnaire() -> dict[str, Any]:
    return build_terminology()["Questionnaire-finding-capture.json"]


def test_questionnaire_asks_every_finding_once_in_groups() -> None:
    groups = questionnaire()["item"]
    assert [g["linkId"] for g in groups] == [
        "history",
        "examination",
        "imaging",
        "red-flags",
        "risk-factors",
    ]
    questions = [q for g in groups for q in g["item"]]
    assert sorted(q["linkId"] for q in questions) == sorted(f.code for f in code_tables().findings)
    assert all(q["code"][0]["code"] == q["linkId"] for q in questions)
