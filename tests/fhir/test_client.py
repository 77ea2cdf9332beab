"""The FHIR client's bounds, without the web layer."""

from __future__ import annotations

import pytest
import responses

from cds_service.fhir.client import (
    FhirBudgetSpentError,
    FhirClient,
    FhirLimits,
    FhirReadError,
    FhirServerPolicy,
)
from tests.support.hook_requests import FHIR_BASE, bundle, patient

EHR = "https://ehr.example.org/fhir"
EHR_UPPER = "https://EHR.example.org/fhir"


def test_time_budget_stops_further_reads() -> None:
    ticks = iter([0.0, 0.5, 9.0])
    client = FhirClient(
        FHIR_BASE, limits=FhirLimits(time_budget_s=8.0), monotonic=lambda: next(ticks)
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(f"{FHIR_BASE}/Patient/1", json=patient("1"))
        client.read("Patient/1")
        client.read("Patient/1")
        with pytest.raises(FhirReadError, match="time budget"):
            client.read("Patient/1")
        assert len(rsps.calls) == 2


def test_read_timeout_never_exceeds_the_remaining_budget() -> None:
    ticks = iter([0.0, 7.5])
    limits = FhirLimits(read_timeout_s=5.0, time_budget_s=8.0)
    client = FhirClient(FHIR_BASE, limits=limits, monotonic=lambda: next(ticks))
    with responses.RequestsMock() as rsps:
        rsps.get(f"{FHIR_BASE}/Observation", json=bundle())
        rsps.get(f"{FHIR_BASE}/Condition", json=bundle())
        client.search("Observation")
        client.search("Condition")
        # responses records the keyword arguments requests sent with on each request
        timeouts = [call.request.req_kwargs["timeout"] for call in rsps.calls]  # type: ignore[attr-defined]

    assert timeouts == [(2.0, 5.0), (0.5, 0.5)]


@pytest.mark.parametrize(
    ("policy", "url", "allowed"),
    [
        (FhirServerPolicy(), "https://ehr.example.org/fhir", True),
        (FhirServerPolicy(), "http://ehr.example.org/fhir", False),
        (FhirServerPolicy(allow_http=True), "http://localhost:8090/fhir", True),
        (
            FhirServerPolicy(allowlist=("https://EHR.example.org/fhir/",)),
            "https://ehr.example.org/fhir",
            True,
        ),
        (
            FhirServerPolicy(allowlist=("https://ehr.example.org/fhir",)),
            "https://ehr.example.org/fhir/",
            True,
        ),
        (
            FhirServerPolicy(allowlist=("https://ehr.example.org/fhir",)),
            "https://ehr.example.org/other",
            False,
        ),
    ],
)
def test_server_policy(policy: FhirServerPolicy, url: str, allowed: bool) -> None:
    assert (policy.refusal(url) is None) is allowed


def test_a_deadline_shared_from_the_call_is_kept_by_a_later_client() -> None:
    # Review 10c: the search and the note texts each built a client with a whole budget,
    # so a slow server held the call twice as long. A client given the call's deadline
    # reads nothing once it has passed.
    spent = FhirClient(FHIR_BASE, deadline=0.0, monotonic=lambda: 1.0)
    with responses.RequestsMock() as rsps:  # a request would fail the test
        with pytest.raises(FhirBudgetSpentError):
            spent.read("Patient/p1")
        assert not rsps.calls
