"""The read-only review's notes (session 10), end to end: a blank template, safety-netting and
an earlier episode raise no red-flag card, and an earlier episode's duration does not make an
early lumbar MRI appropriate (contract 3a)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.support.hook_requests import bundle, hook_request
from tests.support.notes import extension, note
from tests.support.orders import lumbar_mri, order_call, topic


def _answer(client: FlaskClient, text: str) -> Any:
    body = hook_request()
    body["prefetch"]["notes"] = bundle(note(text))
    response = client.post("/cds-services/gluteal-pain-differential", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize(
    "text",
    [
        "L buttock pain x 2 weeks.\nFever Y/N:\nSaddle anaesthesia Y/N:\n",
        "L buttock pain.\nFever: [ ] Yes [x] No\nSaddle numbness: Yes [ ] No [x]\n"
        "Bladder/bowel change (Y/N): **N**\nUnable to weight bear: N\n",
        "L buttock pain. Risk of stress fracture discussed. Explained signs of cauda equina "
        "(saddle numbness, incontinence).",
        "L buttock pain after long run. Fever last month with flu, resolved. Had urinary "
        "incontinence after childbirth 3 years ago, resolved.",
        "R buttock pain. Previous fever resolved. Leg weakness resolved after physio. Was "
        "unable to bear weight in 2022 after ankle fracture.",
    ],
)
def test_the_reviewers_notes_raise_no_red_flag(client: FlaskClient, text: str) -> None:
    answer = _answer(client, text)

    assert extension(answer)["redFlags"] == []
    assert not [c for c in answer["cards"] if c["indicator"] == "critical"]


def test_a_checked_box_still_raises_its_red_flag(client: FlaskClient) -> None:
    answer = _answer(client, "L buttock pain.\nSaddle numbness: [x] Yes [ ] No\n")

    assert [c for c in answer["cards"] if c["indicator"] == "critical"]


def test_an_earlier_episodes_duration_leaves_an_early_lumbar_mri_not_advised(
    client: FlaskClient,
) -> None:
    body = order_call("order-sign", lumbar_mri())
    body["prefetch"]["notes"] = bundle(
        note(
            "R buttock pain radiating below the knee x 1/52. "
            "Had similar pain 2 years ago for 8 weeks."
        )
    )
    response = client.post("/cds-services/gluteal-pain-order-sign", json=body)
    assert response.status_code == 200, response.get_json()

    [card] = [c for c in response.get_json()["cards"] if topic(c) == "order-appropriateness"]
    assert "under 6 weeks" in card["summary"]
