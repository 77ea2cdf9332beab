"""Connections checked where they are made: a name resolving to a local address is refused."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from cds_service.fhir.client import (
    LOCAL_ADDRESS_REFUSAL,
    FhirLimits,
    FhirServerPolicy,
    FhirServerRefusedError,
)
from tests.support.hook_requests import (
    without_prefetch,
)
from tests.support.slow_peers import fhir_client, serving, trickle

URL = "/cds-services/gluteal-pain-differential"


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo
    connected: list[object] = []

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        # A hostile DNS: its public-looking name answers with the cloud metadata address.
        return real("169.254.169.254" if host == "ehr.rebind.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connected.append(args))
    response = client.post(URL, json=without_prefetch(fhirServer="https://ehr.rebind.test/fhir"))

    assert response.status_code == 400
    assert response.get_json() == {"error": f"fhirServer: {LOCAL_ADDRESS_REFUSAL}"}
    assert not connected


def test_a_name_resolving_to_loopback_is_not_connected_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        # What a hostile DNS answers for its name: the service's own loopback.
        return real("127.0.0.1" if host == "ehr.rebind.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with serving(trickle(0.2)) as peer:
        client = fhir_client(
            f"http://ehr.rebind.test:{peer.port}/fhir", FhirLimits(), FhirServerPolicy()
        )
        with pytest.raises(FhirServerRefusedError):
            client.read("Patient/1")
        client.close()
        time.sleep(0.2)

        assert peer.connections == 0
