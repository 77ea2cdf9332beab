"""The review weights are the very ratios the reasoner multiplies by."""

from __future__ import annotations

import pytest

from differential import Presentation, evaluate, load_knowledge_base
from differential.errors import DifferentialError
from differential.posterior import table_for
from differential.review import finding_weights

KB = load_knowledge_base()


# Another cause is ranked with the seven (contract section 4, 12-06): its reasons are
# weighed the same way, and the review covers it too.
@pytest.mark.parametrize("condition", [*(c.code for c in KB.conditions), KB.other_causes.code])
@pytest.mark.parametrize("present", [True, False])
def test_reasons_weigh_the_reviewed_chances_against_the_rivals_still_standing(
    condition: str, present: bool
) -> None:
    """A reason's ratio is the chance the review page shows for this condition over the
    prior-weighted chance among the rivals still standing (not unlikely)."""
    findings = {"buttock-pain": True, "leg-numbness": present, "groin-pain": present}
    result = evaluate(KB, Presentation(findings=findings))
    candidate = next(c for c in result.candidates if c.code == condition)
    rivals = [
        c.code
        for c in result.candidates
        if c.code != condition and c.probability >= KB.reasoning.unlikely_below
    ]
    table = table_for(KB)
    prior = dict(zip(table.conditions, table.priors, strict=True))

    for evidence in (*candidate.supporting, *candidate.opposing):
        chance = {
            code: {w.finding.code: w for w in finding_weights(KB, code)}[evidence.finding].chance
            for code in [condition, *rivals]
        }

        state = {code: p if evidence.present else 1.0 - p for code, p in chance.items()}
        weighted = sum(prior[r] * state[r] for r in rivals) / sum(prior[r] for r in rivals)
        assert evidence.likelihood_ratio == pytest.approx(state[condition] / weighted)


def test_weights_are_strongest_first_and_cover_every_finding() -> None:
    weights = finding_weights(KB, "hip-stress-fracture")

    assert len(weights) == len(KB.findings)
    assert [w.strength for w in weights] == sorted((w.strength for w in weights), reverse=True)


def test_unknown_condition_is_a_domain_error() -> None:
    with pytest.raises(DifferentialError):
        finding_weights(KB, "not-a-condition")
