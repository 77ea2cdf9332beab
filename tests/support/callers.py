"""Calls as an authenticated EHR makes them, and what a refusal looks like."""

from __future__ import annotations

from flask import Flask
from werkzeug.test import TestResponse

__all__ = ["FEEDBACK", "FEEDBACK_BODY", "HOOK", "assert_refused", "call"]

HOOK = "/cds-services/gluteal-pain-differential"
FEEDBACK = f"{HOOK}/feedback"
FEEDBACK_BODY = {
    "feedback": [
        {
            "card": "f6b95768-b1c8-40dc-8385-bf3504b82ffb",
            "outcome": "overridden",
            "outcomeTimestamp": "2020-12-11T00:00:00Z",
        }
    ]
}


def call(app: Flask, token: str | None, path: str = FEEDBACK) -> TestResponse:
    """Send valid feedback with ``token``: 200 when the caller is accepted."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return app.test_client().post(path, json=FEEDBACK_BODY, headers=headers)


def assert_refused(response: TestResponse) -> None:
    assert response.status_code == 401
    assert response.get_json() == {"error": "unauthorized"}
