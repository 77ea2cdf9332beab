"""Alembic environment: runs on the connection handed over by :mod:`cds_service.store._migrate`.

There is no alembic.ini: the store builds the Config in code and passes an open connection
in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from cds_service.store import smart_session_rows  # noqa: F401 - its table joins Base
from cds_service.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("run migrations through cds_service.store.upgrade_schema, not the CLI")
_run(_connection)
