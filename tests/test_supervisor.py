"""``gluteal-cds serve`` stops, master and workers, when it is signalled (review 10, item 15).

The review sent SIGTERM to the process called ``gluteal-cds serve`` and found the gunicorn
master, its parent gone, still serving on the port. These tests start the real command on a
free port, wait for ``/healthz``, signal it as an operator or an orchestrator does, and
check that the port stops answering and no process of the group is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.support.fhir_server import free_port
from tests.support.paths import ROOT

pytestmark = pytest.mark.slow  # starts gunicorn: seconds each

SERVE = [sys.executable, "-m", "cds_service.cli", "serve"]
STOPPED_WITHIN_S = 20.0  # graceful: in-flight calls may finish, idle workers go at once


def _group(pgid: int) -> dict[int, str]:
    """The live processes of process group ``pgid``: pid -> command line (Linux /proc)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:  # exited meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid pgrp ...
        if int(fields[2]) == pgid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def _answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.2)
    return False


@contextmanager
def _serving(tmp_path: Path, argv: list[str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``argv`` started in a session of its own (its pid is the group id) on a free port."""
    port = free_port()
    env = os.environ | {"GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    command = [part.replace("{port}", str(port)) for part in argv]
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        assert _wait_until(lambda: _answers(base) or process.poll() is not None, 60)
        assert _answers(base), (tmp_path / "server.log").read_text()[-2000:]
        yield process, base
    finally:
        for pid in _group(process.pid):  # whatever a failed test left: never an orphan
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def _assert_all_gone(pgid: int, base: str) -> None:
    assert _wait_until(lambda: not _group(pgid), 5), f"still running: {_group(pgid)}"
    assert not _answers(base)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_serve_stops_master_and_workers_and_frees_the_port(
    tmp_path: Path, signum: signal.Signals
) -> None:
    argv = [*SERVE, "--port", "{port}", "--workers", "2"]
    with _serving(tmp_path, argv) as (serve, base):
        running = _group(serve.pid)
        # `serve` itself, its gunicorn master and two workers: the one to signal is named so.
        assert len(running) == 4
        assert "cds_service.cli serve" in running[serve.pid]

        serve.send_signal(signum)

        assert serve.wait(timeout=STOPPED_WITHIN_S) == 0
        _assert_all_gone(serve.pid, base)


def test_signalling_every_process_called_serve_stops_it_even_behind_a_shell(
    tmp_path: Path,
) -> None:
    # The review's case: started by a shell (a script, `make run`), stopped by name
    # (`pkill -f 'gluteal-cds serve'`), which also finds the shell. When `serve` exec'd
    # gunicorn, only the shell had that name, and gunicorn kept serving without a parent.
    command = " ".join([*SERVE, "--port", "{port}", "--workers", "1"])
    with _serving(tmp_path, ["/bin/sh", "-c", command]) as (shell, base):
        named = [pid for pid, line in _group(shell.pid).items() if "cds_service.cli serve" in line]
        assert len(named) == 2  # the shell's command line, and `serve` itself

        for pid in named:
            os.kill(pid, signal.SIGTERM)

        shell.wait(timeout=STOPPED_WITHIN_S)
        _assert_all_gone(shell.pid, base)


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_gunicorn_does_not_outlive_a_killed_serve(tmp_path: Path) -> None:
    # SIGKILL cannot be passed on: the kernel tells the master its parent died.
    argv = [*SERVE, "--port", "{port}", "--workers", "1"]
    with _serving(tmp_path, argv) as (serve, base):
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=5)
        assert _wait_until(lambda: not _answers(base), STOPPED_WITHIN_S)
        _assert_all_gone(serve.pid, base)
