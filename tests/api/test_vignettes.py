"""Every clinical vignette of ../shared/vignettes through the HTTP API, checked on `expect`.

The vignettes are discovered by glob: a case added to the folder is tested without a
change here. What each `expect` key means is defined in the vignettes' README.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import responses

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.cds_rules import check_card_rules
from tests.support.hook_requests import serve_fhir_data
from tests.support.paths import VIGNETTES
from tests.support.vignette_issues import vignette_param

DIFFERENTIAL = "https://gluteal-cds.org/cds-hooks/differential"
APPROPRIATENESS = "https://gluteal-cds.org/cds-hooks/appropriateness"
PAMA_RATING = "http://fhir.org/argonaut/Extension/pama-rating"

CODES = Path(__file__).resolve().parents[2] / "terminology" / "codes.json"

Vignette = dict[str, Any]
Response = dict[str, Any]


def _cases() -> list[Any]:
    return [
        vignette_param(json.loads(path.read_text(encoding="utf-8")), path.stem, "api")
        for path in sorted(VIGNETTES.glob("*.json"))
    ]


# -- the CDS Hooks 2.0 card rules, checked on every card ---------------------------------


def _topics(response: Response) -> list[str]:
    return [card["source"]["topic"]["code"] for card in response["cards"]]


def _differential(response: Response) -> dict[str, Any]:
    """The machine-readable differential: on the differential card, or on the order hooks
    (which show none) on the red-flag card."""
    carrying = [c for c in response["cards"] if DIFFERENTIAL in c.get("extension", {})]
    by_topic = {c["source"]["topic"]["code"]: c for c in carrying}
    card = by_topic.get("differential") or by_topic["red-flag"]
    extension: dict[str, Any] = card["extension"][DIFFERENTIAL]
    return extension


def _status_of(response: Response) -> dict[str, str]:
    return {c["code"]: c["status"] for c in _differential(response)["conditions"]}


# -- one checker per `expect` key (README of the vignettes) -------------------------------


def _cards(response: Response, wanted: str) -> None:
    if wanted == "none":
        assert response == {"cards": []}
    else:
        assert response["cards"]


def _top(response: Response, wanted: list[str]) -> None:
    assert _differential(response)["conditions"][0]["code"] in wanted


def _unlikely(response: Response, wanted: list[str]) -> None:
    status = _status_of(response)
    assert {code: status[code] for code in wanted} == dict.fromkeys(wanted, "unlikely")


def _next_tests(response: Response, wanted: list[str]) -> None:
    assert set(wanted) <= set(_differential(response)["nextTests"])


def _next_tests_first(response: Response, wanted: list[str]) -> None:
    assert _differential(response)["nextTests"][0] in wanted


def _avoid_tests(response: Response, wanted: list[str]) -> None:
    assert set(wanted) <= set(_differential(response)["avoidTests"])


def _not_next_tests(response: Response, unwanted: list[str]) -> None:
    assert not set(unwanted) & set(_differential(response)["nextTests"])


def _not_avoid_tests(response: Response, unwanted: list[str]) -> None:
    assert not set(unwanted) & set(_differential(response)["avoidTests"])


def _pama_rating(response: Response, wanted: dict[str, str]) -> None:
    ratings = _pama_ratings(response)
    assert {order: ratings.get(order) for order in wanted} == wanted
    # The public sandbox reads the same list from the response's extension.
    assert response["extension"]["systemActions"] == response["systemActions"]


def check_card_budget(response: Response) -> None:
    """At most one card per topic (one order-appropriateness card per order), no summary
    cut off with an ellipsis (contract section 5)."""
    topics = [t for t in _topics(response) if t != "order-appropriateness"]
    assert len(topics) == len(set(topics)), topics
    orders = [
        c["extension"][APPROPRIATENESS]["order"]
        for c in response["cards"]
        if c["source"]["topic"]["code"] == "order-appropriateness"
    ]
    assert len(orders) == len(set(orders))
    assert not any(c["summary"].endswith(("…", "...")) for c in response["cards"])


def _red_flag(response: Response, wanted: bool) -> None:
    assert ("red-flag" in _topics(response)) is wanted


def _red_flags(response: Response, wanted: list[str]) -> None:
    assert set(wanted) <= set(_differential(response)["redFlags"])


def _next_tests_any(response: Response, wanted: list[str]) -> None:
    assert set(wanted) & set(_differential(response)["nextTests"])


def _no_suggestion_creates(response: Response, tests: list[str]) -> None:
    """No card suggests creating a study already drafted (contract 5, no duplicates)."""
    created = [
        coding["code"]
        for card in response["cards"]
        for suggestion in card.get("suggestions", [])
        for action in suggestion.get("actions", [])
        if action["type"] == "create"
        for coding in action["resource"].get("code", {}).get("coding", [])
    ]
    codes = _order_codes()
    assert not {code for code in created for test in tests if code in codes[test]}, created


def _order_codes() -> dict[str, set[str]]:
    """The codes a study is drafted with (codes.json's tests: LOINC and CPT)."""
    return {
        test["code"]: {c for key in ("loinc", "cpt") for c in _as_codes(test.get(key))}
        for test in json.loads(CODES.read_text(encoding="utf-8"))["tests"]
    }


def _topics_present(response: Response, wanted: list[str]) -> None:
    assert set(wanted) <= set(_topics(response))


def _topics_absent(response: Response, unwanted: list[str]) -> None:
    assert not set(unwanted) & set(_topics(response))


def _appropriateness(response: Response, wanted: list[dict[str, str]]) -> None:
    cards = [
        c for c in response["cards"] if c["source"]["topic"]["code"] == "order-appropriateness"
    ]
    for expected in wanted:
        matching = [c for c in cards if _has_values(c["extension"][APPROPRIATENESS], expected)]
        assert matching, f"no order-appropriateness card for {expected}"
        assert any(_deletes(card, expected["order"]) for card in matching)
        if "rating" in expected:
            assert _pama_ratings(response)[expected["order"]] == expected["rating"]


def _pama_ratings(response: Response) -> dict[str, str]:
    """Order reference -> the PAMA rating its systemActions update carries."""
    ratings = {}
    for action in response.get("systemActions", []):
        resource = action["resource"]
        [rating] = [e for e in resource.get("extension", []) if e["url"] == PAMA_RATING]
        reference = f"{resource['resourceType']}/{resource['id']}"
        ratings[reference] = rating["valueCodeableConcept"]["coding"][0]["code"]
    return ratings


def _has_values(extension: Mapping[str, Any], expected: Mapping[str, str]) -> bool:
    return all(extension.get(key) == value for key, value in expected.items())


def _deletes(card: Mapping[str, Any], order: str) -> bool:
    actions = [a for s in card.get("suggestions", []) for a in s.get("actions", [])]
    return any(a["type"] == "delete" and order in _as_list(a.get("resourceId")) for a in actions)


def _as_codes(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _as_list(value: str | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _status(response: Response, wanted: dict[str, str]) -> None:
    status = _status_of(response)
    assert {code: status[code] for code in wanted} == wanted


def _not_status(response: Response, unwanted: dict[str, str]) -> None:
    status = _status_of(response)
    assert all(status[code] != value for code, value in unwanted.items()), status


def _none_likely(response: Response, wanted: bool) -> None:
    assert ("likely" in _status_of(response).values()) is not wanted


def _not_opposing(response: Response, unwanted: dict[str, list[str]]) -> None:
    opposing = {c["code"]: set(c["opposing"]) for c in _differential(response)["conditions"]}
    assert all(not opposing[code] & set(findings) for code, findings in unwanted.items())


def _checked_by_the_fhir_mock(response: Response, wanted: str) -> None:
    """`fhirRequestsUseToken` is asserted on every mocked FHIR call, in serve_fhir_data."""


CHECKS: dict[str, Callable[[Response, Any], None]] = {
    "cards": _cards,
    "top": _top,
    "unlikely": _unlikely,
    "nextTests": _next_tests,
    "nextTestsFirst": _next_tests_first,
    "avoidTests": _avoid_tests,
    "notNextTests": _not_next_tests,
    "notAvoidTests": _not_avoid_tests,
    "pamaRating": _pama_rating,
    "redFlag": _red_flag,
    "redFlags": _red_flags,
    "topics": _topics_present,
    "absentTopics": _topics_absent,
    "appropriateness": _appropriateness,
    "fhirRequestsUseToken": _checked_by_the_fhir_mock,
    "status": _status,
    "notStatus": _not_status,
    "noneLikely": _none_likely,
    "nextTestsAny": _next_tests_any,
    "notOpposing": _not_opposing,
    "noSuggestionCreates": _no_suggestion_creates,
}


# -- running a vignette ----------------------------------------------------------------------


def _call(vignette: Vignette, settings: Settings) -> Response:
    evaluated_at = datetime.fromisoformat(vignette["evaluatedAt"])
    client = create_app(settings, clock=lambda: evaluated_at).test_client()
    response = client.post(f"/cds-services/{vignette['service']}", json=vignette["request"])
    assert response.status_code == 200, response.get_json()
    body: Response = response.get_json()
    return body


def test_the_vignettes_are_found() -> None:
    assert len(list(VIGNETTES.glob("*.json"))) >= 19


@pytest.mark.parametrize("vignette", _cases())
def test_vignette(vignette: Vignette, settings: Settings) -> None:
    expect = vignette["expect"]
    assert set(expect) <= set(CHECKS), f"unknown expect keys: {set(expect) - set(CHECKS)}"
    if "fhirServerData" in vignette:
        with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
            serve_fhir_data(rsps, vignette["request"]["fhirServer"], vignette["fhirServerData"])
            response = _call(vignette, settings)
            tokens = {call.request.headers.get("Authorization") for call in rsps.calls}
        assert tokens == {f"Bearer {expect['fhirRequestsUseToken']}"}
    else:
        with responses.RequestsMock():  # no FHIR call may leave the test
            response = _call(vignette, settings)

    for card in response["cards"]:
        check_card_rules(card)
    check_card_budget(response)
    for key, wanted in expect.items():
        CHECKS[key](response, wanted)
