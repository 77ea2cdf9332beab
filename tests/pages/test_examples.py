"""The worked examples of /try: the vignettes with findings, loaded as an EHR would send
them, their text escaped."""

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
from cds_service.settings import Settings
from fhir_mappings import map_patient_record
from tests.pages.page_html import read_page
from tests.pages.try_inputs import ASKED, HOSTILE
from tests.support.paths import VIGNETTES

_SERVER_KEYS = ("Patient", "Observation", "Condition")


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
