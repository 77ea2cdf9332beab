"""Each shown-card row checked on its own before it is written (issue 15).

A caller chooses the ``hookInstance`` (and could send NUL characters, which PostgreSQL text
cannot hold): one row the database refuses must not take the rows of other calls with it.
Values the caller chose are dropped when the column cannot hold them; a row whose card id
cannot be stored is left out.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["checked_row"]

# Column -> the longest text it holds (models.ShownCard).
_LIMITS: Mapping[str, int] = {
    "card_uuid": 64,
    "service_id": 100,
    "hook": 100,
    "hook_instance": 100,
    "topic": 100,
    "knowledge_version": 50,
    "patient_hash": 64,
    "issuer": 500,
}
# A row without these means nothing; the others may be emptied.
_REQUIRED = frozenset({"card_uuid", "service_id", "hook", "topic"})


def _fits(value: object, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit and "\x00" not in value


def checked_row(row: dict[str, object]) -> dict[str, object] | None:
    """``row`` with values its columns cannot hold set to None; None if a required one."""
    checked = dict(row)
    for column, limit in _LIMITS.items():
        value = checked.get(column)
        if value is None or _fits(value, limit):
            continue
        if column in _REQUIRED:
            return None
        checked[column] = None
    return checked
