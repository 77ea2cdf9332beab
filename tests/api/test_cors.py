"""CORS on every response, errors included: the sandbox shows nothing otherwise."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import hook_request

URL = "/cds-services/gluteal-pain-differential"
ORIGIN = "https://sandbox.cds-hooks.org"


def test_normal_response_allows_any_origin_by_default(client: FlaskClient) -> None:
    response = client.post(URL, json=hook_request(), headers={"Origin": ORIGIN})

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("POST", URL, 400), ("POST", "/cds-services/unknown", 404), ("GET", URL, 405)],
)
def test_error_response_carries_cors_headers(
    client: FlaskClient, method: str, path: str, status: int
) -> None:
    response = client.open(path, method=method, json={"hook": 1}, headers={"Origin": ORIGIN})

    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_preflight_of_the_sandbox_is_allowed(client: FlaskClient) -> None:
    response = client.options(
        URL,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    allowed_headers = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type"} <= {h.strip() for h in allowed_headers.split(",")}
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


def test_configured_origins_only(settings: Settings) -> None:
    app = create_app(
        Settings(database_url=settings.database_url, cors_origins=("https://ehr.example.org",))
    )
    client = app.test_client()

    allowed = client.get("/cds-services", headers={"Origin": "https://ehr.example.org"})
    foreign = client.get("/cds-services", headers={"Origin": "https://evil.example.com"})

    assert allowed.headers["Access-Control-Allow-Origin"] == "https://ehr.example.org"
    assert "Access-Control-Allow-Origin" not in foreign.headers
