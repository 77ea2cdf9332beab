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

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, TextClause, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from cds_service.store.models import ShownCard

__all__ = ["ShownCardsInsert"]

_Processor = Callable[[Any], Any]
_DISTINCT_CODE_LISTS = 1024  # the knowledge base makes a few dozen; a bound all the same


class ShownCardsInsert:
    """The statement and the value converters for one engine's dialect."""

    def __init__(self, dialect: Dialect) -> None:
        table = cast(Table, ShownCard.__table__)
        names = [column.name for column in table.columns if not column.primary_key]
        placeholders = ", ".join(f":{name}" for name in names)
        self.statement: TextClause = text(
            f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})"  # noqa: S608 - our own column names
        )
        self.instant: Callable[[datetime], Any] = _processor(table.c.shown_at.type, dialect)
        codes = _processor(table.c.conditions.type, dialect)  # "tests" has the same type
        self.codes: Callable[[tuple[str, ...]], Any] = lru_cache(maxsize=_DISTINCT_CODE_LISTS)(
            lambda values: codes(list(values))
        )


def _processor(column_type: TypeEngine[Any], dialect: Dialect) -> _Processor:
    convert = column_type.dialect_impl(dialect).bind_processor(dialect)
    return convert if convert is not None else _unchanged


def _unchanged(value: Any) -> Any:
    return value
