"""Bring the database schema up to date with the Alembic migrations shipped in this package."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

__all__ = ["upgrade_schema"]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant key: serialises start-up migrations of concurrent workers on PostgreSQL.
_PG_LOCK_KEY = 0x6C7574_6364


def upgrade_schema(engine: Engine) -> None:
    """Apply every pending migration; safe when several workers start at once."""
    with _exclusive(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Workers starting together wait here for the first one's migration: longer
            # than the statement timeout that bounds ordinary work.
            connection.execute(text("SET LOCAL statement_timeout = 0"))
            connection.execute(text("SET LOCAL lock_timeout = 0"))
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(_config(connection), "head")


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    # SQLite has no advisory locks: a lock file beside the database file does the same job
    # for the workers of one host, which is the only way SQLite is shared anyway.
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with Path(f"{database}.migrate-lock").open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
