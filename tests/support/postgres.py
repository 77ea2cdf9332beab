"""A throw-away PostgreSQL server for the store tests, started by the test suite itself.

pytest-postgresql's ``PostgreSQLExecutor`` runs ``pg_ctl initdb`` / ``pg_ctl start`` and
``DatabaseJanitor`` creates and drops one database per test. Its ready-made
``postgresql_proc`` fixture cannot be used as is: PostgreSQL refuses to run as root (CI and
these containers run as root), and pytest's temporary directories are private to root. So
when we are root, the server gets a temporary directory owned by the ``postgres`` system
user (created by the Debian ``postgresql`` package) and ``pg_ctl`` is called through a small
wrapper script that runs it as that user with ``runuser``. As any other user, ``pg_ctl`` runs
directly. The server listens on 127.0.0.1 on a free port and uses trust authentication.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import port_for
from pytest_postgresql.executors import PostgreSQLExecutor

__all__ = ["find_pg_ctl", "postgresql_server"]

SERVER_USER = "postgres"


def find_pg_ctl() -> str | None:
    """``pg_ctl`` on PATH, else the newest one the Debian packages install."""
    found = shutil.which("pg_ctl")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_major_version)
    return candidates[-1] if candidates else None


def _major_version(path: str) -> int:
    version = Path(path).parts[-3]
    return int(version) if version.isdigit() else 0


@contextmanager
def postgresql_server(pg_ctl: str) -> Iterator[PostgreSQLExecutor]:
    """Start a server in a fresh directory; stop it and delete everything afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="gluteal-cds-pg-"))
    try:
        executable = _as_server_user(pg_ctl, workdir) if os.geteuid() == 0 else pg_ctl
        executor = PostgreSQLExecutor(
            executable=executable,
            host="127.0.0.1",
            port=port_for.select_random(),
            datadir=str(workdir / "data"),
            unixsocketdir=str(workdir),
            logfile=str(workdir / "server.log"),
            startparams="-w",
            dbname="gluteal_cds_test",
            user="postgres",
        )
        executor.start()
        try:
            yield executor
        finally:
            executor.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _as_server_user(pg_ctl: str, workdir: Path) -> str:
    account = pwd.getpwnam(SERVER_USER)
    os.chown(workdir, account.pw_uid, account.pw_gid)
    wrapper = workdir / "pg_ctl"
    wrapper.write_text(f'#!/bin/sh\nexec runuser -u {SERVER_USER} -- "{pg_ctl}" "$@"\n')
    wrapper.chmod(stat.S_IRWXU)
    return str(wrapper)
