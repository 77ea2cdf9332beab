"""What /try shows of an assessment: statuses in words, the hook's cards with their Markdown
rendered safely."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from cds_service.pages.try_result import render_markdown
from tests.pages.try_inputs import CLASSIC_SCIATICA, HOSTILE, KB


def test_status_is_written_out_not_shown_by_colour_alone(client: FlaskClient) -> None:
    page = client.post("/try", data=CLASSIC_SCIATICA).get_data(as_text=True)

    rows = re.findall(r'data-status="(\w+)">(.*?)</li>', page, flags=re.DOTALL)
    assert len(rows) == len(KB.conditions) + 1  # and another cause (12-06)
    for status, row in rows:
        assert f'<span class="status-word">{status}</span>' in row
    assert '<span class="indicator">Info</span>' in page


def test_result_shows_the_hooks_cards_with_markdown_and_suggestions(client: FlaskClient) -> None:
    page = client.post("/try", data=CLASSIC_SCIATICA).get_data(as_text=True)

    assert 'data-topic="differential"' in page
    assert "<strong>" in page[page.index('class="detail"') :]  # Markdown emphasis rendered
    assert 'href="http://localhost/knowledge/lumbar-disc-sciatica"' in page
    fracture = {"lateral-hip-pain": "present", "pain-on-impact": "present", "groin-pain": "present"}
    flagged = client.post("/try", data=fracture).get_data(as_text=True)
    assert 'class="suggestion"' in flagged  # the red flag's MRI, as a draft order


def test_markdown_renders_without_raw_html() -> None:
    html = render_markdown(f"**bold** {HOSTILE} [x](javascript:alert(1))")

    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
