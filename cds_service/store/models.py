"""Tables of the feedback store. The schema itself is created by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "FeedbackEntry", "ReadinessProbe", "SeenToken", "ShownCard", "UTCDateTime"]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC on every backend.

    SQLite has no time zones, so storing naive UTC everywhere keeps comparisons identical
    on SQLite and PostgreSQL.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert to naive UTC before it reaches the database."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value  # already naive UTC by our convention
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Mark values read back as UTC."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    type_annotation_map = {  # noqa: RUF012
        datetime: UTCDateTime(),
        list[str]: JSON(),
        dict[str, list[str]]: JSON(),
    }


class FeedbackEntry(Base):
    """One feedback entry of a CDS Hooks feedback request: what a clinician did with a card."""

    __tablename__ = "feedback_entries"
    # One entry per card and outcome (migration 0002): repeats change nothing.
    __table_args__ = (
        Index("uq_feedback_entries_card_outcome", "card_uuid", "outcome", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(String(100))
    card_uuid: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # accepted | overridden
    accepted_suggestions: Mapped[list[str]]
    override_reason_code: Mapped[str | None] = mapped_column(String(200))
    override_reason_system: Mapped[str | None] = mapped_column(String(500))
    override_reason_display: Mapped[str | None] = mapped_column(String(500))
    user_comment: Mapped[str | None] = mapped_column(Text)
    outcome_timestamp: Mapped[datetime]
    received_at: Mapped[datetime]
    issuer: Mapped[str | None] = mapped_column(String(500))  # the caller's, when authenticated


class ShownCard(Base):
    """A card the service returned, with what it was about; no patient identifier."""

    __tablename__ = "shown_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_uuid: Mapped[str] = mapped_column(String(64), index=True)
    service_id: Mapped[str] = mapped_column(String(100))
    hook: Mapped[str] = mapped_column(String(100))
    hook_instance: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(100), index=True)
    conditions: Mapped[list[str]]
    tests: Mapped[list[str]]
    knowledge_version: Mapped[str | None] = mapped_column(String(50))
    patient_hash: Mapped[str | None] = mapped_column(String(64))  # salted SHA-256, hex
    shown_at: Mapped[datetime] = mapped_column(index=True)  # retention deletes by age
    # The caller shown the card (authenticated issuer): only it may give feedback on it.
    issuer: Mapped[str | None] = mapped_column(String(500))
    # suggestion uuid -> the tests that suggestion orders (acceptance counts for those only)
    suggestion_tests: Mapped[dict[str, list[str]] | None]


class ReadinessProbe(Base):
    """One row per database that ``/readyz`` updates and commits: a real write."""

    __tablename__ = "readiness_probe"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    checked_at: Mapped[datetime]


class SeenToken(Base):
    """A caller JWT already used; the unique constraint makes replays fail atomically."""

    __tablename__ = "seen_tokens"
    __table_args__ = (
        UniqueConstraint("jti", "issuer", name="uq_seen_tokens_jti_issuer"),
        Index("ix_seen_tokens_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(255))
    issuer: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[datetime]
