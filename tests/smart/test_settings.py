"""The SMART settings: read from the environment, the secret never shown."""

from __future__ import annotations

import pytest

from cds_service.settings import ConfigurationError, Settings
from cds_service.startup_checks import smart_app_problems


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


def test_the_launching_ehrs_and_the_framing_origins_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_SMART_ISSUERS", "https://a.example/fhir, https://b.example/r4")
    monkeypatch.setenv("GLUTEAL_CDS_SMART_FRAME_ANCESTORS", "'self' https://ehr.example.org")

    settings = Settings.from_env()

    assert settings.smart_launch_issuers == ("https://a.example/fhir", "https://b.example/r4")
    assert settings.smart_frame_ancestors == ("'self'", "https://ehr.example.org")


def test_by_default_the_trusted_issuers_fhir_servers_may_launch_else_none() -> None:
    assert Settings().smart_launch_issuers == ()
    assert Settings().smart_frame_ancestors == ("'self'",)
    bound = Settings(
        issuer_fhir_servers={"https://i": ("https://f/1",), "https://j": ("https://f/2",)}
    )
    assert bound.smart_launch_issuers == ("https://f/1", "https://f/2")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GLUTEAL_CDS_SMART_FRAME_ANCESTORS", "https://ehr.example.org; script-src *"),
        ("GLUTEAL_CDS_SMART_FRAME_ANCESTORS", "*"),
        ("GLUTEAL_CDS_SMART_ISSUERS", "ehr.example.org/fhir"),
    ],
)
def test_a_value_that_could_widen_the_policy_is_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        Settings.from_env()


def test_the_app_without_a_public_base_url_is_a_start_up_problem() -> None:
    assert smart_app_problems(Settings(smart_client_id="bedside"))
    assert not smart_app_problems(Settings(smart_client_id="b", public_base_url="https://c"))
    assert not smart_app_problems(Settings())
