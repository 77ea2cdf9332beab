"""Notes whose text is at a url: read from fhirServer with its token, never from another host."""

from __future__ import annotations

import responses
from flask.testing import FlaskClient

from cds_service.fhir.client import FhirLimits, FhirServerPolicy
from cds_service.hooks.prefetch import FhirFallback, gather_patient_data
from cds_service.hooks.request import HookRequest
from tests.support.hook_requests import (
    FHIR_BASE,
    TOKEN,
    bundle,
)
from tests.support.notes import (
    SCIATICA_NOTE,
    details,
    extension,
    note,
    with_server,
)

URL = "/cds-services/gluteal-pain-differential"


def test_a_url_attachment_is_read_from_fhir_server_with_the_token(client: FlaskClient) -> None:
    held = note()
    held["content"] = [{"attachment": {"contentType": "text/plain", "url": "Binary/b1"}}]
    body = with_server()
    body["prefetch"]["notes"] = bundle(held)
    body["prefetch"]["questionnaireResponses"] = None
    with responses.RequestsMock() as rsps:
        rsps.get(f"{FHIR_BASE}/Binary/b1", body=SCIATICA_NOTE)
        answer = client.post(URL, json=body).get_json()

        assert rsps.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "pain-radiates-below-knee" in extension(answer)["fromNotes"]


def test_a_url_on_another_host_is_never_followed(client: FlaskClient) -> None:
    held = note()
    held["content"] = [
        {"attachment": {"contentType": "text/plain", "url": "https://evil.example.com/n.txt"}}
    ]
    body = with_server()
    body["prefetch"]["notes"] = bundle(held)
    body["prefetch"]["questionnaireResponses"] = None
    with responses.RequestsMock() as rsps:  # any call would fail the test
        answer = client.post(URL, json=body).get_json()
        assert not rsps.calls
    assert "could not be read" in details(answer)


def test_a_note_dated_in_the_future_has_no_text_fetched_and_is_said_unreadable(
    client: FlaskClient,
) -> None:
    # Review 10, item 11: a note dated after the evaluation time is unreadable; its text
    # is not even asked of the EHR.
    held = note() | {"date": "2030-01-01T00:00:00Z"}
    held["content"] = [{"attachment": {"contentType": "text/plain", "url": "Binary/b1"}}]
    body = with_server()
    body["prefetch"]["notes"] = bundle(held)
    body["prefetch"]["questionnaireResponses"] = None
    with responses.RequestsMock() as rsps:  # any call would fail the test
        answer = client.post(URL, json=body).get_json()
        assert not rsps.calls
    assert "fromNotes" not in extension(answer) or not extension(answer)["fromNotes"]
    assert "1 resource could not be read" in details(answer)


def test_a_caller_bound_to_its_servers_never_sends_its_token_to_another() -> None:
    # Review 10c: with its optional keys unsent, an issuer listed with one fhirServer
    # could name another, and the note's text was read there with the EHR's token.
    held = note()
    held["content"] = [{"attachment": {"contentType": "text/plain", "url": "Binary/b1"}}]
    body = with_server()
    body["prefetch"]["notes"] = bundle(held)
    body["prefetch"]["questionnaireResponses"] = None
    issuer = "https://issuer-a.example.org"
    policy = FhirServerPolicy(issuer_servers={issuer: ("https://ehr-a.example.org/fhir",)})
    fallback = FhirFallback(policy=policy, limits=FhirLimits(), max_entries=50, issuer=issuer)
    with responses.RequestsMock() as rsps:  # any call would fail the test
        data = gather_patient_data(HookRequest.model_validate(body), fallback)
        assert not rsps.calls
    assert data.note_attachments == {}
    assert any("could not be read" in s for s in data.shortfalls)
