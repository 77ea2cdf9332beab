"""The schema brought up to date by the shipped migrations, and kept equal to the models."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from cds_service.store import FeedbackStore
from cds_service.store.models import Base


def test_migrations_create_the_schema_on_an_empty_database(store: FeedbackStore) -> None:
    inspector = inspect(store.engine)

    tables = {"feedback_entries", "shown_cards", "seen_tokens", "smart_sessions"}
    assert tables <= set(inspector.get_table_names())
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0004"


def test_migrations_match_the_models(store: FeedbackStore) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    assert differences == []


def test_opening_twice_is_harmless(open_store: Callable[[], FeedbackStore]) -> None:
    open_store().save_feedback("s", [])

    assert open_store().ping()
