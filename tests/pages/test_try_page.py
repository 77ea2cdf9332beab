"""``/try``: submissions answered through the hook's own pipeline, an unknown example, labels.

The form itself: test_try_form; what a result shows: test_try_result; the worked examples:
test_examples."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.pages.page_html import read_page
from tests.pages.try_inputs import ASKED, CLASSIC_SCIATICA, KB
from tests.support.accept import BROWSER


def _ranked(page: str) -> list[str]:
    return re.findall(r'<li class="bar-row [^"]*" data-condition="([^"]+)"', page)


def _section(page: str, css_class: str) -> str:
    start = page.index(f'class="{css_class}"')
    return page[start : page.index("</ul>" if "avoid" in css_class else "</ol>", start)]


def test_every_control_is_labelled_and_every_fieldset_has_a_legend(client: FlaskClient) -> None:
    page = read_page(client.get("/try").get_data(as_text=True))

    assert page.controls
    for control in page.controls:
        assert control.wrapped or control.attrs.get("id") in page.label_for, control.attrs
    assert page.fieldsets == page.legends >= len(ASKED)


def test_classic_sciatica_ranks_sciatica_first_and_avoids_the_xray(client: FlaskClient) -> None:
    response = client.post("/try", data=CLASSIC_SCIATICA)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _ranked(page)[0] == "lumbar-disc-sciatica"
    assert len(_ranked(page)) == len(KB.conditions) + 1  # and another cause (12-06)
    assert 'data-test="xray-hip-pelvis"' in _section(page, "avoid-tests")
    assert 'data-topic="avoid-test"' in page
    # Nobody has ordered an X-ray yet: on patient-view the avoid-test card is info.
    assert "indicator-info" in page


def test_a_red_flag_shows_a_critical_card(client: FlaskClient) -> None:
    page = client.post("/try", data={**CLASSIC_SCIATICA, "saddle-numbness": "present"})

    assert "indicator-critical" in page.get_data(as_text=True)


def test_without_a_presenting_complaint_there_are_no_cards(client: FlaskClient) -> None:
    page = client.post("/try", data={"fever": "absent"}).get_data(as_text=True)

    assert 'id="inactive"' in page
    assert "cds-card" not in page


def test_unknown_example_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/try?example=not-a-vignette", headers=BROWSER)

    assert response.status_code == 404
    assert response.content_type.startswith("text/html")


def test_the_try_page_shows_bands_and_the_chance_of_another_cause(client: FlaskClient) -> None:
    page = client.post("/try", data={"buttock-pain": "present", "fever": "present"}).get_data(
        as_text=True
    )
    # Another cause is one ranked row of the chart, not a second line beside it (issue 22).
    chart = page.split('<ol class="chart"', 1)[1].split("</ol>", 1)[0]
    assert chart.count('data-condition="another-cause"') == 1
    assert 'id="other-causes"' not in page
    assert "Another cause (hip joint" in chart
    values = re.findall(r'<span class="bar-value">([^<]*)<', page)
    assert values
    assert all(value.strip() in BANDS for value in values)


BANDS = {"under 5%", "5-25%", "25-50%", "50-75%", "over 75%"}
