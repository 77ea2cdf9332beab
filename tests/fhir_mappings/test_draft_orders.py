"""``context.draftOrders`` as a Bundle, or as the JSON array some EHRs send instead."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import DraftOrdersError, draft_order_entries, read_imaging_orders
from tests.fhir_mappings.resources import CPT, LOINC, concept


def order(ident: str, system: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": ident,
        "status": "draft",
        "intent": "order",
        "code": concept(system, code),
        "subject": {"reference": "Patient/p1"},
    }


XRAY = order("xr-1", LOINC, "24762-7")
MRI = order("mri-1", CPT, "72148")


def test_an_array_of_resources_reads_as_their_bundle() -> None:
    found = read_imaging_orders([XRAY, MRI], ["ServiceRequest/mri-1"])
    assert [o.reference for o in found.orders] == ["ServiceRequest/mri-1"]
    assert found.considered == 1


def test_an_array_of_bundle_entries_reads_as_their_bundle() -> None:
    entries = [{"fullUrl": "urn:uuid:a", "resource": XRAY}, {"resource": MRI}]
    found = read_imaging_orders(entries)
    assert sorted(o.test for o in found.orders) == ["mri-lumbar-spine", "xray-hip-pelvis"]


def test_an_empty_array_is_no_orders() -> None:
    assert read_imaging_orders([]).orders == ()


def test_a_bundle_keeps_its_entries_as_they_are() -> None:
    bundle = {"resourceType": "Bundle", "entry": [{"resource": XRAY}]}
    assert draft_order_entries(bundle) == [{"resource": XRAY}]


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ([XRAY, "ServiceRequest/xr-2"], "draftOrders[1]"),
        ([{"resourceType": "Bundle", "entry": [{"resource": XRAY}]}], "draftOrders[0]"),
        ([{"resource": "ServiceRequest/xr-1"}], "draftOrders[0]"),
        ({"resourceType": "ServiceRequest"}, "draftOrders is not a FHIR Bundle"),
    ],
)
def test_anything_else_is_an_error_naming_the_item(value: Any, named: str) -> None:
    with pytest.raises(DraftOrdersError, match=named.replace("[", r"\[").replace("]", r"\]")):
        draft_order_entries(value)
