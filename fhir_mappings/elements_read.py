"""Which elements of the resources in an Observation search the mapper reads.

A caller that decodes a search's JSON itself may leave every other element out: the
readings, the problems reported and the counts come out the same. The web layer uses this
to decode a hook call's prefetch cheaply (an EHR's Observation carries ``meta``,
``category``, ``performer``, ``referenceRange`` and more, which nothing here reads).
"""

from __future__ import annotations

from functools import cache

from fhir_mappings._observation_model import Observation

__all__ = ["observation_search_elements"]

# Of the other resources a search may hold: an OperationOutcome's issues say whether the
# search failed (and name the problem); any other resource type is passed over by type.
_OUTCOME_ELEMENTS = frozenset({"resourceType", "id", "issue"})


@cache
def observation_search_elements() -> frozenset[str]:
    """The elements read of each resource in an Observation search: the Observation's (the
    model of the elements read; "_status" for a status given by extension) and an
    OperationOutcome's."""
    observation = {field.alias or name for name, field in Observation.model_fields.items()}
    return frozenset(observation) | _OUTCOME_ELEMENTS
