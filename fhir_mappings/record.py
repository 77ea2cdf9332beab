"""What the mappers hand back: FHIR-free, immutable results and the package's exception."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from differential.model import Sex  # one definition: the reasoner's

__all__ = ["DataProblem", "FindingSource", "MappingError", "PatientRecord", "SearchResults", "Sex"]


class MappingError(Exception):
    """Base of every error raised by ``fhir_mappings`` (input that cannot be mapped at all)."""


@dataclass(frozen=True)
class DataProblem:
    """Something the EHR sent that could not be read. Never carries patient data."""

    resource_type: str  # e.g. "Observation", "OperationOutcome", or "Bundle.entry"
    resource_id: str | None
    reason: str  # short, built from element paths and error kinds only


@dataclass(frozen=True)
class FindingSource:
    """The observation (or questionnaire answer) that decided a finding."""

    finding: str
    present: bool
    resource_id: str | None
    effective: datetime


@dataclass(frozen=True)
class PatientRecord:
    """A patient's findings, diagnoses and demographics in the contract's codes.

    ``findings`` maps a finding code to True (present) or False (absent); a finding that is
    not a key is unknown. ``ignored`` counts observations that named a finding but did not
    count (status, age, no date, or a value that is neither present nor absent).
    """

    findings: Mapping[str, bool] = field(default_factory=dict)
    diagnoses: frozenset[str] = frozenset()
    sex: Sex | None = None
    age_years: int | None = None
    sources: tuple[FindingSource, ...] = ()
    problems: tuple[DataProblem, ...] = ()
    ignored: int = 0
    # Findings a clinical note decided (contract 3a): code -> notes.NoteSource (reference,
    # quote, time). Typed loosely here so that the record does not import the note reader.
    from_notes: Mapping[str, Any] = field(default_factory=dict)
    # When each finding was first recorded present, and first recorded absent, by any
    # counted record (contract 5, "done means dated": a complaint recorded again at each
    # visit is not new since an earlier result).
    first_present_at: Mapping[str, datetime] = field(default_factory=dict)
    first_absent_at: Mapping[str, datetime] = field(default_factory=dict)
    # When each complaint began, by the earliest period start of an Observation of it.
    onset_at: Mapping[str, datetime] = field(default_factory=dict)
    # Every counted record's (time, present?) per finding, oldest first: whether a complaint
    # was there when a result was taken (a complaint gone then and back since is new).
    recorded_states: Mapping[str, tuple[tuple[datetime, bool], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResults:
    """Resources already taken out of their searchset Bundle(s), e.g. merged search pages.

    Pass one to :func:`fhir_mappings.map_patient_record` instead of wrapping the resources
    in a Bundle again; each is read as a Bundle entry's resource would be.
    """

    resources: Sequence[Mapping[str, object]]
