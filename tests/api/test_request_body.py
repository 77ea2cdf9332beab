"""The request body's size limit: a 413 JSON error, 5 MB unless configured."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.hook_requests import hook_request

URL = "/cds-services/gluteal-pain-differential"


def test_body_over_the_limit_is_413_json(settings: Settings) -> None:
    small = Settings(database_url=settings.database_url, max_body_bytes=1000)
    client = create_app(small).test_client()
    body = hook_request(padding="x" * 2000)

    response = client.post(URL, data=json.dumps(body), content_type="application/json")

    assert response.status_code == 413
    assert "error" in response.get_json()


def test_default_body_limit_is_five_megabytes(client: FlaskClient) -> None:
    body = json.dumps(hook_request(padding="x" * (5 * 1024 * 1024)))

    response = client.post(URL, data=body, content_type="application/json")

    assert response.status_code == 413
