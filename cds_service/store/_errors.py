"""The store's exception and how a database failure is told without SQL or values.

Apart from :mod:`~cds_service.store.store` so that the report, which reads the database on
its own, needs neither the store nor an import inside a function.
"""

from __future__ import annotations

__all__ = ["ForeignCardError", "StoreBusyError", "StoreError", "describe_failure"]


class StoreError(Exception):
    """The feedback database could not be read or written."""


class StoreBusyError(StoreError):
    """Feedback writes are at their limit, or the database failed a moment ago: not tried."""


class ForeignCardError(Exception):
    """Feedback names a card that was shown to another caller (another issuer)."""

    def __init__(self, positions: list[int]) -> None:
        """``positions``: the indexes of the refused entries in the request."""
        super().__init__(f"entries {positions}")
        self.positions = positions


def describe_failure(exc: BaseException) -> str:
    """The driver's own first line (e.g. "connection refused"), never the SQL or parameters.

    SQLAlchemy's message appends the statement and its parameters; the driver's says what
    went wrong with which host. Neither psycopg nor sqlite3 repeats the password.
    """
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return f"{exc.__class__.__name__}: {lines[0].strip()}" if lines else exc.__class__.__name__
