"""The /try form: every finding as present / absent / unknown, grouped as the knowledge base
groups them, read back strictly (a value it does not offer is refused, never echoed)."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.pages.page_html import read_page
from tests.pages.try_inputs import ASKED, CLASSIC_SCIATICA, HOSTILE, KB


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
