"""Draft orders (CDS Hooks ``context.draftOrders``) to the imaging studies of contract 5."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError

from fhir_mappings._conditions import codes_in
from fhir_mappings._draft_orders import (
    DraftOrdersError,
    draft_order_entries,
    names_any,
    padded_words,
    selected,
)
from fhir_mappings._resources import RawResource, validate
from fhir_mappings.subject import PatientContext, subject_problem
from terminology import CodeTables, code_tables

__all__ = ["DraftOrdersError", "ImagingOrder", "ImagingOrders", "read_imaging_orders"]

MatchedBy = Literal["loinc", "cpt", "text"]
_CODE_SYSTEMS: tuple[MatchedBy, ...] = ("loinc", "cpt")  # in order of trust
# Where an order's indication starts: a spaced dash, a colon, a query, a bracket, a comma.
_INDICATION_MARK = re.compile(r"\s[-\u2013\u2014]+\s|[:?(,;]")
# "Condition/<id>", absolute or versioned: the id of a Condition an order names as its reason.
_CONDITION_REFERENCE = re.compile(r"(?:^|/)Condition/([A-Za-z0-9.-]{1,64})(?:/_history/[^/]+)?$")


@dataclass(frozen=True)
class ImagingOrder:
    """A draft ServiceRequest recognised as one of our imaging tests."""

    id: str
    reference: str  # "ServiceRequest/<id>", as in CDS Hooks selections and resourceId
    test: str  # test code of contract section 5
    status: str
    matched_by: MatchedBy
    resource: Mapping[str, object]  # a copy of the order's JSON, to echo back in an update
    # Conditions of contract section 4 named in the order's reasonCode: the ordering
    # clinician's working diagnosis, counted like a Condition when this order is rated.
    reasons: frozenset[str] = frozenset()
    # Ids of the Conditions named in the order's reasonReference: their onset dates the
    # symptoms (contract section 3, symptom duration).
    reason_conditions: frozenset[str] = frozenset()
    # The order's own contrast ("with contrast", "with and without contrast") read from its
    # CPT code or text; None: as the contract's study (the MRI without contrast, a CT).
    contrast: str | None = None


@dataclass(frozen=True)
class ImagingOrders:
    """The imaging orders among the draft orders considered.

    ``considered`` counts entries looked at (the selected ones, or all); ``skipped`` those
    that are not valid R4 ServiceRequests with an id (other order types, DSTU2/STU3 shapes).
    Considered orders that are neither skipped nor returned are not imaging we know.
    """

    orders: tuple[ImagingOrder, ...] = ()
    considered: int = 0
    skipped: int = 0


def read_imaging_orders(
    draft_orders: object,
    selections: Sequence[str] | None = None,
    *,
    patient: PatientContext | None = None,
) -> ImagingOrders:
    """Recognise imaging orders by LOINC, then CPT, then their text.

    ``draft_orders`` is a Bundle (its ``type`` may be missing, as the public sandbox sends);
    with ``selections`` (e.g. ``["ServiceRequest/xr-1"]``) only those entries count.
    Orders are validated strictly as R4: the shape of another FHIR version is skipped.
    With ``patient``, an order whose subject is not that patient is skipped too (section 2).
    A JSON array of resources or entries is read as their Bundle (some EHRs send one).
    Raises DraftOrdersError when ``draft_orders`` is neither.
    """
    entries = draft_order_entries(draft_orders)
    chosen = None if selections is None else frozenset(map(selected, selections))
    considered = [r for r in map(_resource, entries) if chosen is None or _reference(r) in chosen]
    tables = code_tables()
    read = [
        _SKIPPED
        if patient and subject_problem(resource, "ServiceRequest", patient)
        else _read_order(resource, tables)
        for resource in considered
    ]
    return ImagingOrders(
        orders=tuple(order for order in read if isinstance(order, ImagingOrder)),
        considered=len(considered),
        skipped=sum(1 for order in read if order is _SKIPPED),
    )


_SKIPPED = object()


def _resource(entry: object) -> RawResource:
    resource = entry.get("resource") if isinstance(entry, Mapping) else None
    return resource if isinstance(resource, Mapping) else {}


def _reference(resource: RawResource) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id')}"


def _read_order(resource: RawResource, tables: CodeTables) -> ImagingOrder | object | None:
    """The imaging order, None for an order of no test we know, _SKIPPED for a non-order."""
    if resource.get("resourceType") != "ServiceRequest":
        return _SKIPPED
    try:
        order = validate(ServiceRequest, resource, lenient=False)
    except ValidationError:
        return _SKIPPED
    if not order.id:
        return _SKIPPED  # cannot be referenced, so cannot be rated or replaced
    match = _by_code(order.code, tables) or _by_text(order.code, tables)
    if match is None:
        return None
    contrast = _contrast(order.code, tables)
    test, matched_by = match
    return ImagingOrder(
        id=order.id,
        reference=f"ServiceRequest/{order.id}",
        test=test,
        status=str(order.status),
        matched_by=matched_by,
        resource=copy.deepcopy(dict(resource)),
        reasons=frozenset(
            code for concept in order.reasonCode or [] for code in codes_in(concept, tables)
        ),
        reason_conditions=frozenset(
            named.group(1)
            for reference in order.reasonReference or []
            if (named := _CONDITION_REFERENCE.search(str(reference.reference or "")))
        ),
        contrast=contrast,
    )


def _by_code(concept: CodeableConcept | None, tables: CodeTables) -> tuple[str, MatchedBy] | None:
    pairs = [
        (str(c.system), str(c.code).strip()) for c in (concept.coding or [] if concept else [])
    ]
    for name in _CODE_SYSTEMS:
        for pair in pairs:
            if tables.in_system(pair[0], name) and pair in tables.test_by_coding:
                return tables.test_by_coding[pair], name
    # An MRI coded with contrast is the same study, named as ordered on the cards.
    for system, code in pairs:
        for row in tables.order_contrast:
            if tables.in_system(system, "cpt") and code in row.cpt:
                return row.cpt[code], "cpt"
    return None


def _contrast(concept: CodeableConcept | None, tables: CodeTables) -> str | None:
    """The order's own contrast, by a CPT code that carries one, else by its words."""
    codings = concept.coding or [] if concept else []
    cpt = {str(c.code).strip() for c in codings if tables.in_system(str(c.system), "cpt")}
    words = _words(concept)
    # The code first: "72149" with "without contrast" in its text is still the code's study.
    for row in tables.order_contrast:
        if cpt & row.cpt.keys():
            return row.contrast
    # Then the phrase said first, the longer at one place: "with contrast - no contrast
    # allergy" is with contrast, "without contrast (no post contrast sequences)" without.
    said = [
        (words.find(f" {phrase} "), -len(phrase), row.contrast)
        for row in tables.order_contrast
        for phrase in row.words
        if f" {phrase} " in words
    ]
    return min(said, key=lambda found: found[:2])[2] if said else None


def _texts(concept: CodeableConcept | None) -> list[str]:
    """The order's text and its codings' displays."""
    if concept is None:
        return []
    return [concept.text or ""] + [c.display or "" for c in concept.coding or []]


def _words(concept: CodeableConcept | None) -> str:
    """The order's text and displays as one string of padded words."""
    return " " + " ".join(padded_words(text).strip() for text in _texts(concept)) + " "


def _by_text(concept: CodeableConcept | None, tables: CodeTables) -> tuple[str, MatchedBy] | None:
    if concept is None:
        return None
    words = _words(concept)
    heads = " ".join(_head(text, tables) for text in _texts(concept))
    if names_any(heads, tables.order_procedure_words):
        return None  # a referral, an injection, a guided procedure: what is ordered
    # An organ in the indication excludes only a study of the pelvis, which may be its organs.
    organs = words if names_any(heads, tables.order_organ_sites) else heads
    if names_any(organs, tables.order_text_exclusions):
        return None  # "pelvis" of an abdominal CT or a prostate MRI: organs, not bones
    for rule in tables.order_text_rules:
        if names_any(words, rule.modality) and names_any(words, rule.site):
            return rule.test, "text"
    return None


def _head(text: str, tables: CodeTables) -> str:
    """The padded words of what an order's text orders, before its indication: "MRI lumbar
    spine" of "MRI lumbar spine - sciatica, not improving with physio", "Referral to
    orthopaedics" of "Referral to orthopaedics for hip replacement"."""
    words = padded_words(_INDICATION_MARK.split(text, maxsplit=1)[0])
    starts = [words.find(f" {word} ") for word in tables.order_indication_words]
    return words[: min((start for start in starts if start >= 0), default=len(words)) + 1]
