"""The Flask app factory: settings in, knowledge base loaded, blueprints registered."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask_cors import CORS

from cds_service.api.discovery import discovery
from cds_service.api.errors import register_error_handlers
from cds_service.api.feedback import feedback
from cds_service.api.guards import init_http_guards
from cds_service.api.health import health
from cds_service.api.hooks import hooks
from cds_service.api.openapi import openapi
from cds_service.api.request_body import read_limit
from cds_service.auth.caller import init_auth
from cds_service.hooks.pipeline import load_knowledge
from cds_service.ops.metrics import metrics_blueprint
from cds_service.ops.observability import init_observability
from cds_service.pages.home import home
from cds_service.pages.knowledge import knowledge
from cds_service.pages.try_page import try_page
from cds_service.runtime import EXTENSION_KEY, build_runtime
from cds_service.settings import Settings
from cds_service.smart.blueprint import init_smart
from cds_service.startup_checks import check_startup
from cds_service.store import init_store
from differential import KnowledgeBase, KnowledgeBaseError

__all__ = ["create_app"]

_log = logging.getLogger(__name__)

# Every route of the service: the API, operations, the pages for clinicians.
_BLUEPRINTS = (
    discovery,
    hooks,
    feedback,
    health,
    openapi,
    metrics_blueprint,
    home,
    knowledge,
    try_page,
)
_CORS_METHODS = ["GET", "POST", "OPTIONS"]
_CORS_HEADERS = ["Authorization", "Content-Type"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    settings: Settings | None = None, *, clock: Callable[[], datetime] | None = None
) -> Flask:
    """Build the service. ``settings`` default to the environment, ``clock`` to UTC now."""
    settings = settings if settings is not None else Settings.from_env()
    check_startup(settings)
    # The pages for clinicians bring their templates and stylesheet (cds_service/pages/).
    app = Flask(__name__, template_folder="pages/templates", static_folder="pages/static")
    app.config["MAX_CONTENT_LENGTH"] = read_limit(settings.max_body_bytes)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.sort_keys = False  # keep cards and services in the order they were built
    # The sandbox may call "//<id>"; merging slashes would answer with a redirect instead.
    app.url_map.merge_slashes = False
    app.extensions[EXTENSION_KEY] = build_runtime(
        settings, clock or _utc_now, _knowledge_or_none(settings)
    )
    init_observability(app)  # first: its request id and timer wrap every other hook
    CORS(
        app,
        origins=list(settings.cors_origins),
        methods=_CORS_METHODS,
        allow_headers=_CORS_HEADERS,
        send_wildcard="*" in settings.cors_origins,
        max_age=600,
    )
    register_error_handlers(app)
    init_http_guards(app)
    for blueprint in _BLUEPRINTS:
        app.register_blueprint(blueprint)
    init_smart(app, settings)
    init_store(app, settings, clock=clock)
    init_auth(app, settings, clock=clock)
    return app


def _knowledge_or_none(settings: Settings) -> KnowledgeBase | None:
    try:
        return load_knowledge(settings)
    except KnowledgeBaseError as exc:
        # Keep serving /healthz and answer /readyz 503 rather than crash-looping.
        _log.error("the knowledge base could not be loaded:\n%s", exc)
        return None
