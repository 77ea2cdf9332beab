"""GET /openapi.json: the OpenAPI 3.1 description served, with every route."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_description_is_openapi_3_1_with_every_route(client: FlaskClient) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/cds-services",
        "/cds-services/{id}",
        "/cds-services/{id}/feedback",
        "/healthz",
        "/readyz",
    }
