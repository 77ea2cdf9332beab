"""/try reads a pasted note: words highlighted, context marked, findings counted (issue 25)."""

from __future__ import annotations

from flask.testing import FlaskClient

NOTE = (
    "R buttock pain radiating past the knee. Denies saddle numbness. ? hop test. FHx osteoporosis."
)


def test_a_pasted_note_is_read_highlighted_and_counted(client: FlaskClient) -> None:
    response = client.post("/try", data={"note": NOTE})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    read = page[page.index('id="note-read"') :]
    assert '<mark class="note-words state-present" data-finding="pain-radiates-below-knee"' in read
    assert 'data-finding="saddle-numbness" data-state="absent"' in read
    assert "(negated)" in read
    assert 'data-finding="low-bone-density" data-state="not a finding"' in read
    assert 'data-condition="lumbar-disc-sciatica" data-status=' in page  # the note started it


def test_a_finding_entered_in_the_form_wins_over_the_note(client: FlaskClient) -> None:
    note = {"note": "Buttock pain. New saddle numbness."}

    from_note = client.post("/try", data=note).get_data(as_text=True)
    entered = client.post("/try", data=note | {"saddle-numbness": "absent"}).get_data(as_text=True)

    assert 'data-topic="red-flag"' in from_note
    assert 'data-topic="red-flag"' not in entered


def test_a_note_longer_than_the_service_reads_is_refused(client: FlaskClient) -> None:
    response = client.post("/try", data={"note": "a" * 200_001})

    assert response.status_code == 400
    assert "note" in response.get_data(as_text=True)
