"""One test per bug the fuzzers found, so each stays fixed."""

from __future__ import annotations

import json
import logging

import pytest
import responses
from flask.testing import FlaskClient
from sqlalchemy.exc import StatementError

from cds_service.store import FeedbackStore, StoreError
from tests.hardening.seeds import CARD
from tests.support.hook_requests import FHIR_BASE, PATIENT_ID, hook_request, without_prefetch

HOOK = "/cds-services/gluteal-pain-differential"
FEEDBACK = f"{HOOK}/feedback"
URLS = [pytest.param(HOOK, id="hook"), pytest.param(FEEDBACK, id="feedback")]
DEEP = b"[" * 10_000 + b"]" * 10_000


def post(client: FlaskClient, path: str, body: bytes) -> tuple[int, dict[str, str]]:
    response = client.post(path, data=body, content_type="application/json")
    return response.status_code, response.get_json()


@pytest.mark.parametrize("path", URLS)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(DEEP, id="10k nested lists"),
        pytest.param(b'{"hook": ' + DEEP + b"}", id="10k nested lists in a field"),
        pytest.param(b'{"hook": ' + b"7" * 5000 + b"}", id="5000-digit number"),
    ],
)
def test_json_the_parser_cannot_take_is_400_not_500(
    client: FlaskClient, path: str, body: bytes
) -> None:
    # Regression: json.loads raised RecursionError / ValueError, answered as a 500.
    status, answer = post(client, path, body)

    assert status == 400
    assert answer["error"].startswith("body")


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_hook_request_with_nan_or_infinity_is_400(client: FlaskClient, constant: bytes) -> None:
    # They are not JSON; json.loads took them and they could be echoed in a response.
    body = json.dumps(hook_request(extra=0)).encode()
    body = body.replace(b'"extra": 0', b'"extra": ' + constant)

    status, answer = post(client, HOOK, body)

    assert status == 400
    assert answer["error"].startswith("body")


def test_deep_nesting_inside_prefetch_is_400(client: FlaskClient) -> None:
    request = json.dumps(hook_request(prefetch={"patient": "DEEP"})).encode()

    status, answer = post(client, HOOK, request.replace(b'"DEEP"', DEEP))

    assert status == 400
    assert answer["error"].startswith("body")


def test_fhir_server_answering_deeply_nested_json_is_412(client: FlaskClient) -> None:
    # Regression: requests' response.json() raised RecursionError, answered as a 500.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/{PATIENT_ID}", body=DEEP, content_type="application/json")
        status, answer = post(client, HOOK, json.dumps(without_prefetch()).encode())

    assert status == 412
    assert "patient" in answer["error"]


def feedback(**entry: object) -> bytes:
    base = {"card": CARD, "outcome": "overridden", "outcomeTimestamp": "2026-11-20T15:00:00Z"}
    return json.dumps({"feedback": [base | entry]}).encode()


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"])
def test_feedback_timestamp_past_what_utc_can_express_is_400(
    client: FlaskClient, stamp: str
) -> None:
    # Regression: converting it to UTC while storing overflowed, answered 503.
    status, answer = post(client, FEEDBACK, feedback(outcomeTimestamp=stamp))

    assert status == 400
    assert answer["error"] == "feedback[0].outcomeTimestamp: is out of range"


@pytest.mark.parametrize(
    "reason",
    [{"userComment": "a\u0000b"}, {"reason": {"code": "other\u0000"}}],
    ids=["comment", "code"],
)
def test_feedback_text_with_nul_is_400(client: FlaskClient, reason: dict[str, object]) -> None:
    # Regression: PostgreSQL refuses NUL in text, so storing it failed with a 503.
    status, answer = post(client, FEEDBACK, feedback(overrideReason=reason))

    assert status == 400
    assert "NUL" in answer["error"]


def test_feedback_not_stored_logs_no_comment(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Regression: the log carried the driver's message, which quotes every value stored.
    comment = "Jane Doe, born 1970-01-01, prefers physiotherapy"

    def failing(*_: object, **_kwargs: object) -> None:
        cause = StatementError("INSERT failed", "INSERT ...", {"user_comment": comment}, None)
        raise StoreError("cannot write to the feedback database") from cause

    monkeypatch.setattr(FeedbackStore, "save_feedback", failing)
    caplog.set_level(logging.DEBUG)

    status, _ = post(client, FEEDBACK, feedback(overrideReason={"userComment": comment}))

    assert status == 503
    assert "StatementError" in caplog.text
    assert "Jane Doe" not in caplog.text
