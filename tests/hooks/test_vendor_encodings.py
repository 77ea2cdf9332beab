"""Whole hook calls in encodings EHRs send but the shared vignettes do not show.

Clinical notes as Oracle Health and Epic attach them (a charset in the content type, base64
wrapped at 76 characters, a PDF beside the text), draft orders in a list instead of a Bundle
or signed as ``active``, and malformed resources that must be skipped, never a 500.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
import responses
from flask.testing import FlaskClient

from tests.support.hook_requests import (
    FHIR_BASE,
    PATIENT_ID,
    bundle,
    finding,
    hook_request,
    patient,
)
from tests.support.notes import AUTH, SCIATICA_NOTE, details, extension, note
from tests.support.orders import hip_xray, lumbar_mri, order_call, order_cards, pama_ratings

URL = "/cds-services/gluteal-pain-differential"
SELECT = "/cds-services/gluteal-pain-order-select"
SIGN = "/cds-services/gluteal-pain-order-sign"


def answer(client: FlaskClient, body: dict[str, Any], url: str = URL) -> Any:
    response = client.post(url, json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def with_note(*attachments: dict[str, Any]) -> dict[str, Any]:
    """A patient-view call whose one note holds ``attachments`` (no coded findings)."""
    held = note()
    held["content"] = [{"attachment": a} for a in attachments]
    body = hook_request()
    body["prefetch"]["observations"] = bundle()
    body["prefetch"]["notes"] = bundle(held)
    return body


def encoded(text: str, charset: str = "utf-8") -> str:
    return base64.b64encode(text.encode(charset)).decode()


# -- clinical notes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain; charset=utf-8",
        "text/plain;charset=UTF-8",
        "TEXT/PLAIN",
        'text/plain; format=flowed; charset="utf-8"',
    ],
)
def test_a_text_note_with_parameters_in_its_content_type_is_read(
    client: FlaskClient, content_type: str
) -> None:
    body = with_note({"contentType": content_type, "data": encoded(SCIATICA_NOTE)})
    assert "pain-radiates-below-knee" in extension(answer(client, body))["fromNotes"]


def test_an_html_note_with_a_charset_is_read(client: FlaskClient) -> None:
    html = "<html><body><p>R buttock pain radiating past the knee to the foot.</p></body></html>"
    body = with_note({"contentType": "text/html; charset=utf-8", "data": encoded(html)})
    assert "pain-radiates-below-knee" in extension(answer(client, body))["fromNotes"]


def test_a_latin1_note_is_decoded_by_its_charset(client: FlaskClient) -> None:
    text = "Température normale. R buttock pain radiating past the knee, 38° SLR positive."
    body = with_note(
        {"contentType": "text/plain; charset=ISO-8859-1", "data": encoded(text, "latin-1")}
    )
    found = extension(answer(client, body))["fromNotes"]
    assert "pain-radiates-below-knee" in found


def test_base64_wrapped_at_76_characters_is_read(client: FlaskClient) -> None:
    data = encoded(SCIATICA_NOTE)
    wrapped = "\r\n".join(data[i : i + 76] for i in range(0, len(data), 76))
    body = with_note({"contentType": "text/plain", "data": wrapped})
    assert "pain-radiates-below-knee" in extension(answer(client, body))["fromNotes"]


def test_the_text_content_beside_a_pdf_is_read(client: FlaskClient) -> None:
    """Oracle Health lists a note's renditions as several contents, a PDF first."""
    pdf = {"contentType": "application/pdf", "data": base64.b64encode(b"%PDF-1.4 x").decode()}
    text = {"contentType": "text/plain; charset=utf-8", "data": encoded(SCIATICA_NOTE)}
    held = note()
    held["content"] = [
        {
            "attachment": pdf,
            "format": {
                "system": "urn:oid:1.3.6.1.4.1.19376.1.2.3",
                "code": "urn:ihe:iti:xds:2017:mimeTypeSufficient",
            },
        },
        {"attachment": text},
    ]
    body = hook_request()
    body["prefetch"]["observations"] = bundle()
    body["prefetch"]["notes"] = bundle(held)
    assert "pain-radiates-below-knee" in extension(answer(client, body))["fromNotes"]


def test_a_note_that_is_only_a_pdf_reads_nothing_and_breaks_nothing(client: FlaskClient) -> None:
    pdf = {"contentType": "application/pdf", "data": base64.b64encode(b"%PDF-1.4 x").decode()}
    assert answer(client, with_note(pdf))["cards"] == []  # no complaint anywhere


def test_broken_base64_is_skipped_and_said_never_a_500(client: FlaskClient) -> None:
    body = with_note({"contentType": "text/plain", "data": "not base64 at all!!"})
    body["prefetch"]["observations"] = bundle(finding("buttock-pain"))
    assert "could not be read" in details(answer(client, body))


def test_a_binary_whose_base64_is_wrapped_at_76_characters_is_read(client: FlaskClient) -> None:
    """A url attachment answered as FHIR JSON: Binary.data wrapped as MIME base64 wraps it."""
    data = encoded(SCIATICA_NOTE)
    wrapped = "\n".join(data[i : i + 76] for i in range(0, len(data), 76))
    binary = {"resourceType": "Binary", "contentType": "text/plain", "data": wrapped}
    held = note()
    held["content"] = [{"attachment": {"contentType": "text/plain", "url": "Binary/b1"}}]
    body = hook_request(fhirServer=FHIR_BASE, fhirAuthorization=AUTH)
    body["prefetch"] |= {"observations": bundle(), "notes": bundle(held)}
    body["prefetch"]["questionnaireResponses"] = None
    with responses.RequestsMock() as rsps:
        rsps.get(f"{FHIR_BASE}/Binary/b1", json=binary)
        answered = answer(client, body)
    assert "pain-radiates-below-knee" in extension(answered)["fromNotes"]


# -- draft orders -----------------------------------------------------------------------------


def test_draft_orders_sent_as_a_list_of_resources_are_rated_like_a_bundle(
    client: FlaskClient,
) -> None:
    """CDS Hooks 2.0 says Bundle; an EHR that sends the orders as a JSON array means the same."""
    body = order_call("order-sign", hip_xray())
    body["context"]["draftOrders"] = [hip_xray()]
    rated = answer(client, body, SIGN)
    assert pama_ratings(rated) == {"ServiceRequest/xr-1": "not-appropriate"}
    assert len(order_cards(rated)) == 1


def test_draft_orders_as_a_list_of_bundle_entries_are_rated_too(client: FlaskClient) -> None:
    body = order_call("order-select", lumbar_mri(), selections=["ServiceRequest/mri-1"])
    body["context"]["draftOrders"] = [{"fullUrl": "urn:uuid:1", "resource": lumbar_mri()}]
    assert pama_ratings(answer(client, body, SELECT)) == {"ServiceRequest/mri-1": "appropriate"}


def test_a_list_holding_something_that_is_not_a_resource_is_a_400(client: FlaskClient) -> None:
    body = order_call("order-sign", hip_xray())
    body["context"]["draftOrders"] = [hip_xray(), "ServiceRequest/xr-2"]
    response = client.post(SIGN, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("context.draftOrders")


# -- malformed resources: skipped, said, never a 500 ------------------------------------------


@pytest.mark.parametrize(
    ("key", "broken"),
    [
        (
            "observations",
            {
                "resourceType": "Observation",
                "id": "o9",
                "status": "final",
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
                "subject": {"reference": f"Patient/{PATIENT_ID}"},
                "effectiveDateTime": "2026-11-18T15:00:00Z",
                "valueBoolean": "maybe",
            },
        ),
        (
            "observations",
            {
                "resourceType": "Observation",
                "id": "o8",
                "status": "final",
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
                "subject": {"reference": f"Patient/{PATIENT_ID}"},
                "effectiveDateTime": "18/11/2026",
            },
        ),
        (
            "conditions",
            {
                "resourceType": "Condition",
                "id": "c9",
                "clinicalStatus": "active",
                "code": {
                    "coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.42"}]
                },
                "subject": {"reference": f"Patient/{PATIENT_ID}"},
            },
        ),
    ],
    ids=["value-boolean-as-text", "european-date", "status-as-a-string"],
)
def test_a_malformed_resource_we_need_is_skipped_and_said(
    client: FlaskClient, key: str, broken: dict[str, Any]
) -> None:
    body = hook_request()
    body["prefetch"][key] = (
        bundle(finding("buttock-pain"), broken) if key == "observations" else bundle(broken)
    )
    assert "could not be read" in details(answer(client, body))


def test_a_patient_with_an_impossible_birth_date_is_skipped_not_a_500(client: FlaskClient) -> None:
    body = hook_request()
    body["prefetch"]["patient"] = patient() | {"birthDate": "1980-13-45"}
    answered = answer(client, body)
    assert answered["cards"]


def test_a_prefetch_sent_as_a_bare_array_is_a_400_naming_the_key(client: FlaskClient) -> None:
    body = hook_request()
    body["prefetch"]["observations"] = [finding("buttock-pain")]
    response = client.post(URL, json=body)
    assert response.status_code == 400
    assert "prefetch" in response.get_json()["error"]


def test_a_search_bundle_whose_entry_is_no_list_is_a_400_naming_it(client: FlaskClient) -> None:
    body = hook_request()
    body["prefetch"]["conditions"] = {"resourceType": "Bundle", "entry": {"resource": {}}}
    response = client.post(URL, json=body)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("prefetch.conditions.entry")
