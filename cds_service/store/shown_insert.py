"""The INSERT of shown cards, each value converted for the database driver once, not per row.

Through a typed statement SQLAlchemy converts every parameter of every row on each execute
(a JSON encoding per list of codes, a time-zone conversion and formatting per timestamp):
that was most of the cost of recording a hook call's cards. The cards of one call share
their timestamp and repeat a few lists of codes, so here the values are converted with
SQLAlchemy's own bind processors for the engine's dialect, once per timestamp and once per
distinct list, and rows go to the driver through a plain-text statement that converts
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, TextClause, text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeEngine

from cds_service.store.models import ShownCard

__all__ = ["ShownCardsInsert"]

_Processor = Callable[[Any], Any]
_DISTINCT_CODE_LISTS = 1024  # the knowledge base makes a few dozen; a bound all the same
_MAX_PARAMETERS = 999
# DB-API paramstyles with positional markers, and the marker (sqlite3: qmark; psycopg: pyformat).
_POSITIONAL_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class ShownCardsInsert:
    """The statement and the value converters for one engine's dialect."""

    def __init__(self, dialect: Dialect) -> None:
        table = cast(Table, ShownCard.__table__)
        names = [column.name for column in table.columns if not column.primary_key]
        placeholders = ", ".join(f":{name}" for name in names)
        self._head = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES "  # noqa: S608 - our own column names
        self.statement: TextClause = text(self._head + f"({placeholders})")
        self._names = names
        self._marker = _POSITIONAL_MARKERS.get(dialect.paramstyle or "")
        # Old SQLite builds take at most 999 parameters in one statement.
        self._rows_per_statement = max(1, _MAX_PARAMETERS // len(names))
        self.instant: Callable[[datetime], Any] = _processor(table.c.shown_at.type, dialect)
        codes = _processor(table.c.conditions.type, dialect)  # "tests" has the same type
        self.codes: Callable[[tuple[str, ...]], Any] = lru_cache(maxsize=_DISTINCT_CODE_LISTS)(
            lambda values: codes(list(values))
        )
        self.json: _Processor = _processor(table.c.suggestion_tests.type, dialect)

    def execute(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows``, many to a statement.

        Row by row (``executemany``), the driver releases the GIL around every row, and
        under load each release waits for a busy request thread's switch interval (5 ms):
        the writer fell behind and dropped rows. One multi-row INSERT is one release.
        """
        if self._marker is None:  # a driver whose placeholders are not positional
            connection.execute(self.statement, list(rows))
            return
        for start in range(0, len(rows), self._rows_per_statement):
            chunk = rows[start : start + self._rows_per_statement]
            values = [row[name] for row in chunk for name in self._names]
            connection.exec_driver_sql(self._sql(len(chunk)), tuple(values))

    def _sql(self, count: int) -> str:
        one = "(" + ", ".join([self._marker or "?"] * len(self._names)) + ")"
        return self._head + ", ".join([one] * count)


def _processor(column_type: TypeEngine[Any], dialect: Dialect) -> _Processor:
    convert = column_type.dialect_impl(dialect).bind_processor(dialect)
    return convert if convert is not None else _unchanged


def _unchanged(value: Any) -> Any:
    return value
