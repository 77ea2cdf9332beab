"""The CDS Hooks 2.0 card rules, checked on the JSON an EHR receives (independent of the model)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.servicerequest import ServiceRequest

TOPIC_SYSTEM = "https://gluteal-cds.org/fhir/CodeSystem/card-topic"
# Contract 5 (12-06): the avoid-test card is info on patient-view (a warning only on the
# order hooks, where the order-appropriateness card takes its place); the CT-to-MRI swap
# is an info order-appropriateness card, every other one a warning.
TOPIC_INDICATORS = {
    "red-flag": {"critical"},
    "differential": {"info"},
    "next-test": {"info"},
    "avoid-test": {"info", "warning"},
    "treatment-caution": {"warning"},
    "order-appropriateness": {"warning", "info"},
}
# Opaque JSON: the contract's extension has empty lists by design; FHIR resources are
# validated by fhir.resources instead.
OPAQUE = {"extension", "resource"}


def assert_no_empty(value: Any, path: str = "$") -> None:
    """No null, empty string, empty list or empty object anywhere outside opaque JSON."""
    assert value not in (None, "", [], {}), f"empty element at {path}"
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in OPAQUE:
                assert_no_empty(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_empty(item, f"{path}[{index}]")


def assert_valid_action(action: dict[str, Any]) -> None:
    assert action["type"] in {"create", "update", "delete"}
    assert action["description"]
    if action["type"] == "delete":
        assert action["resourceId"].startswith("ServiceRequest/")
        assert "resource" not in action
    else:
        ServiceRequest.model_validate(action["resource"])


def assert_valid_card(card: dict[str, Any]) -> None:
    """Every rule of CDS Hooks 2.0 and contract section 5 a single card must meet."""
    assert_no_empty(card)
    assert isinstance(card["uuid"], str)
    assert len(card["summary"]) < 140
    assert "\n" not in card["summary"]
    assert card["detail"]
    source = card["source"]
    assert source["label"]
    assert source["url"].startswith("https://")
    assert source["topic"]["system"] == TOPIC_SYSTEM
    assert card["indicator"] in TOPIC_INDICATORS[source["topic"]["code"]]
    if source["topic"]["code"] == "order-appropriateness" and card["indicator"] == "info":
        # Only the swap is info: an appropriate rating with the better study named.
        swap = card["extension"]["https://gluteal-cds.org/cds-hooks/appropriateness"]
        assert swap["rating"] == "appropriate"
        assert swap.get("alternative")
    for link in card.get("links", []):
        assert link["type"] in {"absolute", "smart"}
        assert link["label"]
        assert link["url"].startswith("https://")
    if "suggestions" in card:
        assert card["selectionBehavior"] in {"at-most-one", "any"}
        for suggestion in card["suggestions"]:
            assert suggestion["label"]
            assert suggestion["uuid"]
            for action in suggestion.get("actions", []):
                assert_valid_action(action)
    for reason in card.get("overrideReasons", []):
        assert reason["code"]
        assert reason["system"]
        assert reason["display"]


def topic(card: dict[str, Any]) -> str:
    code: str = card["source"]["topic"]["code"]
    return code


def check_card_rules(card: Mapping[str, Any]) -> None:
    """uuid, short summary, indicator, source with label, url and topic; selectionBehavior."""
    assert card.get("uuid")
    assert 0 < len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    source = card["source"]
    assert source["label"]
    assert source["url"]
    assert source["topic"]["system"] == TOPIC_SYSTEM
    assert source["topic"]["code"]
    if card.get("suggestions"):
        assert card.get("selectionBehavior")
        assert all(suggestion.get("uuid") for suggestion in card["suggestions"])
