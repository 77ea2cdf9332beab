"""The bedside app's sessions table: one row per launch, shared by every worker.

The row is found by the SHA-256 of the cookie's random id, so the table alone does not let
anyone take a session over. ``data`` holds the launch state and the EHR's tokens: secrets,
never logged (the app's code never puts it in a message).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cds_service.store.models import Base

__all__ = ["SmartSessionRow"]


class SmartSessionRow(Base):
    """One launch of the bedside app: unfinished until the sign-in completes."""

    __tablename__ = "smart_sessions"
    __table_args__ = (Index("ix_smart_sessions_expires_at", "expires_at"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 hex
    data: Mapped[str] = mapped_column(Text)  # JSON of the session
    signed_in: Mapped[bool] = mapped_column(Boolean)
    expires_at: Mapped[datetime]
