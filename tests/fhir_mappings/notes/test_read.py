"""Reading a patient's notes: which are read, which are fetched, and the onsets they state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fhir_mappings import SearchResults
from fhir_mappings.notes import attachment_urls, note_onsets, read_notes
from fhir_mappings.notes._cache import ReadCache
from fhir_mappings.notes._read import MAX_NOTES
from tests.fhir_mappings.notes.corpus import phrases, read
from tests.fhir_mappings.resources import document_reference


def test_only_the_twenty_newest_notes_are_read() -> None:
    notes = [
        document_reference(id=f"d{day}", date=f"2026-10-{day:02d}T08:00:00Z")
        for day in range(1, MAX_NOTES + 6)
    ]

    read = read_notes(SearchResults(notes), "p1", phrases(), cache=ReadCache())

    assert read.notes_read == MAX_NOTES
    assert {f.reference for f in read.findings} == {f"DocumentReference/d{d}" for d in range(6, 26)}


def test_attachment_urls_are_only_for_this_patients_notes_without_inline_text() -> None:
    held = document_reference()
    held["content"] = [{"attachment": {"contentType": "text/html", "url": "Binary/1"}}]
    other = document_reference(id="d2", subject={"reference": "Patient/p2"})
    other["content"] = held["content"]
    pdf = document_reference(id="d3")
    pdf["content"] = [{"attachment": {"contentType": "application/pdf", "url": "Binary/3"}}]

    assert attachment_urls([held, other, pdf, document_reference(id="d4")], "p1") == ["Binary/1"]


def test_a_stated_duration_dates_the_onset_back_from_the_note() -> None:
    note = document_reference("3/52 of buttock pain.", date="2026-11-19T00:00:00Z")

    read = read_notes(SearchResults([note]), "p1", phrases(), cache=ReadCache())

    assert [o.when for o in read.onsets] == [datetime(2026, 10, 29, tzinfo=UTC)]
    # The onset keeps the note's time, so the age window lets it date the duration (the
    # duration was dropped when it did not: vignette 30 then had no duration at all).
    now = datetime(2026, 11, 20, tzinfo=UTC)
    assert [o.at for o in note_onsets(read, evaluated_at=now, max_age=timedelta(days=180))] == [
        datetime(2026, 10, 29, tzinfo=UTC)
    ]


@pytest.mark.parametrize(
    ("text", "over_six_weeks"),
    [
        ("A month of aggravating right buttock pain.", False),
        ("A year of buttock pain.", True),
        ("Six months of intermittent claudication of the thigh and calf.", True),
        ("Four months of sciatica despite physical therapy.", True),
    ],
)
def test_a_duration_in_published_case_prose_dates_the_pain(text: str, over_six_weeks: bool) -> None:
    assert read(text).get("symptoms-over-6-weeks") is over_six_weeks


def test_training_volume_a_week_is_no_duration() -> None:
    assert "symptoms-over-6-weeks" not in read("Runs 50 km a week, buttock pain since the race.")


def test_a_year_of_something_else_does_not_date_the_pain() -> None:
    # review, session 9: "for a year" read the running's year as the pain's
    text = "Has been running for a year; buttock pain for 2 weeks."
    assert read(text)["symptoms-over-6-weeks"] is False
