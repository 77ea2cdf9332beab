"""Issue 15: unsafe starts refused, no echo of caller text (Host, headers: test_guards)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import ConfigurationError, Settings
from tests.support.hook_requests import hook_request

HOOK = "/cds-services/gluteal-pain-differential"
PLACEHOLDER = "change-me-to-a-long-random-string"


@pytest.mark.parametrize("salt", ["", "  ", PLACEHOLDER])
@pytest.mark.parametrize(
    "production",
    [
        {"trusted_issuers": {"https://iss": "https://iss/jwks"}, "public_base_url": "https://c"},
        {"database_url": "postgresql://cds:pw@127.0.0.1:1/cds"},
    ],
    ids=["authentication", "postgresql"],
)
def test_a_production_start_refuses_an_empty_or_placeholder_salt(
    production: dict[str, object], salt: str
) -> None:
    settings = Settings(**{"patient_hash_salt": salt, **production})  # type: ignore[arg-type]

    with pytest.raises(ConfigurationError, match="GLUTEAL_CDS_PATIENT_HASH_SALT"):
        create_app(settings)


def test_the_shipped_placeholder_salt_is_the_one_refused() -> None:
    example = Path(__file__).resolve().parents[2] / "deploy" / "gluteal-cds.env.example"
    assert f"GLUTEAL_CDS_PATIENT_HASH_SALT={PLACEHOLDER}" in example.read_text()


def test_unknown_service_id_is_not_echoed(client: FlaskClient) -> None:
    response = client.post("/cds-services/<script>alert(1)</script>", json=hook_request())

    assert response.status_code == 404
    assert "script" not in response.get_data(as_text=True)


def test_a_prefetch_key_is_not_echoed(client: FlaskClient) -> None:
    body = hook_request()
    body["prefetch"]["<img src=x onerror=alert(1)>"] = 5
    response = client.post(HOOK, json=body)

    assert response.status_code == 400
    assert "img" not in response.get_json()["error"]
    assert response.get_json()["error"].startswith("prefetch.(a key)")


def test_the_try_page_allows_no_script(settings: Settings) -> None:
    client = create_app(dataclasses.replace(settings)).test_client()
    policy = client.get("/try").headers["Content-Security-Policy"]

    assert "script-src 'none'" in policy
