"""The response model refuses what CDS Hooks forbids and emits no null or empty element."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from cards.model import Action, Card, CdsResponse, Coding, Link, Source, Suggestion

SOURCE = Source(label="Gluteal pain CDS", url="https://cds.example.org/knowledge/x")


def card(**fields: Any) -> Card:
    return Card.model_validate(
        {"summary": "Most likely: X", "indicator": "info", **fields}
        | {"source": fields.get("source", SOURCE)}
    )


def delete_action() -> Action:
    return Action(type="delete", description="Remove", resource_id="ServiceRequest/xr-1")


def test_summary_of_139_characters_is_accepted_and_140_refused() -> None:
    assert card(summary="x" * 139).summary == "x" * 139
    with pytest.raises(ValidationError, match="summary"):
        card(summary="x" * 140)


def test_multiline_or_empty_summary_is_refused() -> None:
    for summary in ("", "line one\nline two"):
        with pytest.raises(ValidationError, match="summary"):
            card(summary=summary)


def test_suggestions_need_selection_behavior() -> None:
    suggestion = Suggestion(label="Cancel", actions=(delete_action(),))
    with pytest.raises(ValidationError, match="selectionBehavior"):
        card(suggestions=[suggestion])
    accepted = card(suggestions=[suggestion], selectionBehavior="at-most-one")
    assert accepted.to_json()["selectionBehavior"] == "at-most-one"


def test_at_most_one_allows_only_one_recommended_suggestion() -> None:
    suggestions = [Suggestion(label=label, is_recommended=True) for label in ("a", "b")]
    with pytest.raises(ValidationError, match="at most one"):
        card(suggestions=suggestions, selection_behavior="at-most-one")
    assert len(card(suggestions=suggestions, selection_behavior="any").suggestions) == 2


def test_unknown_indicator_or_extra_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="indicator"):
        card(indicator="hard-stop")
    with pytest.raises(ValidationError, match="colour"):
        card(colour="red")


def test_every_card_and_suggestion_gets_its_own_uuid() -> None:
    first, second = card(), card()
    assert first.uuid != second.uuid
    assert Suggestion(label="a").uuid != Suggestion(label="a").uuid


def test_source_and_link_urls_must_be_absolute() -> None:
    with pytest.raises(ValidationError, match="absolute"):
        Source(label="x", url="/knowledge/x")
    with pytest.raises(ValidationError, match="absolute"):
        Link(label="x", url="knowledge/x", type="absolute")
    with pytest.raises(ValidationError, match="appContext"):
        Link(label="x", url="https://a.example", type="absolute", app_context="{}")


def test_override_reasons_need_a_display() -> None:
    with pytest.raises(ValidationError, match="display"):
        card(overrideReasons=[Coding(system="https://s.example", code="other")])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"type": "delete", "description": "d"}, "resourceId"),
        ({"type": "delete", "description": "d", "resourceId": "xr-1"}, "resourceId"),
        (
            {"type": "delete", "description": "d", "resourceId": "http://x/ServiceRequest/1"},
            "resourceId",
        ),
        ({"type": "create", "description": "d"}, "resourceType"),
        (
            {"type": "update", "description": "d", "resource": {"resourceType": "ServiceRequest"}},
            "id",
        ),
        ({"type": "create", "resource": {"resourceType": "ServiceRequest"}}, "description"),
        ({"type": "replace", "description": "d", "resourceId": "ServiceRequest/1"}, "type"),
    ],
)
def test_actions_carry_what_their_type_needs(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Action.model_validate(fields)


def test_json_has_no_null_or_empty_elements_but_keeps_extension_as_given() -> None:
    built = card(extension={"https://x.example/ext": {"redFlags": []}})
    assert built.to_json() == {
        "uuid": built.uuid,
        "summary": "Most likely: X",
        "indicator": "info",
        "source": {"label": "Gluteal pain CDS", "url": "https://cds.example.org/knowledge/x"},
        "extension": {"https://x.example/ext": {"redFlags": []}},
    }


def test_response_always_has_cards_and_camel_case_system_actions() -> None:
    assert CdsResponse().to_json() == {"cards": []}
    update = Action(
        type="update",
        description="Rate",
        resource={"resourceType": "ServiceRequest", "id": "sr-1"},
    )
    answer = CdsResponse(system_actions=(update,)).to_json()
    # The public sandbox reads the same list under extension.systemActions (contract 5).
    assert answer.pop("extension") == {"systemActions": answer["systemActions"]}
    assert answer == {
        "cards": [],
        "systemActions": [
            {
                "type": "update",
                "description": "Rate",
                "resource": {"resourceType": "ServiceRequest", "id": "sr-1"},
            }
        ],
    }


def test_card_json_round_trips_through_the_model() -> None:
    built = card(
        suggestions=[Suggestion(label="Cancel", actions=(delete_action(),), is_recommended=True)],
        selection_behavior="at-most-one",
    )
    assert Card.model_validate(built.to_json()) == built
