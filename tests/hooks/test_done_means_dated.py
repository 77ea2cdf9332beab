"""Done means dated, through the patient-view hook (contract section 5, 12-06): a complaint
the EHR records again at each visit never makes an earlier result stale; one first recorded
after it does."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.hook_requests import bundle, finding, hook_request

DIFFERENTIAL = "https://gluteal-cds.org/cds-hooks/differential"


def _dated(code: str, present: bool, when: str, obs_id: str) -> dict[str, Any]:
    return finding(code, present=present, obs_id=obs_id) | {"effectiveDateTime": when}


def _call(client: FlaskClient, *observations: dict[str, Any]) -> dict[str, Any]:
    request = hook_request()
    request["prefetch"]["observations"] = bundle(*observations)
    response = client.post("/cds-services/gluteal-pain-differential", json=request)
    assert response.status_code == 200, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def _differential(body: dict[str, Any]) -> dict[str, Any]:
    [card] = [c for c in body["cards"] if c["source"]["topic"]["code"] == "differential"]
    extension: dict[str, Any] = card["extension"][DIFFERENTIAL]
    return extension


NEGATIVE_MRI = _dated("mri-bone-stress-injury", False, "2026-09-20T10:00:00Z", "obs-mri")
GROIN_AGAIN = _dated("groin-pain", True, "2026-11-18T15:00:00Z", "obs-groin-2")


def test_groin_pain_recorded_again_after_a_negative_hip_mri_leaves_the_mri_done(
    client: FlaskClient,
) -> None:
    groin_before = _dated("groin-pain", True, "2026-09-01T09:00:00Z", "obs-groin-1")
    body = _call(client, groin_before, NEGATIVE_MRI, GROIN_AGAIN)
    topics = [card["source"]["topic"]["code"] for card in body["cards"]]
    assert "red-flag" not in topics  # no MRI asked for again, as if it were not done
    differential = _differential(body)
    assert "hip-stress-fracture" not in differential["redFlags"]
    assert differential["nextTests"][:1] != ["mri-hip-pelvis"]
    fracture = next(c for c in differential["conditions"] if c["code"] == "hip-stress-fracture")
    assert fracture["status"] == "unlikely"  # the MRI still rules it out


def test_groin_pain_first_recorded_after_a_negative_hip_mri_asks_for_it_again(
    client: FlaskClient,
) -> None:
    groin_after = _dated("groin-pain", True, "2026-10-01T09:00:00Z", "obs-groin-1")
    differential = _differential(_call(client, NEGATIVE_MRI, groin_after, GROIN_AGAIN))
    assert "hip-stress-fracture" in differential["redFlags"]
    assert differential["nextTests"][0] == "mri-hip-pelvis"


PAST_KNEE = "pain-radiates-below-knee"
SLR_NEGATIVE = _dated("straight-leg-raise-positive", False, "2026-09-20T10:00:00Z", "obs-slr")
PAST_KNEE_NOW = _dated(PAST_KNEE, True, "2026-11-18T15:00:00Z", "obs-knee-3")


@pytest.mark.parametrize(
    ("states", "asked_again"),
    [
        # Present, recorded gone before the straight leg raise was done, then back: new since
        # the exam (contract 5: absent at or before the result, present after it). Before,
        # the first present record, older than the exam, hid that the pain had gone.
        ([("09-01", True), ("09-15", False)], True),
        # Gone, then back before the exam: there at the exam, recorded again since.
        ([("09-01", True), ("09-10", False), ("09-15", True)], False),
    ],
)
def test_a_complaint_is_new_since_an_exam_only_if_it_was_gone_at_the_exam(
    client: FlaskClient, states: list[tuple[str, bool]], asked_again: bool
) -> None:
    before = [
        _dated(PAST_KNEE, present, f"2026-{day}T09:00:00Z", f"obs-knee-{index}")
        for index, (day, present) in enumerate(states)
    ]
    body = _call(client, *before, SLR_NEGATIVE, PAST_KNEE_NOW)
    assert ("exam-straight-leg-raise" in _differential(body)["nextTests"]) is asked_again
