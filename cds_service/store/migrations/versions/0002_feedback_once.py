"""One feedback row per card and outcome: repeats are idempotent (issue 15).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Keep the first of each (card, outcome), then make the pair unique."""
    op.execute(
        sa.text(
            "DELETE FROM feedback_entries WHERE id NOT IN ("
            "SELECT MIN(id) FROM feedback_entries GROUP BY card_uuid, outcome)"
        )
    )
    op.create_index(
        "uq_feedback_entries_card_outcome",
        "feedback_entries",
        ["card_uuid", "outcome"],
        unique=True,
    )


def downgrade() -> None:
    """Allow repeats again."""
    op.drop_index("uq_feedback_entries_card_outcome", table_name="feedback_entries")
