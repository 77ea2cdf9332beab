"""``/knowledge`` and ``/knowledge/<code>``: the knowledge base rendered for review."""

from __future__ import annotations

from html import escape

import pytest
from flask.testing import FlaskClient
from markupsafe import escape as markup_escape

from differential import load_knowledge_base
from differential.schema import CautionRule, WorkupRule
from tests.support.hook_requests import hook_request

KB = load_knowledge_base()
CODES = [c.code for c in KB.conditions]


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_index_links_every_condition_and_shows_every_rule_citation(client: FlaskClient) -> None:
    response = client.get("/knowledge")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for condition in KB.conditions:
        assert f'href="/knowledge/{condition.code}"' in page
    for rule in (*KB.workup, *KB.avoid, *KB.cautions, *KB.red_flags):
        for cite in rule.cite:
            assert escape(cite) in page


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
    for_table = _section(page, 'id="table-for"', "</table>")
    against_table = _section(page, 'id="table-against"', "</table>")

    assert 'data-finding="gluteus-medius-trigger-points"' in for_table
    assert 'data-finding="pain-radiates-below-knee"' in against_table
    assert 'data-finding="pain-radiates-below-knee"' not in for_table


def test_condition_page_names_the_tests_that_help_and_the_red_flags(client: FlaskClient) -> None:
    page = client.get("/knowledge/hip-stress-fracture").get_data(as_text=True)
    tests = _section(page, 'id="tests"', 'id="cautions"')

    assert 'data-test="mri-hip-pelvis"' in tests
    assert 'id="rule-stress-fracture-mri"' in tests
    assert 'id="rule-tuning-fork-not-sensitive"' in tests
    assert 'id="rule-unable-to-bear-weight"' in _section(page, 'id="red-flags"', "</main>")


def test_unknown_condition_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/knowledge/not-a-condition")

    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert "Page not found" in response.get_data(as_text=True)


def test_hostile_condition_code_is_escaped(client: FlaskClient) -> None:
    response = client.get("/knowledge/%3Cscript%3Ealert(1)%3C%5Cscript%3E")

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;\\script&gt;" in page


def test_api_errors_stay_json(client: FlaskClient) -> None:
    response = client.post("/cds-services/not-a-service", json={})

    assert response.status_code == 404
    assert "error" in response.get_json()


def test_every_card_source_and_link_leads_to_its_condition_page(client: FlaskClient) -> None:
    cards = client.post("/cds-services/gluteal-pain-differential", json=hook_request()).get_json()

    assert cards["cards"]
    for card in cards["cards"]:
        urls = {card["source"]["url"], *(link["url"] for link in card["links"])}
        assert len(urls) == 1
        (url,) = urls
        assert url.removeprefix("http://localhost/knowledge/") in CODES
        page = client.get(url.removeprefix("http://localhost"))
        assert page.status_code == 200
        assert page.content_type.startswith("text/html")


def test_index_says_how_red_flags_imaging_and_guidelines_are_handled(client: FlaskClient) -> None:
    page = client.get("/knowledge").get_data(as_text=True)
    assert "Imaging results that settle a condition" in page
    assert "article and guideline compared" in page
    assert "ACR Appropriateness Criteria" in page
    assert "Calls for: MRI lumbar spine" in page  # the study each red flag asks for


def test_every_number_says_whether_it_is_published_or_an_estimate(client: FlaskClient) -> None:
    page = client.get("/knowledge/lumbar-disc-sciatica").get_data(as_text=True)
    assert "published: Devillé et al. Spine 2000" in page  # the straight leg raise
    assert "estimate (ordinal, from the article)" in page
    assert "San Diego Running &amp; Sports Injury Clinic" in page
    rows = page.count('<tr data-finding="')
    assert page.count('class="kind" data-kind="') == rows


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


def test_index_states_each_conditions_own_thresholds_and_links_another_cause(
    client: FlaskClient,
) -> None:
    page = client.get("/knowledge").get_data(as_text=True)

    other = KB.other_causes.code
    assert f'href="/knowledge/{other}"' in page
    rows = [_section(page, f'data-condition="{c}"', "</tr>") for c in [*CODES, other]]
    assert all('class="thresholds">likely at ' in row and "unlikely below" in row for row in rows)


def test_another_cause_page_names_what_points_to_it_and_the_kinds_of_cause(
    client: FlaskClient,
) -> None:
    response = client.get(f"/knowledge/{KB.other_causes.code}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    table = _section(page, 'class="other-support stack"', "</table>")
    for support in KB.other_causes.supporting:
        assert f'data-finding="{support.finding}"' in table
        for kind in support.suspects:
            assert f'<code class="code">{kind}</code>' in table
    assert "recorded absent" in table  # low back pain counts with pain past the knee absent
    assert 'id="table-other"' in page  # and every finding's weight for it


def test_each_prior_shows_where_it_comes_from(client: FlaskClient) -> None:
    page = client.get("/knowledge").get_data(as_text=True)
    bases = [c.prior_basis for c in KB.conditions] + [KB.other_causes.prior_basis]
    for basis in bases:
        assert str(markup_escape(basis)) in page
