"""``context.draftOrders`` as the Bundle it should be, or a clear error (contract section 5).

CDS Hooks 2.0 sends the draft orders as a FHIR Bundle (the public sandbox leaves out its
``type``). Some EHRs send a JSON array instead: of the resources, or of Bundle entries. Its
meaning is as plain as the Bundle's, so it is read as one; anything else is the caller's 400.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from fhir_mappings.record import MappingError

__all__ = ["DraftOrdersError", "draft_order_entries", "names_any", "padded_words", "selected"]

_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


class DraftOrdersError(MappingError):
    """``draftOrders`` is not a FHIR Bundle at all (the caller sent a malformed context)."""


def draft_order_entries(draft_orders: object) -> list[object]:
    """The Bundle entries of the draft orders (a Bundle's, or an array's as entries).

    Raises DraftOrdersError when ``draft_orders`` is neither.
    """
    if isinstance(draft_orders, list):
        return [_entry(index, item) for index, item in enumerate(draft_orders)]
    if not isinstance(draft_orders, Mapping) or draft_orders.get("resourceType") != "Bundle":
        raise DraftOrdersError("draftOrders is not a FHIR Bundle")
    entries = draft_orders.get("entry", [])
    if not isinstance(entries, list):
        raise DraftOrdersError("draftOrders.entry is not a list")
    return entries


def _entry(index: int, item: object) -> Mapping[str, object]:
    """A Bundle entry for one item of an array: a resource, or an entry holding one."""
    if isinstance(item, Mapping):
        kind = item.get("resourceType")
        if isinstance(kind, str) and kind != "Bundle":
            return {"resource": item}
        if kind is None and isinstance(item.get("resource"), Mapping):
            return item
    raise DraftOrdersError(f"draftOrders[{index}] is neither a resource nor a Bundle entry")


def selected(selection: str) -> str:
    """``Type/id`` of an order-select selection sent absolute or versioned
    (``.../Type/id/_history/2``)."""
    head, marker, _version = selection.partition("/_history/")
    return "/".join(head.rstrip("/").split("/")[-2:]) if marker or "://" in head else selection


def padded_words(text: str) -> str:
    """Space-padded lower-case words: " mr " matches the word MR but not "mri" or "mrs"."""
    return " " + _NOT_A_WORD.sub(" ", text.lower()).strip() + " "


def names_any(words: str, phrases: Sequence[str]) -> bool:
    """Whether padded ``words`` hold any of ``phrases`` as whole words."""
    return any(f" {phrase} " in words for phrase in phrases)
