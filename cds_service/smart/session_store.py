"""The app's sessions in the service's database (the feedback store's engine).

Every worker and replica reads the same rows, so a launch started on one worker finishes on
another. Unfinished launches (before the sign-in completes) live ``unfinished_ttl`` and are
capped at ``max_unfinished``: a flood of launches cannot fill the table. Signed-in sessions
live ``signed_in_ttl`` after their last use. Expired rows are deleted as launches start.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cds_service.errors import ServiceError
from cds_service.smart.sessions import SmartSession
from cds_service.store.smart_session_rows import SmartSessionRow

__all__ = ["SessionStore", "SessionsBusyError"]


class SessionsBusyError(ServiceError):
    """Too many launches are unfinished, or the sessions table cannot be reached."""

    status = 503


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _hashed(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass
class SessionStore:
    """Sessions by the id in the browser's cookie, kept in ``engine``'s database."""

    engine: Engine
    clock: Callable[[], datetime] = _utc_now
    unfinished_ttl: timedelta = timedelta(minutes=10)
    signed_in_ttl: timedelta = timedelta(hours=1)
    max_unfinished: int = 1000
    _sessions: sessionmaker[Session] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def start(self, session: SmartSession) -> str:
        """Keep a new unfinished ``session``; its id. :class:`SessionsBusyError` when full."""
        now = self.clock()
        with self._transaction() as db:
            db.execute(delete(SmartSessionRow).where(SmartSessionRow.expires_at < now))
            unfinished = db.scalar(
                select(func.count()).select_from(SmartSessionRow).where(~SmartSessionRow.signed_in)
            )
            if (unfinished or 0) >= self.max_unfinished:
                raise SessionsBusyError("Too many launches are in progress; try again shortly.")
            session_id = secrets.token_urlsafe(32)
            db.add(self._row(session_id, session, now))
        return session_id

    def get(self, session_id: str | None) -> SmartSession | None:
        """The live session of ``session_id``, or None (unknown, forged or expired)."""
        if not session_id or len(session_id) > 200:
            return None
        with self._transaction() as db:
            row = db.get(SmartSessionRow, _hashed(session_id))
            if row is None or row.expires_at <= self.clock():
                return None
            return SmartSession.from_data(json.loads(row.data))

    def save(self, session_id: str, session: SmartSession) -> None:
        """Write ``session`` back under ``session_id``; use extends its life."""
        with self._transaction() as db:
            db.merge(self._row(session_id, session, self.clock()))

    def renew(self, old_id: str, session: SmartSession) -> str:
        """Move ``session`` to a new id (at sign-in: a planted id never signs in); the new id."""
        new_id = secrets.token_urlsafe(32)
        with self._transaction() as db:
            db.execute(delete(SmartSessionRow).where(SmartSessionRow.id_hash == _hashed(old_id)))
            db.add(self._row(new_id, session, self.clock()))
        return new_id

    def end(self, session_id: str) -> None:
        """Forget the session (the EHR refused its token for good)."""
        with self._transaction() as db:
            db.execute(
                delete(SmartSessionRow).where(SmartSessionRow.id_hash == _hashed(session_id))
            )

    def _row(self, session_id: str, session: SmartSession, now: datetime) -> SmartSessionRow:
        signed_in = session.authorised
        ttl = self.signed_in_ttl if signed_in else self.unfinished_ttl
        return SmartSessionRow(
            id_hash=_hashed(session_id),
            data=json.dumps(session.to_data()),
            signed_in=signed_in,
            expires_at=now + ttl,
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._sessions)


class _Transaction:
    """A database session committed on success; any database fault is a 503, not a 500."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self._db: Session | None = None

    def __enter__(self) -> Session:
        self._db = self._factory()
        return self._db

    def __exit__(self, kind: object, error: object, _tb: object) -> None:
        assert self._db is not None  # noqa: S101 - set by __enter__
        try:
            if error is None:
                self._db.commit()
            else:
                self._db.rollback()
        except SQLAlchemyError:
            raise SessionsBusyError("The app's sessions cannot be reached; try again.") from None
        finally:
            self._db.close()
        if isinstance(error, SQLAlchemyError):
            raise SessionsBusyError("The app's sessions cannot be reached; try again.") from None
