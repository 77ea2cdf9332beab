"""The `when` clauses of the knowledge base's rules: unknown is not absent, an unknown age
fires no age rule, `any` and `unless` nest."""

from __future__ import annotations

from typing import Any

import pytest

from differential.model import Status
from differential.rules import RuleContext, holds
from differential.schema import When

CONTEXT = RuleContext(
    statuses={
        "lumbar-disc-sciatica": Status.LIKELY,
        "piriformis-syndrome": Status.POSSIBLE,
        "ischial-bursitis": Status.UNLIKELY,
    },
    first="lumbar-disc-sciatica",
    findings={"pain-radiates-below-knee": True, "fever": False},
    done=frozenset({"exam-straight-leg-raise"}),
)


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ({"present": "pain-radiates-below-knee"}, True),
        ({"absent": "fever"}, True),
        ({"absent": "saddle-numbness"}, False),  # unknown is not absent
        ({"unknown": "saddle-numbness"}, True),
        ({"unknown": "fever"}, False),
        ({"leading": "lumbar-disc-sciatica"}, True),
        ({"not_unlikely_all": ["lumbar-disc-sciatica", "piriformis-syndrome"]}, True),
        ({"not_unlikely_any": ["ischial-bursitis"]}, False),
        ({"done": "exam-straight-leg-raise"}, True),
        ({"not_done": "exam-straight-leg-raise"}, False),
        ({"age_under": 18}, False),  # an unknown age satisfies no age bound
        ({"age_over": 50}, False),
        ({"present": "pain-radiates-below-knee", "absent": "saddle-numbness"}, False),  # all keys
        ({"any": [{"present": "fever"}, {"absent": "fever"}]}, True),
        ({"present": "pain-radiates-below-knee", "unless": {"absent": "fever"}}, False),
    ],
)
def test_a_clause_holds_when_every_key_it_sets_holds(
    clause: dict[str, Any], expected: bool
) -> None:
    assert holds(When.model_validate(clause), CONTEXT) is expected


def test_an_age_rule_fires_on_a_recorded_age() -> None:
    young = RuleContext(statuses={}, first="", findings={}, age_years=16)

    assert holds(When(age_under=18), young)
    assert not holds(When(age_over=50), young)
