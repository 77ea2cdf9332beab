"""The knowledge base arranged for review (through ``/knowledge``): each condition's rules and
citations, findings for and against, the tests that help, the red flags, the ratings of
imaging orders."""

from __future__ import annotations

from html import escape

import pytest
from flask.testing import FlaskClient

from differential import load_knowledge_base
from differential.schema import CautionRule, WorkupRule
from tests.pages.page_html import section

KB = load_knowledge_base()
CODES = [c.code for c in KB.conditions]


@pytest.mark.parametrize("code", CODES)
def test_condition_page_shows_its_rules_with_citations(client: FlaskClient, code: str) -> None:
    response = client.get(f"/knowledge/{code}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert escape(KB.condition_by_code[code].summary) in page
    named: list[CautionRule | WorkupRule] = [r for r in KB.cautions if r.condition == code]
    named += [r for r in KB.workup if code in r.when.condition_codes()]
    for rule in named:
        assert f'id="rule-{rule.id}"' in page
        for cite in rule.cite:
            assert escape(cite) in page
    assert 'id="rule-xray-does-not-separate"' in page  # the X-ray is never useful


def test_findings_for_and_against_sit_in_their_tables(client: FlaskClient) -> None:
    page = client.get("/knowledge/gluteus-medius-syndrome").get_data(as_text=True)
    for_table = section(page, 'id="table-for"', "</table>")
    against_table = section(page, 'id="table-against"', "</table>")

    assert 'data-finding="gluteus-medius-trigger-points"' in for_table
    assert 'data-finding="pain-radiates-below-knee"' in against_table
    assert 'data-finding="pain-radiates-below-knee"' not in for_table


def test_condition_page_names_the_tests_that_help_and_the_red_flags(client: FlaskClient) -> None:
    page = client.get("/knowledge/hip-stress-fracture").get_data(as_text=True)
    tests = section(page, 'id="tests"', 'id="cautions"')

    assert 'data-test="mri-hip-pelvis"' in tests
    assert 'id="rule-stress-fracture-mri"' in tests
    assert 'id="rule-tuning-fork-not-sensitive"' in tests
    assert 'id="rule-unable-to-bear-weight"' in section(page, 'id="red-flags"', "</main>")


def test_index_shows_the_ratings_table_with_the_guideline_behind_each_score(
    client: FlaskClient,
) -> None:
    page = client.get("/knowledge").get_data(as_text=True)
    table = page[page.index("Ratings of imaging orders") :]
    # The lumbar MRI by symptom duration (ACR Low Back Pain 2021), each score with its words.
    assert "MRI lumbar spine without contrast: rated 8/9" in table
    assert "MRI lumbar spine without contrast: rated 2/9" in table
    assert "MRI lumbar spine without contrast: rated 5/9" in table
    assert "after 6 weeks of conservative care" in table
    assert "ACR Appropriateness Criteria Low Back Pain (2021 update)" in table
    # A study confirming the order's indication, and the X-ray's first-film indications.
    assert "never rated 1-3 for want of information" in table
    assert "X-ray of hip or pelvis: rated 7/9" in table
