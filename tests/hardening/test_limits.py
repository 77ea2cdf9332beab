"""Limits: every oversize or lying request gets a clear JSON error, never a 5xx.

The WSGI environ is built by hand (``run_wsgi_app``): Flask's test client would recompute
``Content-Length`` from the body and hide the lie.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder, run_wsgi_app

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import hook_request

HOOK = "/cds-services/gluteal-pain-differential"
FEEDBACK = f"{HOOK}/feedback"
SIX_MB = 6 * 1024 * 1024
URLS = [pytest.param(HOOK, id="hook"), pytest.param(FEEDBACK, id="feedback")]


def send(app: Flask, path: str, body: bytes, content_length: int | None) -> tuple[int, Any]:
    """POST ``body`` declaring ``content_length``; None sends it as gunicorn passes chunks."""
    environ = EnvironBuilder(path=path, method="POST", content_type="application/json")
    env = environ.get_environ()
    env["wsgi.input"] = io.BytesIO(body)
    env.pop("wsgi.input_terminated", None)
    if content_length is None:
        env.pop("CONTENT_LENGTH", None)
        env["wsgi.input_terminated"] = True  # the server ends the stream (chunked encoding)
    else:
        env["CONTENT_LENGTH"] = str(content_length)
    chunks, status, _headers = run_wsgi_app(app, env)
    return int(status.split()[0]), json.loads(b"".join(chunks))


def oversize() -> bytes:
    return json.dumps(hook_request(padding="x" * SIX_MB)).encode()


@pytest.mark.parametrize("path", URLS)
def test_six_megabyte_body_is_413(app: Flask, path: str) -> None:
    body = oversize()

    status, answer = send(app, path, body, len(body))

    assert status == 413
    assert set(answer) == {"error"}


@pytest.mark.parametrize("path", URLS)
def test_six_megabyte_body_sent_chunked_is_413_not_cut_short(app: Flask, path: str) -> None:
    # Regression: the body used to be cut at 5 MB and answered "not valid JSON" (400).
    status, answer = send(app, path, oversize(), None)

    assert status == 413
    assert "limit" in answer["error"]


@pytest.mark.parametrize("path", URLS)
def test_413_says_the_same_however_the_body_was_sent(app: Flask, path: str) -> None:
    body = oversize()

    declared, chunked = send(app, path, body, len(body)), send(app, path, body, None)

    assert declared == chunked
    assert declared[1]["error"].endswith("the body is over the limit of 5242880 bytes")


@pytest.mark.parametrize("path", URLS)
def test_small_body_claiming_to_be_huge_is_413_without_reading(app: Flask, path: str) -> None:
    status, answer = send(app, path, b"{}", SIX_MB)

    assert status == 413
    assert set(answer) == {"error"}


@pytest.mark.parametrize("path", URLS)
def test_huge_body_claiming_to_be_small_is_read_only_as_far_as_claimed(
    app: Flask, path: str
) -> None:
    status, answer = send(app, path, oversize(), 100)

    assert status == 400
    assert answer["error"].startswith("body:")


@pytest.mark.parametrize("path", URLS)
def test_body_shorter_than_its_content_length_is_400(app: Flask, path: str) -> None:
    body = json.dumps(hook_request()).encode()

    status, answer = send(app, path, body, len(body) + 100)

    assert status == 400
    assert set(answer) == {"error"}


def test_chunked_body_within_the_limit_is_answered(app: Flask) -> None:
    status, answer = send(app, HOOK, json.dumps(hook_request()).encode(), None)

    assert status == 200
    assert answer["cards"]


def test_body_of_exactly_the_limit_is_read(settings: Settings) -> None:
    body = json.dumps(hook_request()).encode()
    app = create_app(Settings(database_url=settings.database_url, max_body_bytes=len(body)))

    assert send(app, HOOK, body, None)[0] == 200
    assert send(app, HOOK, body + b" ", None)[0] == 413


_VITAL = {
    "resourceType": "Observation",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
    "valueQuantity": {"value": 60, "unit": "/min"},
}


@pytest.mark.parametrize("key", ["observations", "conditions"])
@pytest.mark.parametrize(
    "resource",
    [
        pytest.param({"resourceType": "Observation", "status": "final"}, id="no code"),
        # Left out by the decoder (nothing reads a heart rate), yet an entry all the same.
        pytest.param(_VITAL, id="a vital sign"),
    ],
)
def test_more_prefetch_entries_than_the_limit_is_400_naming_the_key(
    settings: Settings, key: str, resource: dict[str, object]
) -> None:
    limited = Settings(database_url=settings.database_url, max_prefetch_entries=3)
    request = hook_request()
    request["prefetch"][key]["entry"] = [{"resource": resource}] * 4

    response = create_app(limited).test_client().post(HOOK, json=request)

    assert response.status_code == 400
    assert response.get_json()["error"] == f"prefetch.{key}: more than 3 entries"
