"""Over any presentation: one card per topic, summaries that fit, no self-contradiction."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cards import render_cards
from differential import Presentation, evaluate, load_knowledge_base

pytestmark = pytest.mark.slow  # hypothesis renders many generated presentations

KB = load_knowledge_base()
FINDINGS = sorted(code for code, f in KB.finding_by_code.items() if not f.derived_from_patient)
COMPLAINTS = sorted(KB.presenting_findings)
CONDITIONS = [c.code for c in KB.conditions]

presentations = st.builds(
    lambda complaint, extra, sex, age, diagnoses: Presentation(
        findings=extra | {complaint: True},
        sex=sex,
        age_years=age,
        diagnoses=frozenset(diagnoses),
    ),
    st.sampled_from(COMPLAINTS),
    st.dictionaries(st.sampled_from(FINDINGS), st.booleans(), max_size=12),
    st.sampled_from([None, "female", "male"]),
    st.one_of(st.none(), st.integers(min_value=10, max_value=90)),
    st.lists(st.sampled_from(CONDITIONS), max_size=1),
)


@settings(max_examples=200, deadline=None)
@given(presentations)
def test_no_answer_has_two_cards_of_one_topic_or_a_cut_summary(
    presentation: Presentation,
) -> None:
    differential = evaluate(KB, presentation)
    cards = render_cards(differential, knowledge_url="https://cds.example", patient_id="p-1")
    topics = Counter(card.source.topic.code for card in cards if card.source.topic)
    assert max(topics.values(), default=0) <= 1, topics
    for card in cards:
        assert 0 < len(card.summary) < 140
        assert not card.summary.endswith(("…", "..."))


@settings(max_examples=200, deadline=None)
@given(presentations)
def test_a_study_named_by_a_red_flag_is_never_rated_below_7_nor_avoided(
    presentation: Presentation,
) -> None:
    differential = evaluate(KB, presentation)
    avoided = {t.code for t in differential.avoid_tests}
    for flag in differential.red_flags:
        for study in flag.calls_for:
            assert study not in avoided
            if study in differential.ratings:
                assert differential.ratings[study].score >= 7


def test_when_another_cause_outweighs_the_seven_the_summary_says_so() -> None:
    # Fever with buttock pain: infection and other systemic causes outweigh each of the seven.
    differential = evaluate(
        KB, Presentation(findings={"buttock-pain": True, "fever": True, "pain-on-impact": False})
    )
    # Another cause is ranked with the seven (contract section 4, 12-06) and leads here.
    assert differential.candidates[0].code == differential.other_code == "another-cause"
    assert differential.other_probability > differential.candidates[1].probability
    [card] = [
        c
        for c in render_cards(differential, knowledge_url="https://cds.example")
        if c.source.topic and c.source.topic.code == "differential"
    ]
    assert card.summary.startswith("None of the seven fits well")
    assert card.detail is not None
    assert "over 75%" in card.detail or "50-75%" in card.detail  # the band of other causes
