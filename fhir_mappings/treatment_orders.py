"""Drafted treatment orders a caution warns against (a bursa or corticosteroid injection).

Imaging orders are rated (``orders``); a treatment order is only recognised by its kind
(``order_treatments`` in ``terminology/codes.json``), so that the order hooks can show the
caution or red flag that forbids it while it is being ordered (contract 5, card table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fhir_mappings._draft_orders import draft_order_entries, names_any, padded_words, selected
from fhir_mappings.subject import PatientContext, subject_problem
from terminology import CodeTables, code_tables

__all__ = ["read_treatment_orders"]

# Where each kind of order keeps what it orders: a service's code, a medication's concept.
_CONCEPT_OF = {"ServiceRequest": "code", "MedicationRequest": "medicationCodeableConcept"}


def read_treatment_orders(
    draft_orders: object,
    selections: Sequence[str] | None = None,
    *,
    patient: PatientContext | None = None,
) -> frozenset[str]:
    """The kinds of treatment order among the drafts (e.g. ``{"steroid-or-bursa-injection"}``).

    With ``selections`` (order-select) only those entries count; with ``patient``, only
    orders about that patient. Only drafts count: a signed order is the EHR's record.
    Raises DraftOrdersError when ``draft_orders`` is no Bundle (nor an array of entries).
    """
    chosen = None if selections is None else {selected(s) for s in selections}
    tables = code_tables()
    kinds: set[str] = set()
    for entry in draft_order_entries(draft_orders):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping) or resource.get("status") != "draft":
            continue
        kind = str(resource.get("resourceType"))
        if chosen is not None and f"{kind}/{resource.get('id')}" not in chosen:
            continue
        if patient is not None and subject_problem(resource, kind, patient):
            continue
        kinds |= _kinds(resource.get(_CONCEPT_OF.get(kind, "")), tables)
    return frozenset(kinds)


def _kinds(concept: object, tables: CodeTables) -> set[str]:
    """The kinds of treatment a CodeableConcept names, by CPT code or by its words."""
    if not isinstance(concept, Mapping):
        return set()
    codings = [c for c in concept.get("coding") or [] if isinstance(c, Mapping)]
    cpt = {
        str(c.get("code", "")).strip()
        for c in codings
        if tables.in_system(str(c.get("system", "")), "cpt")
    }
    texts = [concept.get("text")] + [c.get("display") for c in codings]
    # padded whole words: " inj " is not "injury"
    words = " " + " ".join(padded_words(t).strip() for t in texts if isinstance(t, str)) + " "
    return {
        row.code
        for row in tables.order_treatments
        if cpt & row.cpt or (names_any(words, row.procedure) and names_any(words, row.kind))
    }
