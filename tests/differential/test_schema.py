"""The typed model of the knowledge base: what a rule's clause and a finding's row must hold."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from differential import KnowledgeBase
from differential.schema import FindingDef, When


def test_a_clause_needs_at_least_one_key() -> None:
    with pytest.raises(ValidationError, match="at least one key"):
        When.model_validate({})


def test_a_clause_refuses_a_key_it_does_not_know() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        When.model_validate({"sometimes": True})


def test_a_finding_needs_at_least_one_likelihood(kb: KnowledgeBase) -> None:
    row = kb.finding_by_code["sits-bone-pain"].model_dump()

    with pytest.raises(ValidationError, match="at least one entry"):
        FindingDef.model_validate(row | {"likelihood": {}})
    assert FindingDef.model_validate(row) == kb.finding_by_code["sits-bone-pain"]


def test_the_indexes_find_rows_by_code(kb: KnowledgeBase) -> None:
    assert kb.condition_by_code["ischial-bursitis"].code == "ischial-bursitis"
    assert kb.test_by_code["mri-hip-pelvis"].kind == "imaging"
    assert "buttock-pain" in kb.presenting_findings
    assert "fever" in kb.red_flag_findings
