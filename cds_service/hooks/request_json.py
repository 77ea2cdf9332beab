"""A hook call's JSON, decoded by a schema that leaves out what nothing reads (issue 18).

A patient-view call carries the patient's recent observations: 245 kB for 200 of them as an
EHR sends them, most of it ``meta``, ``category``, ``performer``, ``referenceRange`` and
the like, and most observations are vital signs and labs rather than findings. Decoding all
of it into Python objects, and freeing them again, was about a third of a call's CPU.

Here msgspec decodes the call with a schema: each resource of ``prefetch.observations``
keeps only the elements the mapper reads (:func:`fhir_mappings.observation_search_elements`),
and one the mapper passes over without a trace (:func:`fhir_mappings.screen`) is left out;
everything else in the call is decoded whole. The schema only ever narrows: a call it does
not describe (a prefetch key or a top-level field of another name, an entry that is not an
object, ``observations`` that is not an object) is decoded again in full, so such a call
reads exactly as it did before.

Like pydantic's parser before it, this refuses what is not JSON or cannot be held safely:
NaN and Infinity anywhere, nesting deeper than Python's recursion limit anywhere (msgspec
counts depth against it, in elements it skips too), and, where a value is decoded, a
number beyond a double's range or an integer of more than 4300 digits. A number in an
element left out is checked as JSON but never converted, so its size costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import msgspec
from msgspec.structs import astuple

from cds_service.errors import InvalidRequestError
from fhir_mappings import Screening, observation_search_elements, screen, screening_elements

__all__ = ["decode_hook_call"]

_UNSET = msgspec.UNSET
_NOT_JSON = "is not valid JSON (or nested too deeply)"
# The fields of a CDS Hooks 2.0 call: a field beyond them sends the call down the full path.
_CALL_FIELDS = ("hook", "hookInstance", "fhirServer", "fhirAuthorization", "context", "extension")
_SEARCH = "observations"


def decode_hook_call(body: bytes, prefetch_keys: tuple[str, ...]) -> object:
    """The JSON of ``body``; raise :class:`InvalidRequestError` when it is not JSON.

    ``prefetch_keys`` are the service's prefetch templates: a call with only these keys
    takes the fast path.
    """
    schema = _schema(prefetch_keys)
    try:
        try:
            call = schema.decoder.decode(body)
        except msgspec.ValidationError:
            # Valid JSON of another shape (or a number out of range, refused just below).
            decoded: object = msgspec.json.decode(body)
            return decoded
        return schema.call_as_dict(call)
    except (msgspec.DecodeError, RecursionError):
        raise InvalidRequestError("body", _NOT_JSON) from None


@dataclass(frozen=True)
class _Schema:
    """The decoder of a hook call, and how its Observation search becomes dicts again.

    Each resource of the search is decoded in two parts: its screening elements (enough for
    ``fhir_mappings.screen`` to tell what the mapper does with it) as values, the other
    elements read as raw JSON, decoded only for the few resources that name a finding. A
    resource the mapper passes over without a trace (a vital sign, a lab) is left out: its
    entry stays, empty, so that the prefetch's entry limit still counts it.
    """

    decoder: msgspec.json.Decoder[Any]
    screened: tuple[str, ...]  # the resource struct's first fields
    later: tuple[str, ...]  # its other fields, raw JSON

    def call_as_dict(self, call: msgspec.Struct) -> dict[str, Any]:
        """The call as the full decode would give it, less the elements left out."""
        document = _as_dict(call)
        if (prefetch := document.get("prefetch")) is not None:
            document["prefetch"] = prefetch = _as_dict(prefetch)
            if (search := prefetch.get(_SEARCH)) is not None:
                prefetch[_SEARCH] = search = _as_dict(search)
                if "entry" in search:
                    search["entry"] = self._entries_as_dicts(search["entry"])
        return document

    def _entries_as_dicts(self, entries: list[Any]) -> list[dict[str, Any]]:
        # One loop, no call per entry but the screening: a prefetch holds hundreds of them.
        screened, later, count = self.screened, self.later, len(self.screened)
        found: list[dict[str, Any]] = []
        for entry in entries:
            if (resource := entry.resource) is _UNSET:
                found.append({})
                continue
            values = astuple(resource)
            kept = {n: v for n, v in zip(screened, values, strict=False) if v is not _UNSET}
            verdict = screen(kept)
            if verdict is Screening.PASSED_OVER:
                # Still an entry (the prefetch's entry limit counts it), with nothing in it.
                found.append({})
                continue
            if verdict is Screening.READ:
                for name, raw in zip(later, values[count:], strict=True):
                    if raw is not _UNSET:
                        kept[name] = msgspec.json.decode(raw)
            found.append({"resource": kept})
        return found


@cache
def _schema(prefetch_keys: tuple[str, ...]) -> _Schema:
    """The schema, built on first use (not at import): the call, its prefetch, and in the
    Observation search only the elements read."""
    screened = tuple(sorted(screening_elements()))
    later = tuple(sorted(observation_search_elements() - screening_elements()))
    resource = msgspec.defstruct(
        "ObservationSearchResource",
        [*_any_fields(screened), *[(name, msgspec.Raw, _UNSET) for name in later]],
    )
    entry = msgspec.defstruct("ObservationSearchEntry", [("resource", resource, _UNSET)])
    bundle = msgspec.defstruct(
        "ObservationSearch",
        [
            ("resourceType", Any, _UNSET),
            ("entry", list[entry], _UNSET),  # type: ignore[valid-type]
            # Kept: a next link says the EHR sent only a first page (contract section 2).
            ("link", Any, _UNSET),
        ],
    )
    others = [key for key in prefetch_keys if key != _SEARCH]
    prefetch = msgspec.defstruct(
        "Prefetch",
        [*_any_fields(others), (_SEARCH, bundle | None, _UNSET)],
        forbid_unknown_fields=True,
    )
    call = msgspec.defstruct(
        "HookCall",
        [*_any_fields(_CALL_FIELDS), ("prefetch", prefetch | None, _UNSET)],
        forbid_unknown_fields=True,
    )
    return _Schema(msgspec.json.Decoder(call), screened, later)


def _any_fields(names: Iterable[str]) -> list[tuple[str, Any, Any]]:
    # Unknown elements are skipped without building them: that is the saving.
    return [(name, Any, _UNSET) for name in names]


def _as_dict(struct: msgspec.Struct) -> dict[str, Any]:
    # astuple reads every field in C: about half the cost of getattr field by field.
    values = astuple(struct)
    return {
        name: v for name, v in zip(struct.__struct_fields__, values, strict=True) if v is not _UNSET
    }
