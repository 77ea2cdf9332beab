"""Wire the feedback store into the app: readiness check and shown-card listener.

The store is a plug-in: it registers itself on the runtime's extension points and keeps
itself in ``app.extensions`` under its own key, read back with :func:`store_of`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask

from cds_service.runtime import runtime
from cds_service.settings import Settings
from cds_service.store._engine import build_engine
from cds_service.store.shown import CardsShown
from cds_service.store.store import Clock, FeedbackStore, StoreError

__all__ = ["init_store", "store_of"]

_EXTENSION_KEY = "gluteal_cds_store"

log = logging.getLogger(__name__)


def init_store(app: Flask, settings: Settings, *, clock: Clock | None = None) -> FeedbackStore:
    """Open the store, migrate its schema, and plug it into ``app``'s extension points.

    A database that is down at start-up does not stop the app: ``/readyz`` answers 503
    (check ``database``) and retries the migration until the database answers.
    """
    options: dict[str, Any] = {"clock": clock} if clock else {}
    engine = build_engine(settings.database_url)  # a malformed URL should stop start-up
    # Replay checks and probes give up well within a hook call's budget.
    options["operation_timeout_s"] = min(1.5, settings.request_budget_s * 0.75)
    # Feedback never takes more than half a worker's threads: the rest answer hook calls.
    options["feedback_slots"] = max(1, settings.threads // 2)
    days = settings.shown_cards_retention_days
    options["shown_retention"] = timedelta(days=days) if days else None
    store = FeedbackStore(engine, patient_hash_salt=settings.patient_hash_salt, **options)
    try:
        store.upgrade()
    except StoreError as exc:
        log.error("feedback database not available at start-up (%s); /readyz will retry", exc)
    app.extensions[_EXTENSION_KEY] = store
    state = runtime(app)
    state.readiness_checks.append(_readiness_check(store))
    state.hook_listeners.append(_shown_cards_listener(store))
    # The runtime's list itself: a listener registered after the store is told too.
    store.drop_listeners = state.shown_cards_drop_listeners
    return store


def store_of(app: Flask) -> FeedbackStore:
    """The store :func:`init_store` registered with ``app``."""
    store = app.extensions.get(_EXTENSION_KEY)
    if not isinstance(store, FeedbackStore):
        raise RuntimeError("init_store(app, settings) has not been called")
    return store


def _readiness_check(store: FeedbackStore) -> Any:
    def database() -> bool:  # the name /readyz reports when failing
        return store.ping()

    return database


def _shown_cards_listener(store: FeedbackStore) -> Any:
    def record_shown_cards(event: CardsShown) -> None:
        # Written in the background with other calls' cards; failures are logged there.
        store.queue_shown_cards(event)

    return record_shown_cards
