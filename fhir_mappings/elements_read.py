"""What the mapper reads of the resources in an Observation search, for callers that decode
the search's JSON themselves.

:func:`observation_search_elements` are the only elements read of any resource; a caller
may leave every other element out. :func:`screen` tells, from the screening elements alone,
whether the rest is read at all and whether the resource leaves any trace. The web layer
uses both to decode a hook call's prefetch cheaply: an EHR's Observation carries ``meta``,
``category``, ``performer``, ``referenceRange`` and more, which nothing here reads, and
most observations of a patient (vital signs, labs) are not findings at all. The readings,
problems and counts of :func:`fhir_mappings.map_patient_record` come out the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from functools import cache

from fhir_mappings._observation_model import Observation
from fhir_mappings._observations import names_finding
from terminology import code_tables

__all__ = ["Screening", "observation_search_elements", "screen", "screening_elements"]

# Of the other resources a search may hold: an OperationOutcome's issues say whether the
# search failed (and name the problem); any other resource type is passed over by type.
_OUTCOME_ELEMENTS = frozenset({"resourceType", "id", "issue"})
# What decides whether an Observation names a finding (names_finding), or has no code.
_SCREENING = frozenset({"resourceType", "id", "code", "valueCodeableConcept", "component"})
# Whom an Observation that is read is about (fhir_mappings.subject); not validated.
_SUBJECT = frozenset({"subject"})


class Screening(Enum):
    """What the mapper does with a resource of an Observation search."""

    READ = "read"  # an Observation naming a finding: every element of the search is read
    SCREENED = "screened"  # only its screening elements are read (a problem, an outcome)
    PASSED_OVER = "passed over"  # no trace at all: it may be left out of the search whole


@cache
def observation_search_elements() -> frozenset[str]:
    """The elements read of each resource in an Observation search: the Observation's (the
    model of the elements read; "_status" for a status given by extension; its subject) and
    an OperationOutcome's."""
    observation = {field.alias or name for name, field in Observation.model_fields.items()}
    return frozenset(observation) | _SUBJECT | _OUTCOME_ELEMENTS


def screening_elements() -> frozenset[str]:
    """The elements :func:`screen` looks at (an OperationOutcome's included)."""
    return _SCREENING | _OUTCOME_ELEMENTS


def screen(screened: Mapping[str, object]) -> Screening:
    """What the mapper does with this resource, judged on its screening elements.

    Read: an Observation with a code that names a finding where the contract looks.
    Passed over: any other resource type, or an Observation whose code names none (a vital
    sign, a lab). Screened only: an entry without a resource type or an Observation without
    a code (both problems), and an OperationOutcome (the search may have failed).
    """
    kind = screened.get("resourceType")
    if not isinstance(kind, str) or kind == "OperationOutcome":
        return Screening.SCREENED
    if kind != "Observation":
        return Screening.PASSED_OVER
    if not isinstance(screened.get("code"), dict):
        return Screening.SCREENED
    if names_finding(screened, code_tables()):
        return Screening.READ
    return Screening.PASSED_OVER
