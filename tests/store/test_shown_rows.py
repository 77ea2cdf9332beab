"""Shown-card rows checked one by one: a value a column cannot hold loses no other call's cards."""

from __future__ import annotations

import uuid

from cds_service.store import FeedbackStore
from tests.support.shown import card, shown_count, shown_in_call


def test_one_bad_hook_instance_does_not_lose_the_other_calls_cards(store: FeedbackStore) -> None:
    for call in range(60):
        instance = "x" * 101 if call == 30 else str(uuid.uuid4())
        store.queue_shown_cards(
            shown_in_call(instance, *(card(f"c-{call}-{n}", "differential") for n in range(3)))
        )
    store.queue_shown_cards(shown_in_call("nul\x00byte", card("c-nul", "differential")))

    assert shown_count(store) == 181  # all of them: the bad values were dropped, not the rows


def test_a_card_id_the_column_cannot_hold_is_left_out_alone(store: FeedbackStore) -> None:
    store.queue_shown_cards(
        shown_in_call("h", card("u" * 65, "differential"), card("ok", "next-test"))
    )

    assert shown_count(store) == 1
