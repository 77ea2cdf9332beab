"""The SMART settings: read from the environment, the secret never shown."""

from __future__ import annotations

import pytest

from cds_service.settings import Settings


def test_smart_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_SMART_CLIENT_ID", "bedside")
    monkeypatch.setenv("GLUTEAL_CDS_SMART_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("GLUTEAL_CDS_SMART_SCOPES", "launch patient/*.rs")

    settings = Settings.from_env()

    assert settings.smart_client_id == "bedside"
    assert settings.smart_client_secret == "s3cret"
    assert settings.smart_scopes == "launch patient/*.rs"
    described = dict(settings.described())
    assert described["GLUTEAL_CDS_SMART_CLIENT_SECRET"] == "(set, hidden)"
    assert "s3cret" not in str(described)


def test_smart_is_off_by_default() -> None:
    assert Settings().smart_client_id is None
