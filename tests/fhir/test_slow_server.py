"""The FHIR client against real misbehaving servers on loopback (issue 15, items 1-3).

A server sending a byte every fifth of a second must not hold the call past its budget;
a 200 MB answer must be cut off without the memory it would take. (A name that resolves to
loopback: test_guard.py.)
"""

from __future__ import annotations

import resource
import time

import pytest

from cds_service.fhir.client import (
    FhirBudgetSpentError,
    FhirLimits,
    FhirReadError,
    FhirUnreadableError,
)
from tests.support.slow_peers import fhir_client, huge, serving, trickle


def test_a_trickling_server_cannot_hold_a_read_past_the_budget() -> None:
    limits = FhirLimits(read_timeout_s=5.0, time_budget_s=1.0)
    with serving(trickle(0.2)) as peer:
        client = fhir_client(peer.url, limits)
        started = time.monotonic()
        with pytest.raises(FhirBudgetSpentError):
            client.read("Patient/1")
        took = time.monotonic() - started
        client.close()

    assert took < 1.5  # the budget, and not the 5 s read timeout nor the 12 s of trickle


def test_a_trickling_server_stops_a_search_too() -> None:
    limits = FhirLimits(read_timeout_s=5.0, time_budget_s=0.8)
    with serving(trickle(0.1)) as peer:
        client = fhir_client(peer.url, limits)
        started = time.monotonic()
        with pytest.raises(FhirBudgetSpentError):
            client.search("Observation?patient=1")
        client.close()

        assert time.monotonic() - started < 1.3


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_200_mb_answer_is_cut_off_at_the_cap_without_taking_the_memory() -> None:
    limits = FhirLimits(time_budget_s=10.0, max_response_bytes=20 * 1024 * 1024)
    before = _peak_rss_mb()
    with serving(huge(200 * 1024 * 1024)) as peer:
        client = fhir_client(peer.url, limits)
        with pytest.raises(FhirUnreadableError):
            client.read("Patient/1")
        client.close()

    assert _peak_rss_mb() - before < 100  # the 20 MB read, not the 200 MB sent


def test_the_cap_counts_every_answer_of_the_call() -> None:
    limits = FhirLimits(time_budget_s=10.0, max_response_bytes=10**6, max_call_bytes=10**6)
    with serving(huge(600_000)) as peer:
        client = fhir_client(peer.url, limits)
        with pytest.raises(FhirReadError, match="not JSON"):
            client.read("Patient/1")  # read whole (it is not valid JSON), 600 kB counted
        with pytest.raises(FhirUnreadableError):
            client.read("Patient/1")  # would pass the call's 1 MB
        client.close()
