"""Clinical notes in a hook call, end to end (contract sections 2 and 3a, issue 25)."""

from __future__ import annotations

import logging
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
from tests.support.notes import (
    details,
    extension,
    note,
    with_server,
)
from tests.support.orders import lumbar_mri, order_call, topic

URL = "/cds-services/gluteal-pain-differential"


def call(client: FlaskClient, *notes: dict[str, Any], observations: Any = None) -> Any:
    body = hook_request()
    body["prefetch"]["notes"] = bundle(*notes)
    if observations is not None:
        body["prefetch"]["observations"] = observations
    response = client.post(URL, json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_findings_read_from_a_note_are_quoted_and_listed_under_from_notes(
    client: FlaskClient,
) -> None:
    answer = call(client, note())

    assert extension(answer)["fromNotes"]["pain-radiates-below-knee"] == "DocumentReference/note-1"
    assert extension(answer)["conditions"][0]["code"] == "lumbar-disc-sciatica"
    assert "read from a note: “5 weeks of R buttock pain radiating past the knee" in details(answer)


def test_negated_red_flags_in_a_note_raise_none(client: FlaskClient) -> None:
    answer = call(client, note("Buttock pain. Denies saddle numbness, no bladder or bowel change."))

    assert extension(answer)["redFlags"] == []
    assert extension(answer)["fromNotes"]["saddle-numbness"] == "DocumentReference/note-1"


def test_a_red_flag_from_a_note_alone_asks_to_confirm_and_quotes_it(client: FlaskClient) -> None:
    answer = call(client, note("Buttock pain. New saddle numbness since yesterday."))

    flag = next(c for c in answer["cards"] if c["indicator"] == "critical")
    assert "read from a note: confirm" in (flag["summary"] + flag.get("detail", "")).lower()
    assert "New saddle numbness since yesterday." in flag.get("detail", "")


def test_another_patients_note_is_never_read(client: FlaskClient) -> None:
    answer = call(client, note(subject="Patient/someone-else"), note(note_id="n2", subject=""))

    assert "fromNotes" not in extension(answer)
    assert "could not be read" in details(answer)


def test_entered_in_error_and_superseded_notes_are_skipped(client: FlaskClient) -> None:
    answer = call(
        client, note(docStatus="entered-in-error"), note(note_id="n2", status="superseded")
    )

    assert "fromNotes" not in extension(answer)


def test_a_coded_observation_of_the_same_day_or_newer_wins_over_the_note(
    client: FlaskClient,
) -> None:
    coded = finding("straight-leg-raise-positive", present=False, obs_id="obs-2")
    coded["effectiveDateTime"] = "2026-11-19T09:00:00Z"  # earlier the same day as the note
    answer = call(client, note(), observations=bundle(finding("buttock-pain"), coded))

    assert "straight-leg-raise-positive" not in extension(answer)["fromNotes"]


def test_a_newer_note_wins_over_an_older_observation(client: FlaskClient) -> None:
    coded = finding("straight-leg-raise-positive", present=False, obs_id="obs-2")
    coded["effectiveDateTime"] = "2026-11-10T09:00:00Z"
    answer = call(client, note(), observations=bundle(finding("buttock-pain"), coded))

    assert "straight-leg-raise-positive" in extension(answer)["fromNotes"]


def test_an_undated_note_never_makes_a_test_done_and_loses_to_coded_findings(
    client: FlaskClient,
) -> None:
    coded = finding("saddle-numbness", present=False, obs_id="obs-2")
    coded["effectiveDateTime"] = "2026-10-10T09:00:00Z"  # older, but the note has no date
    text = "Buttock pain. SLR positive. Saddle numbness."
    answer = call(
        client, note(text, date=None), observations=bundle(finding("buttock-pain"), coded)
    )

    from_notes = extension(answer).get("fromNotes", {})
    assert "straight-leg-raise-positive" not in from_notes
    assert "saddle-numbness" not in from_notes


def test_note_text_never_reaches_the_logs_even_at_debug(
    client: FlaskClient, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)

    call(client, note("Zanzibar buttock pain, numbness quokka."), note(note_id="x", subject="P/1"))

    printed = capfd.readouterr()
    for secret in ("Zanzibar", "quokka"):
        assert secret not in caplog.text + printed.out + printed.err


def test_absent_notes_are_fetched_and_an_unsupported_search_is_no_412(
    client: FlaskClient,
) -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(f"{FHIR_BASE}/QuestionnaireResponse", json=bundle())
        rsps.get(f"{FHIR_BASE}/DocumentReference", status=400, json={})
        response = client.post(URL, json=with_server())

        assert response.status_code == 200
        query = str(rsps.calls[-1].request.url)
        assert "category=clinical-note" in query
        assert "status=current" in query


def test_notes_alone_activate_the_differential(client: FlaskClient) -> None:
    answer = call(client, note(), observations=bundle())

    assert extension(answer)["conditions"][0]["code"] == "lumbar-disc-sciatica"
    assert patient()["id"] == PATIENT_ID


def test_on_the_order_hooks_a_red_flag_from_a_note_alone_asks_to_confirm_and_quotes_it(
    client: FlaskClient,
) -> None:
    # Contract 3a holds on every hook: a red flag a note alone raised says so and quotes it,
    # and the reasons drawn from notes are listed under fromNotes. Until this fix the order hooks
    # showed the flag as if it had been coded.
    body = order_call("order-sign", lumbar_mri())
    body["prefetch"]["notes"] = bundle(note("Buttock pain. New saddle numbness since yesterday."))
    response = client.post("/cds-services/gluteal-pain-order-sign", json=body)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()

    flag = next(c for c in answer["cards"] if c["indicator"] == "critical")
    assert "read from a note: confirm" in (flag["summary"] + flag.get("detail", "")).lower()
    assert "New saddle numbness since yesterday." in flag.get("detail", "")
    assert extension(answer)["fromNotes"]["saddle-numbness"] == "DocumentReference/note-1"


def test_an_order_rated_on_a_duration_a_note_states_quotes_the_note(client: FlaskClient) -> None:
    # Contract 3a: "every reason drawn from a note says so and quotes its words". A lumbar MRI
    # rated "not advised now: under 6 weeks" because a note says "2 weeks of" quotes it.
    body = order_call("order-sign", lumbar_mri())
    body["prefetch"]["notes"] = bundle(note("2 weeks of R buttock pain radiating past the knee."))
    response = client.post("/cds-services/gluteal-pain-order-sign", json=body)
    assert response.status_code == 200, response.get_json()

    [card] = [c for c in response.get_json()["cards"] if topic(c) == "order-appropriateness"]
    assert "under 6 weeks" in card["summary"]
    assert "read from a note" in card["detail"].lower()
    assert "2 weeks of R buttock pain radiating past the knee" in card["detail"]
