"""Properties of the plan and the order answers, over random presentations and drafts.

For any presentation (findings, risk factors, duration, age, a diagnosis or an order's
indication) and any set of drafted imaging studies: no study that the same plan lists in
``nextTests``, or that a raised red flag calls for, is rated 1-3; and no card of the order
hooks suggests creating a study already drafted (contract section 5, 12-06).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cds_service.hooks.order_review import OrderUnderReview, review_orders
from differential import Presentation, evaluate, load_knowledge_base
from fhir_mappings import ImagingOrder

pytestmark = pytest.mark.slow  # hypothesis evaluates many generated presentations

KB = load_knowledge_base()
FINDINGS = sorted(code for code, f in KB.finding_by_code.items() if not f.derived_from_patient)
COMPLAINTS = sorted(KB.presenting_findings)
CONDITIONS = [c.code for c in KB.conditions]
IMAGING = sorted(t.code for t in KB.tests if t.kind == "imaging")
# The primary code each study is drafted with (codes.json, through the card catalogue).
ORDER_CODES = {
    "xray-hip-pelvis": "73501",
    "mri-lumbar-spine": "72148",
    "mri-hip-pelvis": "73721",
    "ct-lumbar-spine": "72131",
    "ct-hip-pelvis": "72192",
}

presentations = st.builds(
    lambda complaint, extra, age, diagnoses: Presentation(
        findings=extra | {complaint: True},
        sex="female",
        age_years=age,
        diagnoses=frozenset(diagnoses),
    ),
    st.sampled_from(COMPLAINTS),
    st.dictionaries(st.sampled_from(FINDINGS), st.booleans(), max_size=10),
    st.one_of(st.none(), st.integers(min_value=12, max_value=85)),
    st.sets(st.sampled_from(CONDITIONS), max_size=1),
)


@settings(max_examples=300, deadline=None)
@given(presentations)
def test_no_study_the_plan_lists_or_a_red_flag_calls_for_is_rated_not_appropriate(
    presentation: Presentation,
) -> None:
    differential = evaluate(KB, presentation)
    planned = {t.code for t in differential.next_tests}
    flagged = {code for flag in differential.red_flags for code in flag.calls_for}
    for test in (planned | flagged) & set(differential.ratings):
        assert differential.ratings[test].score >= 4, (test, differential.ratings[test])


def _order(test: str, number: int) -> ImagingOrder:
    resource = {
        "resourceType": "ServiceRequest",
        "id": f"o-{number}",
        "status": "draft",
        "intent": "order",
        "code": {
            "coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": ORDER_CODES[test]}]
        },
        "subject": {"reference": "Patient/p-1"},
    }
    return ImagingOrder(
        id=f"o-{number}",
        reference=f"ServiceRequest/o-{number}",
        test=test,
        status="draft",
        matched_by="cpt",
        resource=resource,
    )


@settings(max_examples=200, deadline=None)
@given(presentations, st.sets(st.sampled_from(IMAGING), min_size=1, max_size=3))
def test_no_order_answer_suggests_creating_a_study_already_drafted(
    presentation: Presentation, drafted: set[str]
) -> None:
    differential = evaluate(KB, presentation)
    orders = [_order(test, n) for n, test in enumerate(sorted(drafted))]
    response = review_orders(
        [OrderUnderReview(order, differential) for order in orders],
        patient_id="p-1",
        knowledge_url="https://cds.example.org",
        drafted=frozenset(drafted),
    )
    drafted_codes = {ORDER_CODES[test] for test in drafted}
    for card in response.cards:
        for suggestion in card.suggestions or ():
            for action in suggestion.actions:
                if action.resource is None or action.type.value != "create":
                    continue
                codes = {c.get("code") for c in action.resource["code"]["coding"]}
                assert not codes & drafted_codes, (card.summary, codes)
