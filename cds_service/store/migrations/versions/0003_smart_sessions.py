"""The bedside app's sessions, shared by every worker and replica (issue 24).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the sessions table."""
    op.create_table(
        "smart_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("signed_in", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_smart_sessions_expires_at", "smart_sessions", ["expires_at"])


def downgrade() -> None:
    """Drop the sessions table."""
    op.drop_table("smart_sessions")
