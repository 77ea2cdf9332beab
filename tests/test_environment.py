"""Settings read from ``GLUTEAL_CDS_*`` variables: typed, range-checked, typos reported."""

from __future__ import annotations

import pytest

from cds_service.settings import ConfigurationError, Settings


def _problems(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for name, value in env.items():
        monkeypatch.setenv(f"GLUTEAL_CDS_{name}", value)
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env()
    return str(raised.value).splitlines()


def test_a_misspelt_boolean_is_refused_with_the_values_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [problem] = _problems(monkeypatch, ALLOW_HTTP_FHIR="ture")

    assert problem.startswith("GLUTEAL_CDS_ALLOW_HTTP_FHIR: ")
    assert "'ture'" in problem
    assert "1, true, yes, on or 0, false, no, off" in problem


def test_a_negative_timeout_is_refused_with_its_range(monkeypatch: pytest.MonkeyPatch) -> None:
    [problem] = _problems(monkeypatch, FHIR_READ_TIMEOUT="-3")

    assert problem.startswith("GLUTEAL_CDS_FHIR_READ_TIMEOUT: ")
    assert "more than 0 and at most 300" in problem


def test_a_misspelt_variable_is_reported_with_the_one_meant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [problem] = _problems(monkeypatch, DATABSE_URL="sqlite:///x.db")

    assert problem == (
        "GLUTEAL_CDS_DATABSE_URL: not a setting of this service; "
        "did you mean GLUTEAL_CDS_DATABASE_URL?"
    )


def test_every_problem_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    problems = _problems(monkeypatch, WORKERS="0", LOG_LEVEL="loud", FHIR_MAX_PAGES="many")

    assert sorted(line.split(":")[0] for line in problems) == [
        "GLUTEAL_CDS_FHIR_MAX_PAGES",
        "GLUTEAL_CDS_LOG_LEVEL",
        "GLUTEAL_CDS_WORKERS",
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://cds:hunter2@db:port/cds", "not a database URL"),
        ("mysql://cds:hunter2@db/cds", "mysql is not supported, only sqlite and postgresql"),
    ],
)
def test_a_bad_database_url_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    [problem] = _problems(monkeypatch, DATABASE_URL=url)

    assert problem.startswith(f"GLUTEAL_CDS_DATABASE_URL: {expected}")
    assert "hunter2" not in problem


def test_values_are_parsed_into_their_types(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "ALLOW_HTTP_FHIR": "yes",
        "CORS_ORIGINS": "https://a.example, https://b.example",
        "TRUSTED_ISSUERS": '{"https://iss.example": "https://iss.example/jwks"}',
        "PUBLIC_BASE_URL": "https://cds.example.org/",
        "LOG_LEVEL": "debug",
        "FHIR_READ_TIMEOUT": "2.5",
        "MAX_BODY_BYTES": "",  # empty means unset
    }
    for name, value in env.items():
        monkeypatch.setenv(f"GLUTEAL_CDS_{name}", value)

    settings = Settings.from_env()

    assert settings.allow_http_fhir is True
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.trusted_issuers == {"https://iss.example": "https://iss.example/jwks"}
    assert settings.public_base_url == "https://cds.example.org"
    assert (settings.log_level, settings.fhir_read_timeout_s) == ("DEBUG", 2.5)
    assert settings.max_body_bytes == Settings().max_body_bytes


def test_the_replay_check_when_the_database_is_down_is_chosen_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_REPLAY_CHECK_WHEN_DATABASE_DOWN", "Refuse")
    monkeypatch.setenv("GLUTEAL_CDS_REPLAY_CHECK_TIMEOUT", "0.1")

    settings = Settings.from_env()

    assert settings.replay_check_when_database_down == "refuse"
    assert settings.replay_check_timeout_s == 0.1
    [problem] = _problems(monkeypatch, REPLAY_CHECK_WHEN_DATABASE_DOWN="ignore")
    assert problem.startswith("GLUTEAL_CDS_REPLAY_CHECK_WHEN_DATABASE_DOWN: ")
    assert "accept-local, or refuse" in problem
