"""The feedback store: what clinicians did with our cards, what we showed, tokens seen."""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine, delete, text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cds_service.hooks.card_subjects import card_subjects, card_uuid
from cds_service.store._batch import BatchWriter
from cds_service.store._deadline import DeadlineError, within
from cds_service.store._engine import build_engine
from cds_service.store._errors import StoreError, describe_failure
from cds_service.store._migrate import upgrade_schema
from cds_service.store.feedback_insert import insert_feedback_once
from cds_service.store.models import SeenToken
from cds_service.store.report import FeedbackReport, build_report
from cds_service.store.shown import HookEvent
from cds_service.store.shown_insert import ShownCardsInsert
from cds_service.store.shown_rows import checked_row

__all__ = ["Clock", "Feedback", "FeedbackStore", "StoreError", "describe_failure"]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")
# Expired replay-cache rows are deleted at most this often per process.
_PURGE_INTERVAL = timedelta(seconds=60)
# Hook calls and probes wait at most this long on the database (below the request budget).
DEFAULT_OPERATION_TIMEOUT_S = 1.5


@dataclass(frozen=True)
class Feedback:
    """One validated CDS Hooks feedback entry."""

    card_uuid: str
    outcome: str  # "accepted" | "overridden"
    outcome_timestamp: datetime
    accepted_suggestions: tuple[str, ...] = ()
    override_reason_code: str | None = None
    override_reason_system: str | None = None
    override_reason_display: str | None = None
    user_comment: str | None = None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FeedbackStore:
    """Feedback, shown cards and the JWT replay cache, in SQLite or PostgreSQL."""

    def __init__(
        self,
        engine: Engine,
        *,
        patient_hash_salt: str,
        clock: Clock = _utc_now,
        operation_timeout_s: float = DEFAULT_OPERATION_TIMEOUT_S,
    ) -> None:
        """Use ``engine``; the schema is brought up to date by :meth:`upgrade` or :meth:`ping`.

        Replay checks, probes and feedback writes give up after ``operation_timeout_s``.
        """
        self.engine = engine
        self._timeout_s = operation_timeout_s
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._salt = patient_hash_salt.encode()
        self._clock = clock
        self._next_purge = datetime.min.replace(tzinfo=UTC)
        self._purge_lock = threading.Lock()
        self._schema_current = False
        # One INSERT run with a list of rows (executemany): no ORM unit of work per call.
        self._shown_insert = ShownCardsInsert(engine.dialect)
        self._shown_writer = BatchWriter(self._write_queued)

    @classmethod
    def open(
        cls, database_url: str, *, patient_hash_salt: str, clock: Clock = _utc_now
    ) -> FeedbackStore:
        """Connect to ``database_url`` and bring its schema up to date (or raise StoreError)."""
        store = cls(build_engine(database_url), patient_hash_salt=patient_hash_salt, clock=clock)
        store.upgrade()
        return store

    def upgrade(self) -> None:
        """Apply pending schema migrations."""
        try:
            upgrade_schema(self.engine)
        except (SQLAlchemyError, OSError) as exc:  # OSError: the SQLite migration lock file
            where = self.engine.url.render_as_string(hide_password=True)
            reason = describe_failure(exc)
            raise StoreError(f"cannot migrate the database {where}: {reason}") from exc
        self._schema_current = True

    def close(self) -> None:
        """Write the queued shown cards, then release every pooled connection."""
        self.flush()
        self.engine.dispose()

    def ping(self) -> bool:
        """True when the database takes a write within the time allowed (readiness probes).

        A write, rolled back: a database that answers reads but refuses writes (a read-only
        or full disk) cannot store feedback. A failure recycles the pooled connections, so
        handles opened while the disk was read-only do not outlive its recovery. A database
        that was down at start-up is migrated here once it answers.
        """
        try:
            if not self._schema_current:
                self.upgrade()
            within(self._timeout_s, self._try_write)
        except (SQLAlchemyError, StoreError, DeadlineError) as exc:
            log.warning("feedback database not available: %s", exc.__class__.__name__)
            self._recycle()
            return False
        return True

    def _try_write(self) -> None:
        with self.engine.connect() as connection, connection.begin() as transaction:
            connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()

    def _recycle(self) -> None:
        # New connections next time: a handle may be stuck read-only or on a dead socket.
        self.engine.dispose()

    def save_feedback(self, service_id: str, entries: Sequence[Feedback]) -> None:
        """Store every entry of one feedback request, or none of them.

        A card keeps one entry per outcome: a repeat (in this request or a later one) is
        accepted and changes nothing.
        """
        # The cards the feedback is about are stored before it (within the time allowed).
        self._shown_writer.flush(self._timeout_s)
        received = self._clock()
        rows = [_feedback_row(service_id, entry, received) for entry in entries]
        self._bounded(lambda: self._insert_feedback(rows), "cannot write to the feedback database")

    def _insert_feedback(self, rows: list[dict[str, object]]) -> None:
        with self.engine.begin() as connection:
            insert_feedback_once(connection, rows)

    def _bounded(self, work: Callable[[], T], failure: str) -> T:
        """``work()`` within the time allowed; a StoreError (connections recycled) if not."""
        try:
            return within(self._timeout_s, work)
        except (SQLAlchemyError, DeadlineError) as exc:
            if isinstance(exc, OperationalError | DeadlineError):
                self._recycle()
            raise StoreError(failure) from exc

    def record_shown_cards(self, event: HookEvent) -> None:
        """Remember each returned card that carries a uuid; the patient only as a salted hash."""
        self._insert_shown_rows(self._shown_rows(event, self._clock()))

    def queue_shown_cards(self, event: HookEvent) -> None:
        """Like :meth:`record_shown_cards`, written in the background with other calls' cards.

        For the hook route: the call pays for building its rows (tens of microseconds), not
        a transaction. The queue holds those rows (a few kB a call), not the call's cards
        and differential, so a backlog while the database is slow stays small. Failures
        are logged. Every reading method of the store waits for queued cards first.
        """
        rows = self._shown_rows(event, self._clock())
        if rows:
            self._shown_writer.put(rows)

    def flush(self) -> None:
        """Wait until the queued shown cards are written (or have failed and been logged)."""
        if not self._shown_writer.flush():
            log.warning("queued shown cards are taking long to be written")

    def _write_queued(self, queued: Sequence[list[dict[str, object]]]) -> None:
        rows = [row for call_rows in queued for row in call_rows]
        try:
            self._insert_shown_rows(rows)
        except StoreError:
            # One row the database refused must not lose the others: write them one by one.
            lost = sum(not self._insert_one(row) for row in rows)
            if lost:
                # Losing a record is better than failing (or slowing) clinicians' hook calls.
                log.warning(
                    "could not record the cards of %d hook calls: %d of %d rows lost",
                    len(queued),
                    lost,
                    len(rows),
                )

    def _insert_one(self, row: dict[str, object]) -> bool:
        try:
            self._insert_shown_rows([row])
        except StoreError:
            return False
        return True

    def _insert_shown_rows(self, rows: list[dict[str, object]]) -> None:
        if not rows:
            return
        try:  # one transaction, one multi-row INSERT
            with self.engine.begin() as connection:
                self._shown_insert.execute(connection, rows)
        except SQLAlchemyError as exc:
            raise StoreError("cannot write to the feedback database") from exc

    def _shown_rows(self, event: HookEvent, shown: datetime) -> list[dict[str, object]]:
        """The rows of ``event``'s cards, their values already converted for the driver."""
        patient = self.patient_hash(event.patient_id)
        version = event.differential.knowledge_version if event.differential else None
        when, codes = self._shown_insert.instant(shown), self._shown_insert.codes
        rows: list[dict[str, object]] = []
        for card in event.cards:
            uuid = card_uuid(card)
            if uuid is None:
                continue  # a card without uuid can never receive feedback
            subjects = card_subjects(card)
            row = checked_row(
                {
                    "card_uuid": uuid,
                    "service_id": event.service_id,
                    "hook": event.hook,
                    "hook_instance": event.hook_instance,
                    # str(): a StrEnum topic must reach the driver as plain text.
                    "topic": str(subjects.topic),
                    "conditions": codes(subjects.conditions),
                    "tests": codes(subjects.tests),
                    "knowledge_version": subjects.knowledge_version or version,
                    "patient_hash": patient,
                    "shown_at": when,
                }
            )
            if row is not None:
                rows.append(row)
        return rows

    def patient_hash(self, patient_id: str | None) -> str | None:
        """Keyed SHA-256 of a patient id: joins a patient's cards without revealing who."""
        if not patient_id:
            return None
        return hmac.new(self._salt, patient_id.encode(), hashlib.sha256).hexdigest()

    def remember_jti(self, issuer: str, jti: str, expires_at: datetime) -> bool:
        """Record a token id; False when this issuer already used it (a replay).

        The unique constraint decides, so this holds across workers and replicas.
        """
        return self._bounded(lambda: self._remember(issuer, jti, expires_at), "cannot check tokens")

    def _remember(self, issuer: str, jti: str, expires_at: datetime) -> bool:
        self._purge_expired_tokens()
        try:
            with self._sessions.begin() as session:
                session.add(SeenToken(jti=jti, issuer=issuer, expires_at=expires_at))
        except IntegrityError:
            return False
        return True

    def report(self) -> FeedbackReport:
        """Tally shown cards and feedback per card topic and per recommended test."""
        self.flush()
        try:
            with self._sessions() as session:
                return build_report(session)
        except SQLAlchemyError as exc:
            raise StoreError("cannot read the feedback database") from exc

    def session(self) -> Session:
        """A new ORM session (for reports and tests), once queued shown cards are written."""
        self.flush()
        return self._sessions()

    def _purge_expired_tokens(self) -> None:
        now = self._clock()
        with self._purge_lock:
            if now < self._next_purge:
                return
            self._next_purge = now + _PURGE_INTERVAL
        try:
            with self._sessions.begin() as session:
                session.execute(delete(SeenToken).where(SeenToken.expires_at < now))
        except SQLAlchemyError:
            log.warning("could not purge expired token ids", exc_info=True)


def _feedback_row(service_id: str, entry: Feedback, received: datetime) -> dict[str, object]:
    return {
        "service_id": service_id,
        "card_uuid": entry.card_uuid,
        "outcome": entry.outcome,
        "accepted_suggestions": list(entry.accepted_suggestions),
        "override_reason_code": entry.override_reason_code,
        "override_reason_system": entry.override_reason_system,
        "override_reason_display": entry.override_reason_display,
        "user_comment": entry.user_comment,
        "outcome_timestamp": entry.outcome_timestamp,
        "received_at": received,
    }
