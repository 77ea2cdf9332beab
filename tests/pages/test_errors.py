"""Errors on the pages for clinicians are HTML pages; the API's stay JSON."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_unknown_condition_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/knowledge/not-a-condition")

    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert "Page not found" in response.get_data(as_text=True)


def test_api_errors_stay_json(client: FlaskClient) -> None:
    response = client.post("/cds-services/not-a-service", json={})

    assert response.status_code == 404
    assert "error" in response.get_json()
