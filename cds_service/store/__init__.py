"""Feedback store: clinicians' feedback, the cards we showed, and seen caller tokens.

SQLAlchemy 2 over SQLite (default) or PostgreSQL, schema managed by the Alembic migrations
in ``migrations/``, applied when the store is opened.
"""

from cds_service.store import smart_session_rows as _smart_session_rows  # noqa: F401 - its table
from cds_service.store.extension import init_store, store_of
from cds_service.store.report import FeedbackReport, Tally, feedback_report
from cds_service.store.shown import CardsShown
from cds_service.store.store import (
    Feedback,
    FeedbackStore,
    ForeignCardError,
    StoreBusyError,
    StoreError,
)

__all__ = [
    "CardsShown",
    "Feedback",
    "FeedbackReport",
    "FeedbackStore",
    "ForeignCardError",
    "StoreBusyError",
    "StoreError",
    "Tally",
    "feedback_report",
    "init_store",
    "store_of",
]
