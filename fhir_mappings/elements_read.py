"""Which elements of the resources in an Observation search the mapper reads.

A caller that decodes a search's JSON itself may leave every other element out: the
readings, the problems reported and the counts come out the same. Further, of a resource
that :func:`is_read_further` turns down on its screening elements alone, nothing but those
is ever read. The web layer uses both to decode a hook call's prefetch cheaply: an EHR's
Observation carries ``meta``, ``category``, ``performer``, ``referenceRange`` and more,
which nothing here reads, and most observations of a patient (vital signs, labs) are not
findings at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from fhir_mappings._codes import code_tables
from fhir_mappings._observation_model import Observation
from fhir_mappings._observations import names_finding

__all__ = ["is_read_further", "observation_search_elements", "screening_elements"]

# Of the other resources a search may hold: an OperationOutcome's issues say whether the
# search failed (and name the problem); any other resource type is passed over by type.
_OUTCOME_ELEMENTS = frozenset({"resourceType", "id", "issue"})
# What decides whether an Observation names a finding (names_finding), or has no code.
_SCREENING = frozenset({"resourceType", "id", "code", "valueCodeableConcept", "component"})


@cache
def observation_search_elements() -> frozenset[str]:
    """The elements read of each resource in an Observation search: the Observation's (the
    model of the elements read; "_status" for a status given by extension) and an
    OperationOutcome's."""
    observation = {field.alias or name for name, field in Observation.model_fields.items()}
    return frozenset(observation) | _OUTCOME_ELEMENTS


def screening_elements() -> frozenset[str]:
    """The elements :func:`is_read_further` looks at (an OperationOutcome's included)."""
    return _SCREENING | _OUTCOME_ELEMENTS


def is_read_further(screened: Mapping[str, object]) -> bool:
    """Whether any element beyond the screening ones is read of this resource: only of an
    Observation, with a code, that names a finding where the contract looks."""
    return (
        screened.get("resourceType") == "Observation"
        and isinstance(screened.get("code"), dict)
        and names_finding(screened, code_tables())
    )
