"""Turn the configured database URL into a SQLAlchemy engine (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

__all__ = ["build_engine", "existing_database_engine", "normalise_url"]

# psycopg 3 is the PostgreSQL driver we ship; SQLAlchemy's bare "postgresql" means psycopg2.
_DRIVER_FOR_SCHEME = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}


def normalise_url(raw: str) -> URL:
    """Parse ``raw``: a SQLAlchemy URL, or a plain file path meaning a SQLite file."""
    if "://" not in raw:
        return make_url(f"sqlite:///{Path(raw).expanduser().resolve()}")
    url = make_url(raw)
    driver = _DRIVER_FOR_SCHEME.get(url.drivername)
    return url.set(drivername=driver) if driver else url


# Below the request budget (2 s by default): a slow database fails a call, it does not stall
# it. libpq's smallest connect timeout is 2 s; statements and lock waits stop sooner.
_PG_CONNECT_TIMEOUT_S = 2
_STATEMENT_TIMEOUT_MS = 1500
_POOL_TIMEOUT_S = 1.0


def build_engine(raw_url: str) -> Engine:
    """Create the engine; for a SQLite file, create its directory and switch on WAL."""
    url = normalise_url(raw_url)
    if url.get_backend_name() != "sqlite":
        options = f"-c statement_timeout={_STATEMENT_TIMEOUT_MS} -c lock_timeout=1000"
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_timeout=_POOL_TIMEOUT_S,
            connect_args={"connect_timeout": _PG_CONNECT_TIMEOUT_S, "options": options},
        )
    pool: dict[str, float] = {}
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        pool["pool_timeout"] = _POOL_TIMEOUT_S  # a file database has a queue pool
    engine = create_engine(url, connect_args={"timeout": _STATEMENT_TIMEOUT_MS / 1000}, **pool)
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def existing_database_engine(raw_url: str) -> Engine:
    """An engine on a database that must already exist: creates no file and no directory.

    For reading (the feedback report): a SQLite file that is not there raises
    :class:`FileNotFoundError` instead of being created empty.
    """
    url = normalise_url(raw_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, connect_args={"connect_timeout": 5})
    if not url.database or url.database == ":memory:" or not Path(url.database).is_file():
        raise FileNotFoundError(url.database or ":memory:")
    return create_engine(url, connect_args={"timeout": 15})


def _configure_sqlite(dbapi_connection: Any, _record: object) -> None:
    # WAL lets readers (readiness probes, the report) run while a worker writes;
    # busy_timeout makes concurrent gunicorn workers wait instead of failing.
    # synchronous=NORMAL: in WAL mode a commit no longer waits for an fsync (3-4 ms of a
    # worker's time on every hook call); the database cannot be corrupted and a crash of
    # the service loses nothing, only a power cut may lose the last commits.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={_STATEMENT_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
