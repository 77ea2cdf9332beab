"""The EHR profile (issue 26): selectionBehavior, the EHR's order codes, the sandbox copy."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from cds_service.app import create_app
from cds_service.hooks.ehr_profile import OrderCodeError, load_order_codes
from cds_service.settings import Settings
from tests.support.clock import FakeClock
from tests.support.hook_requests import hook_request
from tests.support.orders import hip_xray, order_call

EPIC_MRI = {"system": "urn:oid:1.2.840.114350.1.13.0.1.7.2.696580", "code": "IMG3456"}
URL = "/cds-services/gluteal-pain-order-sign"


def _answer(settings: Settings) -> dict[str, Any]:
    client = create_app(settings).test_client()
    response = client.post(URL, json=order_call("order-sign", hip_xray()))
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body, dict)
    return body


def _created_codings(body: dict[str, Any]) -> list[list[dict[str, str]]]:
    return [
        action["resource"]["code"]["coding"]
        for card in body["cards"]
        for suggestion in card.get("suggestions", ())
        for action in suggestion["actions"]
        if action["type"] == "create"
    ]


def test_the_default_profile_is_at_most_one_with_our_codes_and_the_sandbox_copy(
    settings: Settings,
) -> None:
    body = _answer(settings)

    assert {card.get("selectionBehavior") for card in body["cards"]} >= {"at-most-one"}
    assert all(codings[0]["system"] == "http://loinc.org" for codings in _created_codings(body))
    assert body["extension"]["systemActions"] == body["systemActions"]


def test_an_epic_profile_selects_any_orders_its_own_code_and_drops_the_copy(
    settings: Settings, tmp_path: Path
) -> None:
    codes = tmp_path / "epic-codes.yaml"
    codes.write_text(f"mri-lumbar-spine:\n  system: {EPIC_MRI['system']}\n  code: IMG3456\n")
    epic = Settings(
        database_url=settings.database_url,
        selection_behavior="any",
        ehr_order_codes_path=codes,
        system_actions_extension=False,
    )

    body = _answer(epic)

    behaviours = {card["selectionBehavior"] for card in body["cards"] if "suggestions" in card}
    assert behaviours == {"any"}
    created = _created_codings(body)
    assert created
    assert created[0][0] == EPIC_MRI  # the EHR's orderable first, ours kept after it
    assert {"system": "http://www.ama-assn.org/go/cpt", "code": "72148"} in created[0]
    assert "extension" not in body
    assert body["systemActions"]  # the CDS Hooks 2.0 field stays


def test_order_codes_may_be_json_and_list_several_codings(tmp_path: Path) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text(json.dumps({"mri-hip-pelvis": [EPIC_MRI, {**EPIC_MRI, "code": 7}]}))

    assert load_order_codes(codes) == {"mri-hip-pelvis": (EPIC_MRI, {**EPIC_MRI, "code": "7"})}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("mri-knee: {system: 'urn:x', code: '1'}", "'mri-knee' is not a test the cards order"),
        ("mri-hip-pelvis: [", "is not valid YAML"),
        ("- a list", "must map test codes to codings"),
        ("mri-hip-pelvis: {system: 'urn:x', code: ''}", "mri-hip-pelvis needs a code"),
        ("mri-hip-pelvis: {system: 'urn:x', code: '1', units: 2}", "must be a coding"),
    ],
)
def test_a_bad_order_code_file_is_refused_in_one_line(
    tmp_path: Path, text: str, reason: str
) -> None:
    codes = tmp_path / "codes.yaml"
    codes.write_text(text)

    with pytest.raises(OrderCodeError) as refused:
        load_order_codes(codes)

    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)
    assert str(codes) in str(refused.value)


def test_a_missing_order_code_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(OrderCodeError, match="cannot be read"):
        load_order_codes(tmp_path / "absent.yaml")


def _smart_links(settings: Settings, clock: FakeClock) -> list[dict[str, Any]]:
    client = create_app(settings, clock=clock).test_client()
    body = client.post("/cds-services/gluteal-pain-differential", json=hook_request())
    return [
        link
        for card in body.get_json()["cards"]
        for link in card.get("links", ())
        if link["type"] == "smart"
    ]


def test_the_bedside_app_autolaunches_only_when_the_setting_is_on(
    settings: Settings, clock: FakeClock
) -> None:
    smart = dataclasses.replace(settings, smart_client_id="app", public_base_url="https://c.org")

    [default] = _smart_links(smart, clock)
    [autolaunch] = _smart_links(dataclasses.replace(smart, autolaunch_bedside_app=True), clock)

    assert "autolaunchable" not in default
    assert autolaunch["autolaunchable"] is True  # only the complaint is recorded
