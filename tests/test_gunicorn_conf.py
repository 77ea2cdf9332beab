"""gunicorn's configuration: workers and threads from the environment, start-up checks once,
in the master."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cds_service.app import create_app
from cds_service.settings import Settings


def _config(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name, value in env.items():
        monkeypatch.setenv(f"GLUTEAL_CDS_{name}", value)
    import cds_service.gunicorn_conf as conf  # noqa: PLC0415 - re-read under this environment

    return importlib.reload(conf)


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
