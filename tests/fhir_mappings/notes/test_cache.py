"""The read cache: a note read once is not read again, and the cache stays bounded."""

from __future__ import annotations

from dataclasses import replace

from fhir_mappings import SearchResults
from fhir_mappings.notes import read_notes
from fhir_mappings.notes._cache import ReadCache
from tests.fhir_mappings.notes.corpus import phrases
from tests.fhir_mappings.resources import document_reference


def test_a_note_read_once_is_not_read_again() -> None:
    cache = ReadCache()
    versioned = document_reference(meta={"versionId": "1"})

    read_notes(SearchResults([versioned]), "p1", phrases(), cache=cache)
    again = read_notes(SearchResults([versioned]), "p1", phrases(), cache=cache)

    assert (cache.misses, cache.hits) == (1, 1)
    assert again.findings[0].finding == "buttock-pain"


def test_the_read_cache_is_bounded() -> None:
    cache = ReadCache(capacity=3)
    notes = [document_reference(f"Buttock pain {n}.", id=f"d{n}") for n in range(5)]

    read_notes(SearchResults(notes), "p1", phrases(), cache=cache)

    assert len(cache) == 3


def test_the_same_id_and_version_from_another_server_is_read_by_its_own_words() -> None:
    # Two EHRs served by one process can both have DocumentReference/d1 version 1: a
    # finding read from one patient's note must never be handed to another's.
    cache = ReadCache()
    first = document_reference("Buttock pain radiating past the knee.", meta={"versionId": "1"})
    second = document_reference("Fever since yesterday.", meta={"versionId": "1"})

    read_notes(SearchResults([first]), "p1", phrases(), cache=cache)
    other = read_notes(SearchResults([second]), "p1", phrases(), cache=cache)

    assert {f.finding for f in other.findings} == {"fever"}


def test_a_reading_under_other_phrases_is_not_reused() -> None:
    cache = ReadCache()
    note = document_reference("Afebrile. Buttock pain.", meta={"versionId": "1"})
    fewer = replace(phrases(), absent_masks=(), targets=phrases().targets[:3])

    read_notes(SearchResults([note]), "p1", fewer, cache=cache)
    full = read_notes(SearchResults([note]), "p1", phrases(), cache=cache)

    assert {f.finding for f in full.findings} >= {"fever", "buttock-pain"}
