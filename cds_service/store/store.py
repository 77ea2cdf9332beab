"""The feedback store: what clinicians did with our cards and what we showed them.

Caller token ids are kept apart, in :mod:`cds_service.store.replay`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from cards import Card
from cards.card_subjects import card_subjects, card_uuid, suggestion_tests
from cds_service.store._batch import BatchWriter
from cds_service.store._deadline import DeadlineError, within
from cds_service.store._engine import build_engine
from cds_service.store._errors import (
    ForeignCardError,
    StoreBusyError,
    StoreError,
    describe_failure,
)
from cds_service.store._gate import WriteGate
from cds_service.store._migrate import upgrade_schema
from cds_service.store.feedback_insert import insert_feedback_once
from cds_service.store.models import ReadinessProbe, ShownCard
from cds_service.store.report import FeedbackReport, build_report
from cds_service.store.shown import CardsShown
from cds_service.store.shown_insert import ShownCardsInsert
from cds_service.store.shown_rows import checked_row

__all__ = [
    "Clock",
    "DropListener",
    "Feedback",
    "FeedbackStore",
    "ForeignCardError",
    "StoreBusyError",
    "StoreError",
    "describe_failure",
]

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")
# Hook calls and probes wait at most this long on the database (below the request budget).
DEFAULT_OPERATION_TIMEOUT_S = 1.5
# Shown cards older than the retention period are deleted at most this often per process.
_RETENTION_INTERVAL = timedelta(hours=1)
# A batch of shown cards the database could not take is tried again this many times.
_SHOWN_RETRIES = 3
# (reason, rows): shown-card rows given up on; reasons "queue-full", "refused", "unavailable".
DropListener = Callable[[str, int], None]


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
    """Feedback and shown cards, in SQLite or PostgreSQL."""

    def __init__(
        self,
        engine: Engine,
        *,
        patient_hash_salt: str,
        clock: Clock = _utc_now,
        operation_timeout_s: float = DEFAULT_OPERATION_TIMEOUT_S,
        feedback_slots: int = 2,
        shown_retention: timedelta | None = None,
    ) -> None:
        """Use ``engine``; the schema is brought up to date by :meth:`upgrade` or :meth:`ping`.

        Probes and feedback writes give up after ``operation_timeout_s``; at
        most ``feedback_slots`` feedback writes wait on the database at once. Shown cards
        older than ``shown_retention`` are deleted (None: kept).
        """
        self.engine = engine
        self._timeout_s = operation_timeout_s
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._salt = patient_hash_salt.encode()
        self._clock = clock
        self._schema_current = False
        # One INSERT run with a list of rows (executemany): no ORM unit of work per call.
        self._shown_insert = ShownCardsInsert(engine.dialect)
        self._shown_writer = BatchWriter(self._write_queued, on_dropped=self._dropped)
        self._feedback_gate = WriteGate(feedback_slots)
        self._retention = shown_retention
        self._next_retention = datetime.min.replace(tzinfo=UTC)
        self.drop_listeners: list[DropListener] = []

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        patient_hash_salt: str,
        clock: Clock = _utc_now,
        shown_retention: timedelta | None = None,
    ) -> FeedbackStore:
        """Connect to ``database_url`` and bring its schema up to date (or raise StoreError)."""
        store = cls(
            build_engine(database_url),
            patient_hash_salt=patient_hash_salt,
            clock=clock,
            shown_retention=shown_retention,
        )
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

        A write, committed: a database that answers reads but refuses writes (a read-only
        disk) cannot store feedback, and a full disk often fails only at the commit (issue
        24: a rolled-back probe said ready while every feedback call got 503). A failure
        recycles the pooled connections, so handles opened while the disk was read-only do
        not outlive its recovery. A database that was down at start-up is migrated here
        once it answers.
        """
        try:
            if not self._schema_current:
                self.upgrade()
            within(self._timeout_s, self._try_write)
        except (SQLAlchemyError, StoreError, DeadlineError) as exc:
            log.warning("feedback database not available: %s", exc.__class__.__name__)
            self._recycle()
            return False
        self._feedback_gate.recovered()
        return True

    def _try_write(self) -> None:
        try:
            self._write_probe()
        except IntegrityError:  # another worker created the row first: update it now
            self._write_probe()

    def _write_probe(self) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            probed = session.execute(
                update(ReadinessProbe).where(ReadinessProbe.id == 1).values(checked_at=now)
            )
            if not getattr(probed, "rowcount", 0):
                session.add(ReadinessProbe(id=1, checked_at=now))

    def _recycle(self) -> None:
        # New connections next time: a handle may be stuck read-only or on a dead socket.
        self.engine.dispose()

    def save_feedback(
        self, service_id: str, entries: Sequence[Feedback], issuer: str | None = None
    ) -> None:
        """Store every entry of one feedback request, or none of them.

        A card keeps one entry per outcome: a repeat (in this request or a later one) is
        accepted and changes nothing. A card shown to another issuer than ``issuer`` (the
        authenticated caller's) is refused with :class:`ForeignCardError`, and nothing is
        stored. :class:`StoreBusyError` when the write was not even tried (too many at
        once, or the database failed a moment ago).
        """
        with self._feedback_gate.slot():
            # The cards the feedback is about are stored before it (within the time allowed).
            self._shown_writer.flush(self._timeout_s)
            received = self._clock()
            rows = [_feedback_row(service_id, entry, received, issuer) for entry in entries]
            try:
                self._bounded(
                    lambda: self._insert_feedback(rows, issuer),
                    "cannot write to the feedback database",
                )
            except StoreError:
                self._feedback_gate.failed()
                raise

    def _insert_feedback(self, rows: list[dict[str, object]], issuer: str | None) -> None:
        with self.engine.begin() as connection:
            refused = _foreign_cards(connection, rows, issuer)
            if refused:
                raise ForeignCardError(refused)
            insert_feedback_once(connection, rows)

    def _bounded(self, work: Callable[[], T], failure: str) -> T:
        """``work()`` within the time allowed; a StoreError (connections recycled) if not."""
        try:
            return within(self._timeout_s, work)
        except (SQLAlchemyError, DeadlineError) as exc:
            if isinstance(exc, OperationalError | DeadlineError):
                self._recycle()
            raise StoreError(failure) from exc

    def queue_shown_cards(self, event: CardsShown) -> None:
        """Remember each returned card that carries a uuid (the patient only as a salted
        hash), written in the background with other calls' cards.

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
        for attempt in range(_SHOWN_RETRIES):
            try:
                self._insert_shown_rows(rows)
            except StoreError as exc:
                if not _unavailable(exc):
                    break  # the database answered and refused: find the rows it refuses
                time.sleep(0.2 * 2**attempt)  # a restart or failover: try again shortly
            else:
                self._purge_old_shown_cards()
                return
        else:
            self._dropped("unavailable", len(rows))
            return
        # One row the database refused must not lose the others: write them one by one.
        lost = sum(not self._insert_one(row) for row in rows)
        if lost:
            self._dropped("refused", lost)

    def _dropped(self, reason: str, rows: int) -> None:
        """Shown-card rows given up on: logged, and told to the listeners (a metric)."""
        # Losing a record is better than failing (or slowing) clinicians' hook calls.
        log.warning("%d shown-card rows were not recorded (%s)", rows, reason)
        for listener in self.drop_listeners:
            try:
                listener(reason, rows)
            except Exception:
                log.exception("a shown-card drop listener failed")

    def _purge_old_shown_cards(self) -> None:
        """Delete shown cards past the retention period, at most once an hour."""
        now = self._clock()
        if self._retention is None or now < self._next_retention:
            return
        self._next_retention = now + _RETENTION_INTERVAL
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(ShownCard).where(ShownCard.shown_at < now - self._retention)
                )
        except SQLAlchemyError:
            log.warning("could not delete shown cards past their retention", exc_info=True)

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

    def _shown_rows(self, event: CardsShown, shown: datetime) -> list[dict[str, object]]:
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
                    "issuer": event.issuer,
                    "suggestion_tests": self._suggestions(card),
                }
            )
            if row is not None:
                rows.append(row)
        return rows

    def _suggestions(self, card: Card | Mapping[str, Any]) -> object:
        tests = suggestion_tests(card)
        return self._shown_insert.json(tests) if tests else None

    def patient_hash(self, patient_id: str | None) -> str | None:
        """Keyed SHA-256 of a patient id: joins a patient's cards without revealing who."""
        if not patient_id:
            return None
        return hmac.new(self._salt, patient_id.encode(), hashlib.sha256).hexdigest()

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


def _feedback_row(
    service_id: str, entry: Feedback, received: datetime, issuer: str | None
) -> dict[str, object]:
    return {
        "issuer": issuer,
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


def _foreign_cards(
    connection: Connection, rows: Sequence[dict[str, object]], issuer: str | None
) -> list[int]:
    """Positions of the rows about a card shown only to other issuers than ``issuer``."""
    uuids = {row["card_uuid"] for row in rows}
    shown: dict[object, set[str | None]] = {}
    query = select(ShownCard.card_uuid, ShownCard.issuer).where(ShownCard.card_uuid.in_(uuids))
    for uuid, shown_to in connection.execute(query):
        shown.setdefault(uuid, set()).add(shown_to)
    # A card shown without authentication (issuer None) binds no one.
    return [
        position
        for position, row in enumerate(rows)
        if (to := shown.get(row["card_uuid"])) and None not in to and issuer not in to
    ]


def _unavailable(exc: StoreError) -> bool:
    """True when the database could not be reached, as opposed to refusing the rows."""
    return isinstance(exc.__cause__, OperationalError)
