"""The read cache: a note read once is not read again, and the cache stays bounded."""

from __future__ import annotations

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
