"""Errors on the pages for clinicians are HTML pages; the API's stay JSON."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.support.accept import BROWSER


def test_unknown_condition_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/knowledge/not-a-condition", headers=BROWSER)

    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert "Page not found" in response.get_data(as_text=True)


def test_api_errors_stay_json(client: FlaskClient) -> None:
    response = client.post("/cds-services/not-a-service", json={})

    assert response.status_code == 404
    assert "error" in response.get_json()


# Review 10: /smart/launch (the app not configured) and /knowledge/<unknown> answered a
# script's or an EHR's request with an HTML page (contract section 6: every error body is JSON).
@pytest.mark.parametrize(
    "path", ["/knowledge/not-a-condition", "/try?example=not-a-vignette", "/smart/launch"]
)
@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_a_page_error_is_json_unless_the_client_asks_for_html(
    client: FlaskClient, path: str, accept: str | None
) -> None:
    response = client.get(path, headers={"Accept": accept} if accept else {})

    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert response.get_json()["error"]
    html = client.get(path, headers=BROWSER)
    assert html.status_code == 404
    assert html.content_type.startswith("text/html")
    assert "Page not found" in html.get_data(as_text=True)
