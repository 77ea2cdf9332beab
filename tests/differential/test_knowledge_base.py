"""The knowledge base file: complete against the contract, and every rule and number cited."""

from __future__ import annotations

import re

from differential import KnowledgeBase, load_knowledge_base
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
