"""What the app factory builds once and the routes share, kept in ``app.extensions``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import requests
from flask import Flask, current_app

from cds_service.events import HookListener
from cds_service.fhir_client import FhirLimits, FhirServerPolicy
from cds_service.settings import Settings
from differential import KnowledgeBase

__all__ = [
    "EXTENSION_KEY",
    "ReadinessCheck",
    "ServiceRuntime",
    "build_runtime",
    "fhir_time_budget",
    "runtime",
]

EXTENSION_KEY = "gluteal_cds"
_ANSWER_MARGIN_S = 0.25

# A readiness check answers True when its dependency (e.g. the database) can serve.
ReadinessCheck = Callable[[], bool]


@dataclass
class ServiceRuntime:
    """Settings, clock, knowledge base and the extension points of one app."""

    settings: Settings
    clock: Callable[[], datetime]
    knowledge_base: KnowledgeBase | None  # None when it could not be loaded: /readyz says 503
    fhir_policy: FhirServerPolicy
    fhir_limits: FhirLimits
    readiness_checks: list[ReadinessCheck] = field(default_factory=list)
    hook_listeners: list[HookListener] = field(default_factory=list)
    # Makes the HTTP session of a hook call's FHIR fallback (observability wraps it).
    fhir_session_factory: Callable[[], requests.Session] = requests.Session


def build_runtime(
    settings: Settings, clock: Callable[[], datetime], knowledge_base: KnowledgeBase | None
) -> ServiceRuntime:
    """The runtime for ``settings``, with empty extension points."""
    return ServiceRuntime(
        settings=settings,
        clock=clock,
        knowledge_base=knowledge_base,
        fhir_policy=FhirServerPolicy(
            settings.allow_http_fhir, settings.fhir_allowlist, settings.issuer_fhir_servers
        ),
        fhir_limits=FhirLimits(
            connect_timeout_s=settings.fhir_connect_timeout_s,
            read_timeout_s=settings.fhir_read_timeout_s,
            max_pages=settings.fhir_max_pages,
            time_budget_s=fhir_time_budget(settings),
            max_response_bytes=settings.fhir_max_response_bytes,
            max_call_bytes=settings.fhir_max_call_bytes,
        ),
    )


def fhir_time_budget(settings: Settings) -> float:
    """The FHIR fallback's share of the request budget: what is left after a margin to answer.

    Never more than ``fhir_time_budget_s``; the margin (a quarter second, or half of a very
    small budget) is for evaluating and rendering, which take milliseconds.
    """
    margin = min(_ANSWER_MARGIN_S, settings.request_budget_s / 2)
    return min(settings.fhir_time_budget_s, settings.request_budget_s - margin)


def runtime(app: Flask | None = None) -> ServiceRuntime:
    """The runtime of ``app`` (default: the app handling the current request)."""
    state = (app or current_app).extensions[EXTENSION_KEY]
    assert isinstance(state, ServiceRuntime)  # noqa: S101 - only create_app stores it
    return state
