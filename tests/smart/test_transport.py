"""The app's calls to an EHR's authorisation side are guarded: a slow or huge answer, or a
host name resolving to a local address, costs seconds and kilobytes, never the worker."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from cds_service.fhir.client import FhirServerPolicy
from cds_service.smart.transport import PeerError, PeerLimits, call_peer
from tests.support.slow_peers import huge, serving, trickle

LOCAL = FhirServerPolicy(allow_http=True)  # local testing: the peers run on loopback


def test_a_trickling_peer_is_cut_off_at_the_deadline() -> None:
    with serving(trickle(0.2)) as peer:
        started = time.monotonic()
        with pytest.raises(PeerError):
            call_peer("GET", peer.url, policy=LOCAL, limits=PeerLimits(deadline_s=1.0))
        assert time.monotonic() - started < 2.0


def test_a_huge_answer_is_refused_past_the_size_cap() -> None:
    with serving(huge(400 * 1024 * 1024)) as peer:
        started = time.monotonic()
        with pytest.raises(PeerError, match="larger"):
            call_peer("GET", peer.url, policy=LOCAL, limits=PeerLimits(max_bytes=64 * 1024))
        assert time.monotonic() - started < 2.0


def test_a_name_resolving_to_loopback_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connects: list[Any] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connects.append(address))
    with pytest.raises(PeerError, match="not one this service may call"):
        call_peer(
            "POST",
            "https://rebind.attacker.example/token",
            policy=FhirServerPolicy(),
            limits=PeerLimits(),
            data={"client_secret": "x"},
        )
    assert connects == []


@pytest.mark.parametrize(
    "url", ["http://ehr.example.org/token", "https://user@ehr.example.org/t", "https://[::1]/t"]
)
def test_plain_http_user_parts_and_local_literals_are_refused_without_a_call(url: str) -> None:
    with pytest.raises(PeerError):
        call_peer("POST", url, policy=FhirServerPolicy(), limits=PeerLimits())
