"""``/try``: the form, its results through the hook's own pipeline, examples, hostile input."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.pages.try_result import render_markdown
from cds_service.settings import Settings
from differential import load_knowledge_base
from fhir_mappings import map_patient_record
from tests.pages.page_html import read_page
from tests.support.paths import VIGNETTES

KB = load_knowledge_base()
ASKED = [f.code for f in KB.findings if not f.derived_from_patient]
HOSTILE = "<script>alert(1)</script>"
_SERVER_KEYS = ("Patient", "Observation", "Condition")
CLASSIC_SCIATICA = {
    "buttock-pain": "present",
    "pain-radiates-below-knee": "present",
    "leg-numbness": "present",
    "pain-worse-hamstring-stretch": "present",
}


def _ranked(page: str) -> list[str]:
    return re.findall(r'<li class="bar-row [^"]*" data-condition="([^"]+)"', page)


def _section(page: str, css_class: str) -> str:
    start = page.index(f'class="{css_class}"')
    return page[start : page.index("</ul>" if "avoid" in css_class else "</ol>", start)]


def test_form_offers_every_finding_present_absent_unknown(client: FlaskClient) -> None:
    response = client.get("/try")

    assert response.status_code == 200
    page = read_page(response.get_data(as_text=True))
    for code in ASKED:
        values = [c.attrs["value"] for c in page.controls if c.attrs.get("name") == code]
        assert values == ["present", "absent", "unknown"]
        assert page.checked(code) == "unknown"
    assert not [c for c in page.controls if c.attrs.get("name") == "sex-female"]
    diagnoses = [c.attrs["value"] for c in page.controls if c.attrs.get("name") == "diagnosis"]
    assert diagnoses == [c.code for c in KB.conditions]


def test_every_control_is_labelled_and_every_fieldset_has_a_legend(client: FlaskClient) -> None:
    page = read_page(client.get("/try").get_data(as_text=True))

    assert page.controls
    for control in page.controls:
        assert control.wrapped or control.attrs.get("id") in page.label_for, control.attrs
    assert page.fieldsets == page.legends >= len(ASKED)


def test_findings_are_grouped_as_the_knowledge_base_groups_them(client: FlaskClient) -> None:
    page = client.get("/try").get_data(as_text=True)

    for group in ("history", "examination", "imaging", "red-flag", "risk-factor"):
        start = page.index(f'id="group-{group}"')
        end = re.compile(r'<fieldset class="(group|diagnoses)"').search(page, start + 1)
        assert end is not None
        section = page[start : end.start()]
        for finding in KB.findings:
            if finding.group == group and not finding.derived_from_patient:
                assert f'data-finding="{finding.code}"' in section


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


def test_submitted_form_keeps_its_answers(client: FlaskClient) -> None:
    data = {
        **CLASSIC_SCIATICA,
        "fever": "absent",
        "sex": "male",
        "diagnosis": "piriformis-syndrome",
    }

    page = read_page(client.post("/try", data=data).get_data(as_text=True))

    assert page.checked("pain-radiates-below-knee") == "present"
    assert page.checked("fever") == "absent"
    assert page.checked("groin-pain") == "unknown"
    checked = [c.attrs["value"] for c in page.controls if "checked" in c.attrs]
    assert "piriformis-syndrome" in checked


def test_a_red_flag_shows_a_critical_card(client: FlaskClient) -> None:
    page = client.post("/try", data={**CLASSIC_SCIATICA, "saddle-numbness": "present"})

    assert "indicator-critical" in page.get_data(as_text=True)


def test_without_a_presenting_complaint_there_are_no_cards(client: FlaskClient) -> None:
    page = client.post("/try", data={"fever": "absent"}).get_data(as_text=True)

    assert 'id="inactive"' in page
    assert "cds-card" not in page


@pytest.mark.parametrize(
    ("field", "value"), [("buttock-pain", HOSTILE), ("sex", HOSTILE), ("diagnosis", HOSTILE)]
)
def test_hostile_value_is_refused_and_never_echoed(
    client: FlaskClient, field: str, value: str
) -> None:
    response = client.post("/try", data={**CLASSIC_SCIATICA, field: value})

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<script>" not in page
    assert 'role="alert"' in page


def test_unknown_field_is_ignored_and_not_echoed(client: FlaskClient) -> None:
    response = client.post("/try", data={**CLASSIC_SCIATICA, HOSTILE: HOSTILE, "note": HOSTILE})

    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_markdown_renders_without_raw_html() -> None:
    html = render_markdown(f"**bold** {HOSTILE} [x](javascript:alert(1))")

    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html


def _vignette_findings(path: Path) -> dict[str, bool]:
    vignette = json.loads(path.read_text(encoding="utf-8"))
    prefetch = vignette["request"].get("prefetch")
    data = prefetch or vignette["fhirServerData"]
    keys = ("patient", "observations", "conditions") if prefetch else _SERVER_KEYS
    record = map_patient_record(
        *(data[key] for key in keys),
        evaluated_at=datetime.fromisoformat(vignette["evaluatedAt"]),
    )
    return dict(record.findings)


def _menu(client: FlaskClient) -> list[str]:
    page = client.get("/try").get_data(as_text=True)
    start = page.index('<select id="example"')
    return re.findall(r'<option value="([^"]+)"', page[start : page.index("</select>", start)])


def test_menu_offers_the_vignettes_that_have_findings(client: FlaskClient) -> None:
    menu = _menu(client)

    for path in sorted(VIGNETTES.glob("*.json")):
        assert (path.stem in menu) == bool(_vignette_findings(path)), path.stem


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("*.json")), ids=lambda p: p.stem)
def test_loading_an_example_fills_its_findings(client: FlaskClient, path: Path) -> None:
    expected = _vignette_findings(path)
    if not expected:
        pytest.skip("no findings: not offered as an example")

    page = read_page(client.get(f"/try?example={path.stem}").get_data(as_text=True))

    for code in ASKED:
        state = {True: "present", False: "absent"}.get(expected.get(code), "unknown")  # type: ignore[arg-type]
        assert page.checked(code) == state, code


def test_unknown_example_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/try?example=not-a-vignette")

    assert response.status_code == 404
    assert response.content_type.startswith("text/html")


def test_without_a_vignettes_folder_the_menu_is_hidden(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, vignettes_dir=None))

    page = app.test_client().get("/try").get_data(as_text=True)

    assert 'id="example"' not in page


def _hostile_app(settings: Settings, tmp_path: Path) -> Flask:
    vignette = json.loads((VIGNETTES / "03-gluteus-medius.json").read_text(encoding="utf-8"))
    vignette["description"] = f"Gluteal pain {HOSTILE}"
    (tmp_path / f"99-{HOSTILE.replace('/', '')}.json").write_text(json.dumps(vignette))
    (tmp_path / "98-broken.json").write_text("{not json")
    return create_app(dataclasses.replace(settings, vignettes_dir=tmp_path))


def test_hostile_vignette_text_is_escaped(settings: Settings, tmp_path: Path) -> None:
    client = _hostile_app(settings, tmp_path).test_client()
    name = f"99-{HOSTILE.replace('/', '')}"

    menu = client.get("/try").get_data(as_text=True)
    loaded = client.get("/try", query_string={"example": name}).get_data(as_text=True)

    assert "98-broken" not in menu
    for page in (menu, loaded):
        assert "<script>" not in page
    assert "Gluteal pain &lt;script&gt;alert(1)&lt;/script&gt;" in loaded


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
