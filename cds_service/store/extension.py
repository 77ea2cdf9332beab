"""Wire the feedback store into the app: readiness check and shown-card listener."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from cds_service.runtime import runtime
from cds_service.settings import Settings
from cds_service.store._engine import build_engine
from cds_service.store.shown import HookEvent
from cds_service.store.store import Clock, FeedbackStore, StoreError

__all__ = ["init_store", "store_of"]

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
    store = FeedbackStore(engine, patient_hash_salt=settings.patient_hash_salt, **options)
    try:
        store.upgrade()
    except StoreError as exc:
        log.error("feedback database not available at start-up (%s); /readyz will retry", exc)
    state = runtime(app)
    state.store = store
    state.readiness_checks.append(_readiness_check(store))
    state.hook_listeners.append(_shown_cards_listener(store))
    return store


def store_of(app: Flask) -> FeedbackStore:
    """The store :func:`init_store` registered with ``app``."""
    store = runtime(app).store
    if store is None:
        raise RuntimeError("init_store(app, settings) has not been called")
    return store


def _readiness_check(store: FeedbackStore) -> Any:
    def database() -> bool:  # the name /readyz reports when failing
        return store.ping()

    return database


def _shown_cards_listener(store: FeedbackStore) -> Any:
    def record_shown_cards(event: HookEvent) -> None:
        # Written in the background with other calls' cards; failures are logged there.
        store.queue_shown_cards(event)

    return record_shown_cards
