"""Feedback entries, shown cards and seen caller tokens.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables of the feedback store."""
    op.create_table(
        "feedback_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("service_id", sa.String(100), nullable=False),
        sa.Column("card_uuid", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("accepted_suggestions", sa.JSON(), nullable=False),
        sa.Column("override_reason_code", sa.String(200), nullable=True),
        sa.Column("override_reason_system", sa.String(500), nullable=True),
        sa.Column("override_reason_display", sa.String(500), nullable=True),
        sa.Column("user_comment", sa.Text(), nullable=True),
        sa.Column("outcome_timestamp", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_feedback_entries_card_uuid", "feedback_entries", ["card_uuid"])
    op.create_table(
        "shown_cards",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("card_uuid", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(100), nullable=False),
        sa.Column("hook", sa.String(100), nullable=False),
        sa.Column("hook_instance", sa.String(100), nullable=True),
        sa.Column("topic", sa.String(100), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("tests", sa.JSON(), nullable=False),
        sa.Column("knowledge_version", sa.String(50), nullable=True),
        sa.Column("patient_hash", sa.String(64), nullable=True),
        sa.Column("shown_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_shown_cards_card_uuid", "shown_cards", ["card_uuid"])
    op.create_index("ix_shown_cards_topic", "shown_cards", ["topic"])
    op.create_table(
        "seen_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("jti", sa.String(255), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("jti", "issuer", name="uq_seen_tokens_jti_issuer"),
    )
    op.create_index("ix_seen_tokens_expires_at", "seen_tokens", ["expires_at"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("seen_tokens")
    op.drop_table("shown_cards")
    op.drop_table("feedback_entries")
