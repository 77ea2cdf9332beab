"""Prometheus metrics at ``/metrics``, correct with several gunicorn workers.

Under gunicorn, ``gluteal-cds serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` before any worker
starts, so prometheus-client keeps every value in a per-process file there and a scrape
adds the files of all workers up (the gunicorn configuration marks dead workers). Without
it (tests, ``flask run``) each app counts in its own in-process registry.

prometheus-client is used directly rather than through prometheus-flask-exporter: the
multiprocess set-up above is the part that needs care under gunicorn, and the exporter's
gunicorn mode wants its own metrics port and server hooks; per-route counting is one
``after_request`` function (:mod:`cds_service.ops.observability`) labelled by route pattern.

Nothing here knows routes: hook calls arrive as
:class:`~cds_service.hooks.events.HookCallEvent`, FHIR calls from the fallback's session,
rejections, feedback and shown cards not recorded through the runtime's listener lists.
"""

from __future__ import annotations

import hmac
import os
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from cards.card_subjects import card_subjects
from cds_service.hooks.events import HookCallEvent
from cds_service.runtime import runtime

__all__ = [
    "FHIR_LATENCY_BUCKETS",
    "HOOK_LATENCY_BUCKETS",
    "MULTIPROC_ENV",
    "Metrics",
    "build_metrics",
    "init_metrics",
    "metrics_of",
]

_EXTENSION_KEY = "gluteal_cds_metrics"

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# The EHR waits about 500 ms: fine steps below it, coarse ones up to the worker timeout.
HOOK_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0)
FHIR_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0)
# Rejections of a token whose signature was verified: they tell an attacker nothing new.
_SIGNED_REASONS = frozenset(
    {
        "missing-token",
        "wrong-audience",
        "expired",
        "not-yet-valid",
        "too-long-lived",
        "missing-claim",
        "replayed",
        "replay-check-failed",
    }
)
# Methods as labels: anything else a caller sends is "other", so labels stay few.
_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"})


@dataclass(frozen=True)
class Metrics:
    """The service's metrics and the registry that holds them."""

    registry: CollectorRegistry
    hook_requests: Counter
    hook_latency: Histogram
    cards: Counter
    fhir_calls: Counter
    fhir_latency: Histogram
    jwt_rejections: Counter
    replay_check_events: Counter
    feedback: Counter
    http_responses: Counter
    build_info: Gauge
    other_patients: Counter
    shown_cards_dropped: Counter

    def observe_response(self, route: str, method: str, status: int) -> None:
        """Count one answer of any route, errors included, by route pattern and status."""
        method = method if method in _METHODS else "other"
        self.http_responses.labels(route, method, str(status)).inc()

    def record_build(self, knowledge_version: str) -> None:
        """Set ``gluteal_cds_build_info`` to 1 for this version, knowledge base and Python."""
        self.build_info.labels(
            _package_version(), knowledge_version, platform.python_version()
        ).set(1)

    def observe_hook(self, event: HookCallEvent) -> None:
        """Count one answered hook call, its latency and its cards by topic."""
        labels = (event.service_id, event.hook)
        self.hook_requests.labels(*labels, str(event.status)).inc()
        self.hook_latency.labels(*labels).observe(event.latency_s)
        for card in event.cards:
            self.cards.labels(event.service_id, card_subjects(card).topic).inc()
        if event.other_patients:
            self.other_patients.labels(event.service_id).inc(event.other_patients)

    def observe_fhir_call(self, seconds: float, outcome: str) -> None:
        """Count one call to an EHR's FHIR server (``ok``, ``http-error``, ``timeout``...)."""
        self.fhir_calls.labels(outcome).inc()
        self.fhir_latency.observe(seconds)

    def record_jwt_rejection(self, reason: str) -> None:
        """Count a caller refused for ``reason`` (a rejection code, never the token).

        Reasons decided before the signature is verified are counted as one,
        ``invalid-token``: told apart, they would let anyone list the trusted issuers and
        their key ids by sending forged tokens and watching the counts (issue 24).
        """
        reason = str(reason)
        self.jwt_rejections.labels(reason if reason in _SIGNED_REASONS else "invalid-token").inc()

    def record_replay_check_event(self, event: str) -> None:
        """Count a replay check done without the database (``degraded``) or a ``late-replay``."""
        self.replay_check_events.labels(event).inc()

    def record_shown_cards_dropped(self, reason: str, rows: int) -> None:
        """Count shown-card rows the store gave up on (``queue-full``, ``refused``, ...)."""
        self.shown_cards_dropped.labels(reason).inc(rows)

    def record_feedback(self, service_id: str, outcome: str) -> None:
        """Count one stored feedback entry by its outcome (accepted / overridden)."""
        self.feedback.labels(service_id, outcome).inc()

    def exposition(self) -> bytes:
        """The text format of every metric; in multiprocess mode, of all workers together."""
        directory = os.environ.get(MULTIPROC_ENV)
        if not directory:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        return generate_latest(registry)


def _package_version() -> str:
    try:
        return version("gluteal-cds")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def build_metrics() -> Metrics:
    """Fresh metrics in a registry of their own (so several apps in one process never clash)."""
    registry = CollectorRegistry()

    def counter(name: str, documentation: str, *labels: str) -> Counter:
        return Counter(f"gluteal_cds_{name}", documentation, labels, registry=registry)

    def histogram(
        name: str, documentation: str, buckets: Sequence[float], *labels: str
    ) -> Histogram:
        return Histogram(
            f"gluteal_cds_{name}", documentation, labels, buckets=buckets, registry=registry
        )

    return Metrics(
        registry=registry,
        hook_requests=counter(
            "hook_requests",
            "Hook calls answered, by service, hook and HTTP status",
            "service",
            "hook",
            "status",
        ),
        hook_latency=histogram(
            "hook_latency_seconds",
            "Time to answer a hook call, FHIR fallback included",
            HOOK_LATENCY_BUCKETS,
            "service",
            "hook",
        ),
        cards=counter("cards", "Cards returned, by service and card topic", "service", "topic"),
        fhir_calls=counter(
            "fhir_calls", "Calls of the FHIR fallback to the EHR's server, by outcome", "outcome"
        ),
        fhir_latency=histogram(
            "fhir_call_latency_seconds",
            "Time of one call to the EHR's FHIR server",
            FHIR_LATENCY_BUCKETS,
        ),
        jwt_rejections=counter("jwt_rejections", "Callers refused, by reason", "reason"),
        replay_check_events=counter(
            "replay_check_events",
            "Caller tokens accepted on a worker's memory while the database could not answer "
            "(degraded), and replays of those found once it answered (late-replay)",
            "event",
        ),
        feedback=counter(
            "feedback", "Feedback entries stored, by service and outcome", "service", "outcome"
        ),
        http_responses=counter(
            "http_responses",
            "Answers of every route, errors included, by route pattern, method and HTTP status",
            "route",
            "method",
            "status",
        ),
        other_patients=counter(
            "resources_other_patient",
            "Resources left out of a hook call because they were not about its patient "
            "(prefetch or FHIR server), by service",
            "service",
        ),
        shown_cards_dropped=counter(
            "shown_cards_dropped",
            "Shown cards not recorded (so their feedback cannot be joined), by reason: "
            "queue-full, refused, unavailable (after retries)",
            "reason",
        ),
        # The same in every worker: "max" shows it once, not once per process.
        build_info=Gauge(
            "gluteal_cds_build_info",
            "Always 1; the labels say which version, knowledge base and Python answer",
            ("version", "knowledge_version", "python"),
            registry=registry,
            multiprocess_mode="max",
        ),
    )


metrics_blueprint = Blueprint("metrics", __name__)


@metrics_blueprint.get("/metrics")
def scrape() -> Response:
    """The Prometheus text exposition of this service (all workers under gunicorn).

    Only for a scrape that sends ``Authorization: Bearer <GLUTEAL_CDS_METRICS_TOKEN>``; off
    (403) while no token is set: the counts say how the service is used and refused, which
    is the operator's business only (issue 24).
    """
    expected = runtime().settings.metrics_token
    if not expected:
        return _refused(403, "metrics are off: set GLUTEAL_CDS_METRICS_TOKEN to scrape them")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), expected.encode()
    ):
        refusal = _refused(401, "unauthorized")
        refusal.headers["WWW-Authenticate"] = "Bearer"
        return refusal
    return Response(metrics_of(current_app).exposition(), content_type=CONTENT_TYPE_LATEST)


def _refused(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response


def init_metrics(app: Flask) -> Metrics:
    """Build the metrics of ``app``; ``create_app`` registers :data:`metrics_blueprint`."""
    metrics = build_metrics()
    app.extensions[_EXTENSION_KEY] = metrics
    return metrics


def metrics_of(app: Flask) -> Metrics:
    """The metrics :func:`init_metrics` built for ``app``."""
    metrics = app.extensions.get(_EXTENSION_KEY)
    assert isinstance(metrics, Metrics)  # noqa: S101 - create_app always builds them
    return metrics
