"""The database URL made an engine: a SQLite file's directory created, WAL switched on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from cds_service.store import FeedbackStore
from tests.support.shown import SALT


def test_sqlite_file_and_its_directory_are_created_with_wal(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "feedback.sqlite3"

    store = FeedbackStore.open(f"sqlite:///{path}", patient_hash_salt=SALT)

    assert path.is_file()
    with store.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA synchronous")) == 1  # NORMAL: no fsync per commit
    store.close()
