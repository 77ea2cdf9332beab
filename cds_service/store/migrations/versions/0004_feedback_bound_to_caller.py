"""Feedback bound to the caller shown the card, per-suggestion tests, a probe row (issue 24, 26).

- ``shown_cards.issuer`` / ``feedback_entries.issuer``: the authenticated caller's issuer, so
  feedback from another caller on a card is refused.
- ``shown_cards.suggestion_tests``: suggestion uuid -> the tests it orders, so accepting one
  suggestion counts for its own test only.
- ``shown_cards.shown_at`` indexed: retention deletes by age.
- ``readiness_probe``: one row ``/readyz`` updates and commits (a full disk fails there).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the columns, the index and the probe table."""
    with op.batch_alter_table("shown_cards") as table:
        table.add_column(sa.Column("issuer", sa.String(500), nullable=True))
        table.add_column(sa.Column("suggestion_tests", sa.JSON(), nullable=True))
    with op.batch_alter_table("feedback_entries") as table:
        table.add_column(sa.Column("issuer", sa.String(500), nullable=True))
    op.create_index("ix_shown_cards_shown_at", "shown_cards", ["shown_at"])
    op.create_table(
        "readiness_probe",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    """Drop what :func:`upgrade` added."""
    op.drop_table("readiness_probe")
    op.drop_index("ix_shown_cards_shown_at", table_name="shown_cards")
    with op.batch_alter_table("feedback_entries") as table:
        table.drop_column("issuer")
    with op.batch_alter_table("shown_cards") as table:
        table.drop_column("suggestion_tests")
        table.drop_column("issuer")
