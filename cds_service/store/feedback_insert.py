"""Feedback rows inserted once per card and outcome, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from cds_service.store.models import FeedbackEntry

__all__ = ["insert_feedback_once"]

_INSERTS: dict[str, Any] = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def insert_feedback_once(connection: Connection, rows: Sequence[dict[str, object]]) -> None:
    """Insert ``rows``; a (card, outcome) already stored, or repeated here, is skipped."""
    unique: dict[tuple[object, object], dict[str, object]] = {}
    for row in rows:
        unique.setdefault((row["card_uuid"], row["outcome"]), row)
    if not unique:
        return
    insert = _INSERTS[connection.dialect.name](FeedbackEntry)
    statement = insert.on_conflict_do_nothing(index_elements=["card_uuid", "outcome"])
    connection.execute(statement, list(unique.values()))
