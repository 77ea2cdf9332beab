"""Hypothesis strategies: random JSON, and valid requests mutated at every level.

A mutation picks any node of the document (the root, a key of an object, an item of a
list) and deletes it, replaces it with random JSON, a value of the wrong type, a huge or
exotic string, a FHIR resource of the wrong shape, or a 10 000-deep nest of lists. The
document is then encoded, sometimes as invalid UTF-8 or cut short.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

Json = Any
Path = tuple[str | int, ...]

DEEP = "\x00deep-nesting\x00"  # replaced by the nest when the document is encoded
DEEP_NEST = b"[" * 10_000 + b"]" * 10_000
HUGE_STRING = "x" * 200_000

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
exotic_strings = st.sampled_from(
    [
        "",
        " ",
        "null",
        "42",
        "true",
        "Patient/../../admin",
        "https://evil.example.org/fhir",
        "http://localhost:1/fhir",
        "\u202egnp.exe",
        "\U0001f9b4 \u00e9\u00e8 \u4e2d\u6587",
        "\ud800",  # a lone surrogate
        "\x00",
        "a" * 5000,
        HUGE_STRING,
    ]
)
wrong_resources = st.sampled_from(
    [
        {"resourceType": "Patient"},
        {"resourceType": "Bundle", "entry": {"resource": {}}},
        {"resourceType": "Bundle", "entry": [None, 1, "x", {"resource": []}]},
        {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Observation"}}]},
        {"resourceType": "Observation", "status": 7, "code": [], "valueBoolean": "yes"},
        {"resourceType": "ServiceRequest", "id": ["x"], "status": "draft", "code": "xray"},
        {"resourceType": "Condition", "code": {"coding": "M76.0"}, "clinicalStatus": 1},
        {"resourceType": "OperationOutcome", "issue": []},
        {"resourceType": 42},
        {"resourceType": None, "id": {}},
    ]
)


def _retyped(value: Json) -> list[Json]:
    """Values of the wrong type for ``value``: numbers as strings and the like."""
    if isinstance(value, bool):
        return [str(value).lower(), int(value), None]
    if isinstance(value, int | float):
        return [str(value), [value], None]
    if isinstance(value, str):
        # surrogatepass: an earlier mutation may have put a lone surrogate here
        return [len(value), [value], {"value": value}, value.encode("utf-8", "surrogatepass").hex()]
    if isinstance(value, list):
        return [{"0": value[0]} if value else {}, "[]", value * 50]
    if isinstance(value, dict):
        return [list(value.values()), json.dumps(value)[:50], {}]
    return ["null", 0, [], {}]


def _paths(document: Json, prefix: Path = ()) -> list[Path]:
    found = [prefix]
    if isinstance(document, dict):
        for key, child in document.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(document, list):
        for index, child in enumerate(document):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _parent(document: Json, path: Path) -> Json:
    node = document
    for part in path[:-1]:
        node = node[part]
    return node


def _replace(document: Json, path: Path, value: Json) -> Json:
    if not path:
        return value
    _parent(document, path)[path[-1]] = value
    return document


def _coin(data: st.DataObject, label: str) -> bool:
    drawn: bool = data.draw(st.booleans(), label=label)
    return drawn


def _delete(document: Json, path: Path) -> Json:
    if not path:
        return None
    del _parent(document, path)[path[-1]]
    return document


def _replacement(data: st.DataObject, current: Json) -> Json:
    choices: list[Callable[[], Json]] = [
        lambda: data.draw(json_values, label="random json"),
        lambda: data.draw(st.sampled_from(_retyped(current)), label="wrong type"),
        lambda: data.draw(exotic_strings, label="string"),
        lambda: data.draw(wrong_resources, label="wrong resource"),
        lambda: DEEP,
        lambda: None,
    ]
    # A copy: the sampled values are shared between examples and later mutations edit in place.
    return copy.deepcopy(data.draw(st.sampled_from(choices), label="replacement kind")())


def mutated(data: st.DataObject, seed: Json, *, max_mutations: int = 3) -> Json:
    """``seed`` with one to ``max_mutations`` random changes anywhere in it."""
    document = copy.deepcopy(seed)
    for _ in range(data.draw(st.integers(1, max_mutations), label="mutations")):
        path = data.draw(st.sampled_from(_paths(document)), label="path")
        if path and _coin(data, "delete?"):
            document = _delete(document, path)
        else:
            current = _parent(document, path)[path[-1]] if path else document
            document = _replace(document, path, _replacement(data, current))
    return document


def encoded(data: st.DataObject, document: Json) -> bytes:
    """``document`` as a request body: usually JSON, sometimes broken in transit."""
    text = json.dumps(document, ensure_ascii=data.draw(st.booleans(), label="ascii"))
    body = text.encode("utf-8", errors="surrogatepass")  # lone surrogates: invalid UTF-8
    body = body.replace(json.dumps(DEEP).encode(), DEEP_NEST)
    if data.draw(st.integers(0, 9), label="truncate?") == 0:
        body = body[: data.draw(st.integers(0, len(body)), label="cut at")]
    return body
