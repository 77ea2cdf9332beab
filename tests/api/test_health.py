"""Liveness and readiness, as load balancers and Kubernetes probe them."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from cds_service.runtime import runtime


def test_healthz_is_200(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200


def test_readyz_is_200_with_knowledge_base_loaded(client: FlaskClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.get_json()["knowledgeVersion"]


def test_readyz_is_503_when_a_readiness_check_fails(app: Flask) -> None:
    def database() -> bool:
        return False

    runtime(app).readiness_checks.append(database)

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["failing"] == ["database"]


def test_readyz_is_503_when_a_readiness_check_raises(app: Flask) -> None:
    def database() -> bool:
        raise ConnectionError("down")

    runtime(app).readiness_checks.append(database)

    assert app.test_client().get("/readyz").status_code == 503
