"""Calls of the load test and a fixed-rate driver that does not hide queueing.

Call ``i`` is due at ``start + i / rate``; its latency is measured from that moment, so a
server that falls behind shows it in the percentiles (no coordinated omission).
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from bench.hook_bodies import order_select_request, patient_view_request

PATIENT_VIEW = "/cds-services/gluteal-pain-differential"
ORDER_SELECT = "/cds-services/gluteal-pain-order-select"
FEEDBACK = f"{PATIENT_VIEW}/feedback"
# Out of every 10 calls: 5 patient-view, 3 order-select, 2 feedback.
MIX = ("patient-view",) * 5 + ("order-select",) * 3 + ("feedback",) * 2


def patient_view() -> tuple[str, dict[str, Any]]:
    """A patient-view call with 50 observations, 10 of them findings."""
    return PATIENT_VIEW, patient_view_request(total=50) | {"hookInstance": str(uuid.uuid4())}


def order_select() -> tuple[str, dict[str, Any]]:
    """An order-select call with a drafted hip X-ray selected (50 observations)."""
    body = order_select_request(total=50) | {"hookInstance": str(uuid.uuid4())}
    return ORDER_SELECT, body


def feedback() -> tuple[str, dict[str, Any]]:
    """One overridden-card feedback entry for a card of its own."""
    entry = {
        "card": str(uuid.uuid4()),
        "outcome": "overridden",
        "overrideReason": {"reason": {"code": "patient-preference"}},
        "outcomeTimestamp": "2026-11-20T15:00:00Z",
    }
    return FEEDBACK, {"feedback": [entry]}


CALLS: dict[str, Callable[[], tuple[str, dict[str, Any]]]] = {
    "patient-view": patient_view,
    "order-select": order_select,
    "feedback": feedback,
}


@dataclass(frozen=True)
class Result:
    """One call: its kind, status (0 for a transport error) and latency from its due time."""

    kind: str
    status: int
    latency_s: float


def drive(base_url: str, rate: float, seconds: float, pool_size: int = 64) -> list[Result]:
    """Send ``rate`` calls per second for ``seconds`` in the mix above; every call's result."""
    sessions = threading.local()
    count = int(rate * seconds)
    bodies = [CALLS[MIX[i % len(MIX)]]() for i in range(count)]  # built before the clock runs
    start = time.perf_counter() + 0.5

    def call(index: int) -> Result:
        if not hasattr(sessions, "session"):
            sessions.session = requests.Session()
        path, body = bodies[index]
        due = start + index / rate
        try:
            status = sessions.session.post(base_url + path, json=body, timeout=10).status_code
        except requests.RequestException:
            status = 0
        return Result(MIX[index % len(MIX)], status, time.perf_counter() - due)

    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        futures = []
        for index in range(count):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(call, index))
        return [future.result() for future in futures]


def percentiles(latencies: list[float]) -> dict[str, float]:
    """p50 / p90 / p99 / max in milliseconds."""
    if len(latencies) < 2:
        return {}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50": cuts[49] * 1000,
        "p90": cuts[89] * 1000,
        "p99": cuts[98] * 1000,
        "max": max(latencies) * 1000,
    }
