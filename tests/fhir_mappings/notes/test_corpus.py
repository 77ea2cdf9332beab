"""The note reader against the hand-annotated corpus: floors on precision and recall, and
no negated or doubtful red-flag mention ever read as present (issue 25)."""

from __future__ import annotations

import pytest

from tests.fhir_mappings.notes.corpus import notes, score

# Floors a little under the figures in docs/notes.md: a change to the phrases or the rules
# that reads worse fails here. The held-out floors are the targets. The second
# held-out set (negatives written as words of their own, session 7) was tuned on in session 8
# (recall 0.63 -> 0.96, negations 0.46 -> 0.92): it is a tuning set now, held to as much.
# The third and fourth held-out sets (written blind to the reader, session 8) are held a
# little under their first measures (third: precision 0.97, recall 0.47, negations 0.50;
# fourth: 0.91, 0.38, 0.41): floors against reading worse, not targets.
FLOORS = {
    "tuning": (0.95, 0.9),
    "held_out": (0.9, 0.85),
    "held_out_2": (0.95, 0.9),
    "held_out_3": (0.95, 0.45),
    "held_out_4": (0.9, 0.35),
}
NEGATION_FLOORS = {
    "tuning": 0.85,
    "held_out": 0.85,
    "held_out_2": 0.85,
    "held_out_3": 0.45,
    "held_out_4": 0.38,
}


def test_the_corpus_has_sixty_notes_twenty_held_out() -> None:
    assert len(notes("tuning")) + len(notes("held_out")) >= 60
    assert len(notes("held_out")) >= 20


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_precision_and_recall_stay_above_their_floors(name: str) -> None:
    result = score(name)
    precision, recall = FLOORS[name]

    assert result.precision() >= precision, result.errors
    assert result.recall() >= recall, result.errors


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_red_flag_is_read_either_way_unless_the_note_says_so(name: str) -> None:
    assert score(name).unsafe == []


@pytest.mark.parametrize("name", sorted(NEGATION_FLOORS))
def test_most_negations_are_read_as_absent(name: str) -> None:
    assert score(name).negation_accuracy() >= NEGATION_FLOORS[name]
