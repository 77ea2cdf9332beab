"""What the app factory builds once and the routes share: one typed runtime per app.

The runtime is the hub every plug-in hangs on, so it names none of them: it holds settings,
clock, knowledge base and extension points (listener lists, the FHIR session factory, the
card's launch link). Each plug-in (the feedback store, metrics, caller authentication, the
bedside app) registers itself on them and keeps its own state in ``app.extensions`` under
its own key, read through its own accessor (``store_of``, ``metrics_of``). It imports only
what lies below it: settings, the FHIR client and the hook logic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from flask import Flask, current_app

from cds_service.fhir.client import FhirLimits, FhirServerPolicy
from cds_service.hooks.ehr_profile import EhrProfile, load_order_codes
from cds_service.hooks.events import HookListener
from cds_service.hooks.pipeline import Evaluation
from cds_service.hooks.prefetch import FhirFallback
from cds_service.hooks.services import SERVICES, CdsService
from cds_service.settings import Settings
from differential import KnowledgeBase

__all__ = [
    "EXTENSION_KEY",
    "FeedbackListener",
    "LaunchLink",
    "ReadinessCheck",
    "RejectionListener",
    "ReplayCheckListener",
    "ServiceRuntime",
    "ShownCardsDropListener",
    "build_runtime",
    "ehr_profile",
    "fhir_time_budget",
    "runtime",
]

EXTENSION_KEY = "gluteal_cds"
_ANSWER_MARGIN_S = 0.25

# A readiness check answers True when its dependency (e.g. the database) can serve.
ReadinessCheck = Callable[[], bool]
# Told why a caller was refused (a rejection code, never the token).
RejectionListener = Callable[[str], None]
# Told (service id, outcome) of each stored feedback entry.
FeedbackListener = Callable[[str, str], None]
# Told (reason, rows) when shown-card rows could not be recorded.
ShownCardsDropListener = Callable[[str, int], None]
# Told "degraded" / "late-replay" by the token replay check (store/replay.py).
ReplayCheckListener = Callable[[str], None]
# The base URL -> where a card links to launch the bedside app; None: no link.
LaunchLink = Callable[[str], str | None]


def _no_launch_link(_base_url: str) -> None:
    """No app to launch until one registers itself."""


@dataclass
class ServiceRuntime:
    """Settings, clock, knowledge base and the extension points of one app.

    The extension points are the lists below, the session factory, the launch link and the
    services: features plug in by appending to them in the app factory, never by editing
    routes.
    """

    settings: Settings
    clock: Callable[[], datetime]
    knowledge_base: KnowledgeBase | None  # None when it could not be loaded: /readyz says 503
    fhir_policy: FhirServerPolicy
    fhir_limits: FhirLimits
    ehr_profile: EhrProfile = field(default_factory=EhrProfile)
    readiness_checks: list[ReadinessCheck] = field(default_factory=list)
    hook_listeners: list[HookListener] = field(default_factory=list)
    rejection_listeners: list[RejectionListener] = field(default_factory=list)
    feedback_listeners: list[FeedbackListener] = field(default_factory=list)
    shown_cards_drop_listeners: list[ShownCardsDropListener] = field(default_factory=list)
    replay_check_listeners: list[ReplayCheckListener] = field(default_factory=list)
    # Makes the HTTP session of a hook call's FHIR fallback (observability wraps it).
    fhir_session_factory: Callable[[], requests.Session] = requests.Session
    # Where cards link to launch the bedside app (the app sets it when it is plugged in).
    launch_link: LaunchLink = _no_launch_link
    # The services offered, by id: discovery, routing and OpenAPI read them here.
    services: dict[str, CdsService] = field(default_factory=lambda: dict(SERVICES))

    def fhir_fallback(self, issuer: str | None = None) -> FhirFallback:
        """How a hook call of ``issuer`` (the authenticated caller, if any) may read what
        prefetch lacks, with the current session factory."""
        return FhirFallback(
            policy=self.fhir_policy,
            limits=self.fhir_limits,
            max_entries=self.settings.max_prefetch_entries,
            session_factory=self.fhir_session_factory,
            issuer=issuer,
        )

    def evaluation(self, host_url: str) -> Evaluation:
        """A call evaluated now; cards link under the public URL, else the host called, and
        to the app registered as :attr:`launch_link` when there is one."""
        base_url = self.settings.public_base_url or host_url.rstrip("/")
        return Evaluation(
            evaluated_at=self.clock(),
            max_age=timedelta(days=self.settings.observation_max_age_days),
            knowledge_url=base_url,
            smart_launch_url=self.launch_link(base_url),
            autolaunch_bedside_app=self.settings.autolaunch_bedside_app,
            profile=self.ehr_profile,
        )


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
        ehr_profile=ehr_profile(settings),
    )


def ehr_profile(settings: Settings) -> EhrProfile:
    """The EHR profile the settings describe (the order-code file read once, here)."""
    path = settings.ehr_order_codes_path
    return EhrProfile(
        selection_behavior=settings.selection_behavior,
        order_codes=load_order_codes(path) if path is not None else {},
        system_actions_extension=settings.system_actions_extension,
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
