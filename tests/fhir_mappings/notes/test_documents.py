"""Which DocumentReferences are about the patient, how they are dated, what is unreadable."""

from __future__ import annotations

from datetime import UTC, datetime

from fhir_mappings import SearchResults
from fhir_mappings.notes import read_notes
from fhir_mappings.notes._cache import ReadCache
from fhir_mappings.notes._documents import about_patient, note_time
from tests.fhir_mappings.notes.corpus import phrases
from tests.fhir_mappings.resources import document_reference


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


def test_rtf_and_undecodable_notes_are_problems_without_their_text() -> None:
    rtf = document_reference()
    rtf["content"][0]["attachment"]["contentType"] = "application/rtf"
    broken = document_reference(id="d2")
    broken["content"][0]["attachment"]["data"] = "%%%"

    read = read_notes(SearchResults([rtf, broken]), "p1", phrases(), cache=ReadCache())

    assert [p.resource_id for p in read.problems] == ["d1", "d2"]
    assert read.findings == ()
