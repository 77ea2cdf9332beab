"""The Bayesian arithmetic: the fast information-gain formulas equal the definition."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from differential import load_knowledge_base
from differential.posterior import entropy, expected_information_gain, table_for

KB = load_knowledge_base()
# What a study can reveal: findings about the pain, not the patient's sex or age.
REVEALED = sorted(code for code, f in KB.finding_by_code.items() if not f.derived_from_patient)


@pytest.mark.slow  # hypothesis checks many generated priors
@settings(max_examples=60, deadline=None)
@given(
    # The seven conditions and the open world's other causes.
    st.lists(st.floats(min_value=1e-6, max_value=1.0), min_size=8, max_size=8),
    st.lists(st.sampled_from(REVEALED), min_size=1, max_size=4, unique=True),
)
def test_information_gain_matches_the_definition(weights: list[float], findings: list[str]) -> None:
    """The fast formulas equal H(prior) - E[H(posterior)] computed the long way."""
    table = table_for(KB)
    current = tuple(w / sum(weights) for w in weights)
    expected = 0.0
    for states in itertools.product((True, False), repeat=len(findings)):
        joint = list(current)
        for finding, state in zip(findings, states, strict=True):
            joint = [j * r for j, r in zip(joint, table.likelihood(finding, state), strict=True)]
        mass = sum(joint)
        expected += mass * entropy([j / mass for j in joint])
    reference = max(0.0, entropy(current) - expected)
    assert math.isclose(
        expected_information_gain(table, current, findings), reference, abs_tol=1e-9
    )
