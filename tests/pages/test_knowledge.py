"""``/knowledge`` and ``/knowledge/<code>``: the knowledge base rendered for review."""

from __future__ import annotations

from html import escape

from flask.testing import FlaskClient
from markupsafe import escape as markup_escape

from differential import load_knowledge_base
from tests.pages.page_html import section
from tests.support.accept import BROWSER
from tests.support.hook_requests import hook_request

KB = load_knowledge_base()
CODES = [c.code for c in KB.conditions]


def test_index_links_every_condition_and_shows_every_rule_citation(client: FlaskClient) -> None:
    response = client.get("/knowledge")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for condition in KB.conditions:
        assert f'href="/knowledge/{condition.code}"' in page
    for rule in (*KB.workup, *KB.avoid, *KB.cautions, *KB.red_flags):
        for cite in rule.cite:
            assert escape(cite) in page


def test_hostile_condition_code_is_escaped(client: FlaskClient) -> None:
    response = client.get("/knowledge/%3Cscript%3Ealert(1)%3C%5Cscript%3E", headers=BROWSER)

    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;\\script&gt;" in page


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


def test_index_states_each_conditions_own_thresholds_and_links_another_cause(
    client: FlaskClient,
) -> None:
    page = client.get("/knowledge").get_data(as_text=True)

    other = KB.other_causes.code
    assert f'href="/knowledge/{other}"' in page
    rows = [section(page, f'data-condition="{c}"', "</tr>") for c in [*CODES, other]]
    assert all('class="thresholds">likely at ' in row and "unlikely below" in row for row in rows)


def test_another_cause_page_names_what_points_to_it_and_the_kinds_of_cause(
    client: FlaskClient,
) -> None:
    response = client.get(f"/knowledge/{KB.other_causes.code}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    table = section(page, 'class="other-support stack"', "</table>")
    for support in KB.other_causes.supporting:
        assert f'data-finding="{support.finding}"' in table
        for kind in support.suspects:
            assert f'<code class="code">{kind}</code>' in table
    assert "recorded absent" in table  # low back pain counts with pain past the knee absent
    exertional = section(table, 'data-finding="exertional-pain-eased-by-rest"', "</tr>")
    assert '; also <code class="code">referred</code> when' in exertional  # spinal stenosis
    assert "spinal stenosis" in exertional
    assert 'id="table-other"' in page  # and every finding's weight for it


def test_each_prior_shows_where_it_comes_from(client: FlaskClient) -> None:
    page = client.get("/knowledge").get_data(as_text=True)
    bases = [c.prior_basis for c in KB.conditions] + [KB.other_causes.prior_basis]
    for basis in bases:
        assert str(markup_escape(basis)) in page
