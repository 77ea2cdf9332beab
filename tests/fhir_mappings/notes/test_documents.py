"""Which DocumentReferences are read, how they are dated, and what is unreadable."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from fhir_mappings import SearchResults
from fhir_mappings.notes import attachment_urls, note_onsets, read_notes
from fhir_mappings.notes._cache import ReadCache
from fhir_mappings.notes._documents import about_patient, note_time
from fhir_mappings.notes._read import MAX_NOTES
from tests.fhir_mappings.notes.corpus import phrases


def doc(text: str = "Buttock pain.", **extra: Any) -> dict[str, Any]:
    data = base64.b64encode(text.encode()).decode()
    return {
        "resourceType": "DocumentReference",
        "id": extra.pop("id", "d1"),
        "status": "current",
        "subject": {"reference": "Patient/p1"},
        "content": [{"attachment": {"contentType": "text/plain", "data": data}}],
    } | extra


def test_the_subject_must_be_this_patient_relative_absolute_or_versioned() -> None:
    base = "https://ehr.example.org/fhir"
    for reference in ("Patient/p1", f"{base}/Patient/p1", "Patient/p1/_history/3"):
        assert about_patient({"subject": {"reference": reference}}, "p1", base)
    for reference in ("Patient/p2", "Patient/p10", "https://other.org/fhir/Patient/p1", ""):
        assert not about_patient({"subject": {"reference": reference}}, "p1", base)
    assert not about_patient({}, "p1")


def test_a_note_is_dated_by_its_period_then_date_then_creation_never_last_updated() -> None:
    creation = {"content": [{"attachment": {"creation": "2026-10-01T08:00:00Z"}}]}
    dated = creation | {"date": "2026-10-02T08:00:00Z"}
    period = dated | {"context": {"period": {"start": "2026-10-03T08:00:00+01:00"}}}

    assert note_time(creation) == datetime(2026, 10, 1, 8, tzinfo=UTC)
    assert note_time(dated) == datetime(2026, 10, 2, 8, tzinfo=UTC)
    assert note_time(period) == datetime(2026, 10, 3, 7, tzinfo=UTC)
    assert note_time({"meta": {"lastUpdated": "2026-10-04T08:00:00Z"}}) is None


def test_only_the_twenty_newest_notes_are_read() -> None:
    notes = [
        doc(id=f"d{day}", date=f"2026-10-{day:02d}T08:00:00Z") for day in range(1, MAX_NOTES + 6)
    ]

    read = read_notes(SearchResults(notes), "p1", phrases(), cache=ReadCache())

    assert read.notes_read == MAX_NOTES
    assert {f.reference for f in read.findings} == {f"DocumentReference/d{d}" for d in range(6, 26)}


def test_rtf_and_undecodable_notes_are_problems_without_their_text() -> None:
    rtf = doc()
    rtf["content"][0]["attachment"]["contentType"] = "application/rtf"
    broken = doc(id="d2")
    broken["content"][0]["attachment"]["data"] = "%%%"

    read = read_notes(SearchResults([rtf, broken]), "p1", phrases(), cache=ReadCache())

    assert [p.resource_id for p in read.problems] == ["d1", "d2"]
    assert read.findings == ()


def test_a_note_read_once_is_not_read_again() -> None:
    cache = ReadCache()
    versioned = doc(meta={"versionId": "1"})

    read_notes(SearchResults([versioned]), "p1", phrases(), cache=cache)
    again = read_notes(SearchResults([versioned]), "p1", phrases(), cache=cache)

    assert (cache.misses, cache.hits) == (1, 1)
    assert again.findings[0].finding == "buttock-pain"


def test_the_read_cache_is_bounded() -> None:
    cache = ReadCache(capacity=3)
    notes = [doc(f"Buttock pain {n}.", id=f"d{n}") for n in range(5)]

    read_notes(SearchResults(notes), "p1", phrases(), cache=cache)

    assert len(cache) == 3


def test_attachment_urls_are_only_for_this_patients_notes_without_inline_text() -> None:
    held = doc()
    held["content"] = [{"attachment": {"contentType": "text/html", "url": "Binary/1"}}]
    other = doc(id="d2", subject={"reference": "Patient/p2"})
    other["content"] = held["content"]
    pdf = doc(id="d3")
    pdf["content"] = [{"attachment": {"contentType": "application/pdf", "url": "Binary/3"}}]

    assert attachment_urls([held, other, pdf, doc(id="d4")], "p1") == ["Binary/1"]


def test_a_stated_duration_dates_the_onset_back_from_the_note() -> None:
    note = doc("3/52 of buttock pain.", date="2026-11-19T00:00:00Z")

    read = read_notes(SearchResults([note]), "p1", phrases(), cache=ReadCache())

    assert [o.when for o in read.onsets] == [datetime(2026, 10, 29, tzinfo=UTC)]
    # The onset keeps the note's time, so the age window lets it date the duration (the
    # duration was dropped when it did not: vignette 30 then had no duration at all).
    now = datetime(2026, 11, 20, tzinfo=UTC)
    assert [o.at for o in note_onsets(read, evaluated_at=now, max_age=timedelta(days=180))] == [
        datetime(2026, 10, 29, tzinfo=UTC)
    ]
