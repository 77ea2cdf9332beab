"""Draft R4 ServiceRequests for the studies a card offers: valid, coded, for this patient."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.servicerequest import ServiceRequest

from cards.catalogue import CPT, LOINC, TEST_SYSTEM
from cards.errors import InvalidOrderError, UnknownTestError
from cards.service_request import draft_service_request, is_fhir_id, validate_service_request

REASON = "To separate lumbar disc sciatica from piriformis syndrome"


def test_a_draft_is_a_valid_order_for_this_patient_coded_three_ways() -> None:
    draft = draft_service_request("mri-lumbar-spine", patient_id="p-1", reason=REASON)

    ServiceRequest.model_validate(draft)  # valid R4
    assert (draft["status"], draft["intent"]) == ("draft", "order")
    assert draft["subject"] == {"reference": "Patient/p-1"}
    assert {(c["system"], c["code"]) for c in draft["code"]["coding"]} == {
        (LOINC, "30679-5"),
        (CPT, "72148"),
        (TEST_SYSTEM, "mri-lumbar-spine"),
    }
    assert draft["reasonCode"] == [{"text": REASON}]


@pytest.mark.parametrize("test", ["exam-piriformis", "ct-lumbar-spine", "mri-whole-body"])
def test_only_orderable_imaging_is_drafted(test: str) -> None:
    with pytest.raises(UnknownTestError):
        draft_service_request(test, patient_id="p-1", reason=REASON)


@pytest.mark.parametrize("patient_id", ["", "p 1", "Patient/p-1", "x" * 65])
def test_a_patient_id_that_is_no_fhir_id_is_refused(patient_id: str) -> None:
    assert not is_fhir_id(patient_id)
    with pytest.raises(InvalidOrderError, match="FHIR id"):
        draft_service_request("mri-hip-pelvis", patient_id=patient_id, reason=REASON)


def test_an_invalid_service_request_is_refused_saying_what_it_is_not() -> None:
    with pytest.raises(InvalidOrderError, match="not a ServiceRequest"):
        validate_service_request({"resourceType": "Observation"})
    with pytest.raises(InvalidOrderError, match="not a valid R4 ServiceRequest"):
        validate_service_request({"resourceType": "ServiceRequest", "status": 7})
