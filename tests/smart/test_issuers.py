"""Configured EHRs only, their discovery pinned, and a few launch slots per worker: a slow
EHR cannot hold every thread."""

from __future__ import annotations

import threading
import time

import pytest

from cds_service.fhir.client import FhirServerPolicy
from cds_service.smart.issuers import Issuers, LaunchBusyError, UnknownIssuerError
from cds_service.smart.transport import PeerLimits
from tests.support.slow_peers import serving, trickle


def test_only_configured_issuers_pass_compared_as_base_urls() -> None:
    issuers = Issuers(("https://EHR.example.org/fhir/",), FhirServerPolicy())
    assert issuers.check("https://ehr.example.org/fhir") == "https://EHR.example.org/fhir"
    for iss in ("https://ehr.example.org/fhir/other", "https://ehr.example.org.evil/fhir", ""):
        with pytest.raises(UnknownIssuerError):
            issuers.check(iss)


def test_a_slow_ehr_holds_at_most_its_slots_for_at_most_the_deadline() -> None:
    with serving(trickle(0.3)) as peer:
        issuers = Issuers(
            (peer.url,),
            FhirServerPolicy(allow_http=True),
            limits=PeerLimits(deadline_s=1.0),
            slots=2,
            slot_wait_s=0.1,
        )
        outcomes: list[str] = []

        def launch() -> None:
            started = time.monotonic()
            try:
                issuers.configuration(peer.url)
            except LaunchBusyError:
                outcomes.append("busy")
            except Exception as exc:  # noqa: BLE001 - the discovery failure, by kind
                outcomes.append(type(exc).__name__)
            assert time.monotonic() - started < 2.0

        threads = [threading.Thread(target=launch) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=5)
    assert outcomes.count("busy") == 4  # answered at once: the threads are free again
    assert outcomes.count("DiscoveryError") == 2
    assert peer.connections <= 2
