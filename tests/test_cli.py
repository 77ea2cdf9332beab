"""The ``gluteal-cds`` command line: its commands and the arguments they refuse."""

from __future__ import annotations

import dataclasses
from importlib.metadata import version
from pathlib import Path

import pytest

from cds_service import supervisor
from cds_service.cli import main
from cds_service.settings import Settings


def test_explain_refuses_unknown_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--present", "buttock-pian"]) == 2
    assert "buttock-pian" in capsys.readouterr().err


def test_a_misspelt_code_gets_the_near_one_and_the_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "--present", "sits-bone-pain,buttok-pain"]) == 2

    err = capsys.readouterr().err
    assert "unknown finding code 'buttok-pain'. Did you mean 'buttock-pain'?" in err
    assert "Valid finding codes:" in err
    assert "pain-radiates-below-knee" in err  # the whole list, unbroken codes
    assert "sits-bone-pain" in err


def test_a_misspelt_condition_is_refused_with_the_conditions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "--present", "buttock-pain", "--diagnosed", "piriformis"]) == 2

    err = capsys.readouterr().err
    assert "unknown condition code 'piriformis'" in err
    assert "piriformis-syndrome" in err


@pytest.mark.parametrize("age", ["-5", "121", "old"])
def test_an_impossible_age_is_refused(age: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "--present", "buttock-pain", "--age", age]) == 2
    assert "--age" in capsys.readouterr().err


def test_help_is_for_users_and_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("Usage: gluteal-cds [OPTIONS] COMMAND")
    assert "buttock or posterior hip pain" in out
    for command in ("serve", "explain", "feedback-report", "migrate", "config"):
        assert f"  {command} " in out
    assert "COMMANDS" not in out  # no developer text about the command registry


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"gluteal-cds, version {version('gluteal-cds')}\n"


def test_config_prints_the_effective_settings_with_secrets_hidden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_DATABASE_URL", "postgresql://cds:hunter2@db:5432/cds")
    monkeypatch.setenv("GLUTEAL_CDS_PATIENT_HASH_SALT", "pepper")
    monkeypatch.setenv("GLUTEAL_CDS_FHIR_MAX_PAGES", "3")

    assert main(["config"]) == 0

    lines = capsys.readouterr().out.splitlines()
    rows = {name: value.strip() for name, _, value in (line.partition(" ") for line in lines)}
    assert rows["GLUTEAL_CDS_DATABASE_URL"] == "postgresql://cds:***@db:5432/cds"
    assert rows["GLUTEAL_CDS_PATIENT_HASH_SALT"] == "(set, hidden)"
    assert rows["GLUTEAL_CDS_FHIR_MAX_PAGES"] == "3"
    assert rows["GLUTEAL_CDS_REQUEST_BUDGET"] == "2.0"  # a default is shown too


def test_bad_configuration_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_FHIR_MAX_PAGES", "many")

    assert main(["serve"]) == 2
    assert "GLUTEAL_CDS_FHIR_MAX_PAGES" in capsys.readouterr().err


def test_explain_refuses_a_finding_both_present_and_absent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    present, absent = "buttock-pain,sits-bone-pain", "sits-bone-pain"
    status = main(["explain", "--present", present, "--absent", absent])

    captured = capsys.readouterr()
    assert status == 2
    assert not captured.out  # no differential printed
    assert "sits-bone-pain" in captured.err
    assert "both --present and --absent" in captured.err


def test_serve_help_states_the_defaults_the_settings_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve", "--help"]) == 0

    help_text = " ".join(capsys.readouterr().out.split())
    defaults = {f.name: f.default for f in dataclasses.fields(Settings)}
    assert f"[default: GLUTEAL_CDS_THREADS, else {defaults['threads']}]" in help_text
    assert "[default: GLUTEAL_CDS_WORKERS, else the CPUs available]" in help_text
    assert defaults["workers"] is dataclasses.MISSING  # so the CPUs are its default


def test_serve_refuses_unsafe_settings_before_any_worker_one_line_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    monkeypatch.setenv("GLUTEAL_CDS_DATABASE_URL", f"sqlite:///{in_the_way}/cds.sqlite3")
    monkeypatch.setenv("GLUTEAL_CDS_TRUSTED_ISSUERS", '{"https://iss": "https://iss/jwks"}')
    monkeypatch.setattr(
        supervisor, "run_supervised", lambda *args: pytest.fail("gunicorn was started")
    )

    assert main(["serve"]) == 2

    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "gluteal-cds: configuration error:"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "GLUTEAL_CDS_PUBLIC_BASE_URL",
        "GLUTEAL_CDS_PATIENT_HASH_SALT",
        "GLUTEAL_CDS_DATABASE_URL",
    ]
