"""The hook call's JSON decoded by schema: same readings, same refusals, less work (issue 18)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cds_service.errors import InvalidRequestError
from cds_service.hooks.prefetch_templates import PREFETCH_TEMPLATES
from cds_service.hooks.request_json import decode_hook_call
from fhir_mappings import SearchResults, map_patient_record, observation_search_elements
from tests.support.answers import cases
from tests.support.clock import FIXED_NOW

KEYS = tuple(PREFETCH_TEMPLATES)
DEEP = b"[" * 10_000 + b"]" * 10_000
FINDING = "https://gluteal-cds.org/fhir/CodeSystem/finding"


def decoded(document: object) -> Any:
    return decode_hook_call(json.dumps(document).encode(), KEYS)


def readings(prefetch: dict[str, Any]) -> Any:
    """What the mapper makes of a prefetch: findings, sources, problems, counts."""
    bundle = prefetch.get("observations") or {}
    resources = [e["resource"] for e in bundle.get("entry", []) if "resource" in e]
    return map_patient_record(
        prefetch.get("patient"),
        SearchResults(resources),
        prefetch.get("conditions"),
        evaluated_at=FIXED_NOW,
    )


def ehr_observation(**elements: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": "obs-1",
        "meta": {"versionId": "2", "profile": ["http://hl7.org/fhir/us/core/x"]},
        "status": "final",
        "category": [{"coding": [{"code": "exam"}]}],
        "code": {"coding": [{"system": FINDING, "code": "buttock-pain"}]},
        "performer": [{"reference": "Practitioner/1", "display": "Dr. Who"}],
        "effectiveDateTime": "2026-11-18T15:00:00Z",
        "valueBoolean": True,
        **elements,
    }


def call(*observations: dict[str, Any], **fields: Any) -> dict[str, Any]:
    entries = [{"fullUrl": "urn:x", "resource": o} for o in observations]
    return {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"patientId": "pat-1"},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "pat-1", "gender": "female"},
            "observations": {"resourceType": "Bundle", "type": "searchset", "entry": entries},
            "conditions": {"resourceType": "Bundle", "entry": []},
        },
        **fields,
    }


def test_observations_keep_only_the_elements_read_and_the_rest_is_whole() -> None:
    document = decoded(call(ehr_observation(), extension={"x": [1]}))

    [entry] = document["prefetch"]["observations"]["entry"]
    assert entry == {"resource": {k: v for k, v in ehr_observation().items() if k in READ}}
    assert "meta" not in entry["resource"]
    assert "performer" not in entry["resource"]
    assert document["prefetch"]["patient"] == call()["prefetch"]["patient"]
    assert document["context"] == {"patientId": "pat-1"}
    assert document["extension"] == {"x": [1]}


READ = observation_search_elements()


def test_what_the_mapper_passes_over_is_left_out_and_the_rest_kept_as_screened() -> None:
    vital = ehr_observation(code={"coding": [{"system": "http://loinc.org", "code": "8867-4"}]})
    no_code = {k: v for k, v in ehr_observation().items() if k != "code"}
    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "information"}]}
    included = {"resourceType": "Provenance", "id": "p-1"}

    entries = decoded(call(vital, no_code, outcome, included))["prefetch"]["observations"]["entry"]

    assert entries[0] == {}  # the heart rate: an entry still, nothing in it
    assert entries[1] == {"resource": {"resourceType": "Observation", "id": "obs-1"}}
    assert entries[2] == {"resource": outcome}
    assert entries[3] == {}


@pytest.mark.parametrize("case", [c for c in cases() if c.request.get("prefetch")], ids=str)
def test_every_recorded_case_reads_the_same_as_decoded_in_full(case: Any) -> None:
    body = json.dumps(case.request).encode()

    by_schema = decode_hook_call(body, KEYS)

    assert isinstance(by_schema, dict)
    assert readings(by_schema["prefetch"]) == readings(json.loads(body)["prefetch"])


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(call(futureField=[1, 2]), id="a field of a later version"),
        pytest.param({**call(), "prefetch": {"labs": 3}}, id="a prefetch key of another name"),
        pytest.param({**call(), "prefetch": {"observations": [1]}}, id="observations a list"),
        pytest.param(call("not a resource"), id="an entry's resource a string"),  # type: ignore[arg-type]
        pytest.param({**call(), "prefetch": None}, id="prefetch null"),
        pytest.param([call()], id="an array"),
    ],
)
def test_a_call_the_schema_does_not_describe_is_read_in_full(document: object) -> None:
    assert decoded(document) == document


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(json.dumps(call(ehr_observation(meta="DEEP"))).encode(), id="deep in meta"),
        pytest.param(json.dumps(call(ehr_observation(valueQuantity="DEEP"))).encode(), id="value"),
        pytest.param(json.dumps(call(extension="DEEP")).encode(), id="deep in a new field"),
    ],
)
def test_deep_nesting_anywhere_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidRequestError, match="not valid JSON"):
        decode_hook_call(body.replace(b'"DEEP"', DEEP), KEYS)


@pytest.mark.parametrize(
    ("number", "where"),
    [
        *[
            (constant, where)
            for constant in (b"NaN", b"Infinity", b"-Infinity")
            for where in ("meta", "valueQuantity", "context")
        ],
        # Out of range where it is read; in an element left out it is never converted at all.
        *[
            (big, where)
            for big in (b"1e400", b"-1e400", b"7" * 5000)
            for where in ("valueQuantity", "context")
        ],
    ],
)
def test_numbers_json_cannot_hold_are_refused(number: bytes, where: str) -> None:
    document = call(ehr_observation(meta="N", valueQuantity="N"), context={"patientId": "N"})
    body = json.dumps(document).encode()
    marker = {"meta": b'"meta": "N"', "valueQuantity": b'"valueQuantity": "N"'}.get(
        where, b'"patientId": "N"'
    )
    body = body.replace(marker, marker.replace(b'"N"', number))

    with pytest.raises(InvalidRequestError, match="not valid JSON"):
        decode_hook_call(body, KEYS)


@pytest.mark.parametrize("body", [b"", b"{", b'{"hook": "\\ud800"}', b"\xff\xfe{}"])
def test_what_is_not_json_is_refused(body: bytes) -> None:
    with pytest.raises(InvalidRequestError, match=r"^body: is not valid JSON"):
        decode_hook_call(body, KEYS)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_CODINGS = st.sampled_from(
    [
        {"coding": [{"system": FINDING, "code": "buttock-pain"}]},
        {"coding": [{"system": "http://loinc.org", "code": "75325-1"}]},
        {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
    ]
)
_ELEMENTS = st.sampled_from(sorted(READ | {"meta", "note", "performer", "subject"}))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "resourceType": st.sampled_from(["Observation", "OperationOutcome", "Patient"]),
                "code": _CODINGS,
            },
            optional={
                "status": st.sampled_from(["final", "amended", "entered-in-error"]),
                "effectiveDateTime": st.sampled_from(["2026-11-18", "2026-11-18T15:00:00Z"]),
                "valueBoolean": st.booleans(),
            },
        ).flatmap(
            lambda base: st.dictionaries(_ELEMENTS, _JSON, max_size=4).map(
                lambda extra: {**extra, **base}
            )
        ),
        max_size=5,
    )
)
def test_any_observations_read_the_same_as_decoded_in_full(
    observations: list[dict[str, Any]],
) -> None:
    body = json.dumps(call(*observations)).encode()

    by_schema = decode_hook_call(body, KEYS)

    assert isinstance(by_schema, dict)
    assert readings(by_schema["prefetch"]) == readings(json.loads(body)["prefetch"])
