"""The contract's machine-readable differential (section 5), shared by the cards carrying it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import JsonValue

from differential.model import Candidate, Differential, Evidence

__all__ = ["DIFFERENTIAL_EXTENSION", "differential_extension"]

DIFFERENTIAL_EXTENSION = "https://gluteal-cds.org/cds-hooks/differential"


def differential_extension(
    differential: Differential, from_notes: Mapping[str, str] | None = None
) -> dict[str, JsonValue]:
    """The machine-readable differential, exactly in the contract's shape (section 5);
    ``fromNotes`` (finding code -> ``DocumentReference/<id>``) when notes decided findings."""
    extension: dict[str, JsonValue] = {
        "knowledgeVersion": differential.knowledge_version,
        "conditions": [_condition_entry(c, differential.other_code) for c in _ranked(differential)],
        "nextTests": _unique(t.code for t in differential.next_tests),
        "avoidTests": _unique(t.code for t in differential.avoid_tests),
        "redFlags": _unique(r.code for r in differential.red_flags),
    }
    if from_notes:
        extension["fromNotes"] = dict(from_notes)
    return extension


def _condition_entry(candidate: Candidate, other: str) -> dict[str, JsonValue]:
    entry: dict[str, JsonValue] = {
        "code": candidate.code,
        "status": candidate.status.value,
        "supporting": _finding_codes(candidate.supporting),
        "opposing": _finding_codes(candidate.opposing),
    }
    if candidate.code == other:  # the kinds of cause its findings point to (section 4)
        entry["suspected"] = list(candidate.suspected)
    return entry


def _finding_codes(evidence: Iterable[Evidence]) -> list[JsonValue]:
    # Only contract finding codes go out; sex or a recorded diagnosis are not findings.
    return _unique(e.finding for e in evidence if e.kind == "finding")


def _unique(codes: Iterable[str]) -> list[JsonValue]:
    return list(dict.fromkeys(codes))


def _ranked(differential: Differential) -> list[Candidate]:
    return sorted(differential.candidates, key=lambda candidate: candidate.rank)
