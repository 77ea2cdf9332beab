"""``gluteal-cds serve``'s gunicorn command line and configuration, and ``migrate``."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy
import yaml

from cds_service.app import create_app
from cds_service.cli import main, serve_command
from cds_service.settings import Settings


def _config(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name, value in env.items():
        monkeypatch.setenv(f"GLUTEAL_CDS_{name}", value)
    import cds_service.gunicorn_conf as conf  # noqa: PLC0415 - re-read under this environment

    return importlib.reload(conf)


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


def test_workers_and_threads_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    conf = _config(monkeypatch, WORKERS="5", THREADS="2")

    assert (conf.workers, conf.threads) == (5, 2)


def test_defaults_are_spare_threads_and_limits_below_patience(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GLUTEAL_CDS_WORKERS", raising=False)
    monkeypatch.delenv("GLUTEAL_CDS_THREADS", raising=False)
    conf = _config(monkeypatch)

    # Issue 15 changed this: spare threads, so two slow peers cannot hold every worker.
    assert conf.threads == 4
    assert conf.worker_class == "cds_service.gunicorn_worker.ServiceWorker"
    assert conf.workers >= 2
    assert conf.timeout == 10  # a stuck worker is restarted; budgets answer long before
    assert Settings().request_budget_s < conf.graceful_timeout < 30  # Kubernetes' grace
    assert conf.accesslog is None  # our JSON request line replaces the access log
    assert conf.logconfig_dict["formatters"]["json"]


def test_metric_files_of_an_earlier_run_are_cleared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    conf = _config(monkeypatch)
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    conf.on_starting(None)

    assert list(tmp_path.iterdir()) == []


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


def test_gunicorn_started_without_serve_refuses_in_the_master_with_one_line(
    tmp_path: Path,
) -> None:
    # PostgreSQL without a salt: before issue 26 every worker crashed with a traceback.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GLUTEAL_CDS_DATABASE_URL": "postgres://cds:hunter2@db.invalid/cds",
    }
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "python:cds_service.gunicorn_conf",
         "--bind", "127.0.0.1:0", "cds_service.wsgi:app"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "gluteal-cds: configuration error:",
        result.stderr.splitlines()[1],
    ]
    assert result.stderr.splitlines()[1].startswith("GLUTEAL_CDS_PATIENT_HASH_SALT: ")
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_start_up_warnings_come_once_from_the_master_and_not_for_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GLUTEAL_CDS_DATABASE_URL", raising=False)
    _config(monkeypatch).on_starting(None)
    create_app()  # what each worker runs
    assert "SALT" not in caplog.text  # the development default: an empty salt, local SQLite

    caplog.clear()
    conf = _config(monkeypatch, DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    conf.on_starting(None)
    create_app()
    create_app()

    assert caplog.text.count("GLUTEAL_CDS_PATIENT_HASH_SALT is empty") == 1
