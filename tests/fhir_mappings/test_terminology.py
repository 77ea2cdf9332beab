"""Our terminology resources: valid R4, generated from the code table, and the Questionnaire."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class

from cards import render_order_card
from differential import evaluate, load_knowledge_base
from differential.model import Presentation
from fhir_mappings import map_questionnaire_response
from terminology import code_tables
from terminology._generate_fhir import TERMINOLOGY_DIR, build_terminology, render
from tests.fhir_mappings.resources import NOW, SNOMED
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


def response(*answers: tuple[str, dict[str, Any]], **elements: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": "qr-1",
        "questionnaire": "https://gluteal-cds.org/fhir/Questionnaire/finding-capture",
        "status": "completed",
        "authored": "2026-11-19T10:00:00Z",
        "item": [
            {
                "linkId": "history",
                "item": [{"linkId": code, "answer": [answer]} for code, answer in answers],
            }
        ],
    }
    resource.update(elements)
    return resource


def yes_no(code: str) -> dict[str, Any]:
    return {"valueCoding": {"system": SNOMED, "code": code}}


def test_questionnaire_response_to_findings() -> None:
    record = map_questionnaire_response(
        response(
            ("buttock-pain", yes_no("373066001")),
            ("pain-radiates-below-knee", yes_no("373067005")),
            ("fever", yes_no("261665006")),
            ("sits-bone-pain", {"valueBoolean": True}),
            ("not-a-finding", {"valueBoolean": True}),
        ),
        evaluated_at=NOW,
    )
    assert record.findings == {
        "buttock-pain": True,
        "pain-radiates-below-knee": False,
        "sits-bone-pain": True,
    }
    assert record.ignored == 1
    assert {s.resource_id for s in record.sources} == {"qr-1"}


@pytest.mark.parametrize(
    "elements",
    [{"status": "entered-in-error"}, {"authored": "2025-01-01T00:00:00Z"}],
    ids=["entered-in-error", "stale"],
)
def test_questionnaire_response_that_does_not_count(elements: dict[str, str]) -> None:
    qr = response(("buttock-pain", {"valueBoolean": True}), **elements)
    record = map_questionnaire_response(qr, evaluated_at=NOW, max_age=timedelta(days=180))
    assert (record.findings, record.ignored) == ({}, 1)


def test_unanswered_and_malformed_responses() -> None:
    assert map_questionnaire_response(response(), evaluated_at=NOW).findings == {}
    broken = map_questionnaire_response(response(status=5), evaluated_at=NOW)
    assert [p.resource_type for p in broken.problems] == ["QuestionnaireResponse"]
    assert map_questionnaire_response(None, evaluated_at=NOW).findings == {}


def test_override_reasons_offered_on_cards_are_exactly_the_shipped_code_system() -> None:
    # cards keeps its own list (it may not import fhir_mappings): the two must agree.
    order_card = render_order_card(
        "ServiceRequest/xr-1",
        "xr-1",
        "xray-hip-pelvis",
        None,
        "does not help",
        differential=evaluate(load_knowledge_base(), Presentation(findings={"buttock-pain": True})),
        patient_id=None,
        knowledge_url="https://cds.example.org",
    ).to_json()
    swap_card = render_order_card(
        "ServiceRequest/ct-1",
        "ct-1",
        "ct-lumbar-spine",
        "mri-lumbar-spine",
        "MRI is preferred",
        differential=evaluate(load_knowledge_base(), Presentation(findings={"buttock-pain": True})),
        patient_id=None,
        knowledge_url="https://cds.example.org",
        score=5,
    ).to_json()
    shipped = build_terminology()["CodeSystem-override-reason.json"]

    # The CT-to-MRI swap offers "MRI contraindicated"; the other cards the rest.
    offered = {
        (r["system"], r["code"], r["display"])
        for card in (order_card, swap_card)
        for r in card["overrideReasons"]
    }
    assert offered == {(shipped["url"], c["code"], c["display"]) for c in shipped["concept"]}
