"""``gluteal-cds serve``'s gunicorn command line, ``migrate``, the shipped thread counts
(gunicorn_conf itself: tests/test_gunicorn_conf.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy
import yaml

from cds_service.cli import main, serve_command


def test_serve_uses_the_repository_gunicorn_configuration() -> None:
    argv = serve_command("127.0.0.1", 9000)

    assert argv[argv.index("--config") + 1] == "python:cds_service.gunicorn_conf"
    assert "--workers" not in argv  # the configuration decides, from the environment
    assert argv[-1] == "cds_service.wsgi:app"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000"


def test_an_ipv6_address_is_bracketed_for_gunicorn() -> None:
    argv = serve_command("::1", 9000)

    assert argv[argv.index("--bind") + 1] == "[::1]:9000"


def test_command_line_workers_override_the_configuration() -> None:
    argv = serve_command("127.0.0.1", 8080, workers=3, threads=2)

    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--threads") + 1] == "2"


def test_bad_worker_count_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_WORKERS", "0")

    assert main(["serve"]) == 2
    assert "GLUTEAL_CDS_WORKERS" in capsys.readouterr().err


def test_migrate_creates_the_schema(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    monkeypatch.setenv("GLUTEAL_CDS_DATABASE_URL", url)

    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0  # a second run has nothing to do

    tables = sqlalchemy.inspect(sqlalchemy.create_engine(url)).get_table_names()
    assert "feedback_entries" in tables
    assert "up to date" in capsys.readouterr().out


def test_start_up_logs_no_alembic_chatter(tmp_path: Path) -> None:
    # A fresh process under serve's logging configuration migrates a new database.
    script = (
        "import logging.config, sys\n"
        "from cds_service.ops.json_logging import logging_config\n"
        "from cds_service.store import FeedbackStore\n"
        "logging.config.dictConfig(logging_config('INFO'))\n"
        "FeedbackStore.open(sys.argv[1], patient_hash_salt='s')\n"
    )
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script, url], capture_output=True, text=True, check=True
    )

    assert "alembic" not in result.stderr
    assert sqlalchemy.inspect(sqlalchemy.create_engine(url)).get_table_names()


ROOT = Path(__file__).resolve().parents[2]


def _shipped_threads() -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    deployment = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "deployment.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    k8s = {env["name"]: env.get("value") for env in container["env"]}
    service = next(s for s in compose["services"].values() if "GLUTEAL_CDS_THREADS" in str(s))
    return {
        "compose": str(service["environment"]["GLUTEAL_CDS_THREADS"]),
        "kubernetes": str(k8s["GLUTEAL_CDS_THREADS"]),
    }


def test_every_shipped_deployment_keeps_spare_threads() -> None:
    # Issue 15: with one thread, two slow peers held both workers of a pod.
    assert {name: int(threads) >= 3 for name, threads in _shipped_threads().items()} == {
        "compose": True,
        "kubernetes": True,
    }
