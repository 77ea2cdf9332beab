"""The review weights are the very ratios the reasoner multiplies by."""

from __future__ import annotations

import pytest

from differential import Presentation, evaluate, load_knowledge_base
from differential.errors import DifferentialError
from differential.review import finding_weights

KB = load_knowledge_base()


@pytest.mark.parametrize("condition", [c.code for c in KB.conditions])
@pytest.mark.parametrize("present", [True, False])
def test_weights_match_the_evidence_of_an_evaluation(condition: str, present: bool) -> None:
    weights = {w.finding.code: w for w in finding_weights(KB, condition)}
    findings = {"buttock-pain": True, "leg-numbness": present, "groin-pain": present}

    candidate = next(
        c for c in evaluate(KB, Presentation(findings=findings)).candidates if c.code == condition
    )

    for evidence in (*candidate.supporting, *candidate.opposing):
        weight = weights[evidence.finding]
        expected = weight.ratio_present if evidence.present else weight.ratio_absent
        assert evidence.likelihood_ratio == pytest.approx(expected)


def test_weights_are_strongest_first_and_cover_every_finding() -> None:
    weights = finding_weights(KB, "hip-stress-fracture")

    assert len(weights) == len(KB.findings)
    assert [w.strength for w in weights] == sorted((w.strength for w in weights), reverse=True)


def test_unknown_condition_is_a_domain_error() -> None:
    with pytest.raises(DifferentialError):
        finding_weights(KB, "not-a-condition")
