"""Malformed and failed data: skipped, counted, reported; never patient data in a problem."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings import SearchResults, map_patient_record
from tests.fhir_mappings.resources import NOW, bundle, observation, patient


def test_operation_outcome_in_prefetch_is_a_problem_not_data() -> None:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "forbidden", "diagnostics": "Secretname denied"}],
    }
    record = map_patient_record(outcome, outcome, outcome, evaluated_at=NOW)
    assert record.findings == {}
    assert len(record.problems) == 3
    assert {p.resource_type for p in record.problems} == {"OperationOutcome"}
    assert "forbidden" in record.problems[0].reason
    assert "Secretname" not in repr(record.problems)


def test_informational_outcome_in_searchset_is_not_a_problem() -> None:
    note = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "information", "code": "informational"}],
    }
    record = map_patient_record(None, bundle(observation(), note), None, evaluated_at=NOW)
    assert record.findings == {"buttock-pain": True}
    assert record.problems == ()


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param("not a resource", id="string-entry"),
        pytest.param(None, id="entry-without-resource"),
        pytest.param({"id": "x"}, id="no-resource-type"),
        pytest.param(
            observation(ident="bad", status=7),  # type: ignore[arg-type]  # the wrong type is the test
            id="status-wrong-type",
        ),
        pytest.param(observation(ident="bad", valueBoolean="yes please"), id="value-wrong-type"),
        pytest.param(observation(ident="bad", effectiveDateTime="last tuesday"), id="bad-date"),
        pytest.param(observation(ident="bad", code="buttock-pain"), id="code-not-concept"),
        pytest.param({"resourceType": "Observation", "id": "bad", "status": "final"}, id="no-code"),
    ],
)
def test_one_malformed_resource_does_not_sink_the_rest(broken: Any) -> None:
    good = observation("sits-bone-pain", ident="good")
    record = map_patient_record(None, bundle(broken, good), None, evaluated_at=NOW)
    assert record.findings == {"sits-bone-pain": True}
    assert len(record.problems) == 1


def test_problem_names_the_element_not_its_value() -> None:
    broken = observation(ident="bad", valueBoolean="Secretname")
    (problem,) = map_patient_record(None, bundle(broken), None, evaluated_at=NOW).problems
    assert (problem.resource_type, problem.resource_id) == ("Observation", "bad")
    assert "valueBoolean" in problem.reason
    assert "Secretname" not in problem.reason


def test_bundle_entry_without_resource_and_non_dict_entries() -> None:
    value = {"resourceType": "Bundle", "type": "searchset", "entry": [{"fullUrl": "x"}, 42]}
    record = map_patient_record(None, value, None, evaluated_at=NOW)
    assert [p.resource_type for p in record.problems] == ["Bundle.entry", "Bundle.entry"]


@pytest.mark.parametrize("value", [[1, 2], "Observation", 3, {"entry": []}])
def test_prefetch_value_that_is_no_resource(value: Any) -> None:
    record = map_patient_record(None, value, None, evaluated_at=NOW)
    assert [p.resource_type for p in record.problems] == ["observations"]


def test_bundle_entry_that_is_not_a_list() -> None:
    value = {"resourceType": "Bundle", "type": "searchset", "entry": {"resource": observation()}}
    assert len(map_patient_record(None, value, None, evaluated_at=NOW).problems) == 1


@pytest.mark.parametrize("extension", ["true", "1"])
def test_primitive_extension_that_trips_the_fhir_library_is_a_problem(extension: str) -> None:
    # fhir.resources raises AttributeError on these instead of a ValidationError.
    record = map_patient_record(patient(_gender=extension), None, None, evaluated_at=NOW)
    assert [p.resource_type for p in record.problems] == ["Patient"]


def test_search_results_read_like_the_entries_of_their_bundle() -> None:
    failed = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "x"}]}
    resources: list[Any] = [observation(), failed, {"id": "no-type"}, observation("fever")]

    unwrapped = map_patient_record(None, SearchResults(resources), None, evaluated_at=NOW)

    assert unwrapped == map_patient_record(None, bundle(*resources), None, evaluated_at=NOW)
    assert unwrapped.findings == {"buttock-pain": True, "fever": True}
    assert len(unwrapped.problems) == 2
