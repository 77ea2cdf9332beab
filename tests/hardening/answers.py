"""The properties every answer must have, whatever the request was."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.test import TestResponse

from cards import CdsResponse
from tests.support.cds_rules import check_card_rules


def json_body(response: TestResponse) -> Any:
    """The body parsed as strict JSON (no NaN or Infinity)."""
    assert response.mimetype == "application/json", response.mimetype

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(response.get_data(as_text=True), parse_constant=refuse)


def assert_no_server_error(response: TestResponse) -> Any:
    """Never a 5xx; a 4xx carries exactly ``{"error": "<message>"}``. Returns the body."""
    body = json_body(response)
    assert response.status_code < 500, body
    if response.status_code >= 400:
        assert set(body) == {"error"}, body
        assert isinstance(body["error"], str)
        assert body["error"]
    return body


def assert_sound_hook_answer(response: TestResponse) -> None:
    """A hook answer: a JSON error, or a 200 whose cards keep every CDS Hooks card rule."""
    body = assert_no_server_error(response)
    if response.status_code != 200:
        return
    CdsResponse.model_validate(body)  # the service's own response model, forbidding extras
    assert isinstance(body["cards"], list)
    for card in body["cards"]:
        check_card_rules(card)


def assert_sound_feedback_answer(response: TestResponse) -> None:
    """A feedback answer: a JSON error, or 200 with an empty object."""
    body = assert_no_server_error(response)
    if response.status_code == 200:
        assert body == {}
