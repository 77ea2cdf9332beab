"""The app's write to the EHR goes through the same guards as its reads: a host name that
resolves to a local address is refused before any connection, with the token unsent."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from cds_service.fhir.client import FhirServerPolicy
from cds_service.smart.ehr import Ehr, WriteRefusedError


def test_a_write_to_a_name_resolving_to_loopback_is_refused_unsent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connects: list[Any] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: connects.append(address))
    ehr = Ehr("https://rebind.example.net/fhir", "the-token", policy=FhirServerPolicy())
    with pytest.raises(WriteRefusedError, match="could not be reached"):
        ehr.create({"resourceType": "QuestionnaireResponse", "status": "completed"})
    assert connects == []
