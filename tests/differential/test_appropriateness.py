"""Rating drafted imaging orders against the plan (contract section 5, order hooks)."""

from __future__ import annotations

import pytest

from differential import (
    DifferentialError,
    KnowledgeBase,
    OrderRating,
    Presentation,
    evaluate,
    rate_order,
)


def rate(
    kb: KnowledgeBase,
    test: str,
    present: list[str],
    absent: list[str] = (),  # type: ignore[assignment]
    *,
    diagnoses: frozenset[str] = frozenset(),
    age: int | None = 30,
) -> OrderRating:
    findings = dict.fromkeys(present, True) | dict.fromkeys(absent, False)
    presentation = Presentation(findings=findings, diagnoses=diagnoses, age_years=age)
    return rate_order(evaluate(kb, presentation), test)


Findings = tuple[list[str], list[str]]  # present, absent

BUTTOCK: Findings = (["buttock-pain", "pain-worse-sitting"], ["pain-radiates-below-knee"])
SCIATICA: Findings = (["buttock-pain", "pain-radiates-below-knee", "leg-numbness"], [])
LATERAL: Findings = (["lateral-hip-pain", "greater-trochanter-tenderness"], [])
LATERAL_IMPACT: Findings = (
    ["lateral-hip-pain", "pain-on-impact", "pain-after-running-with-limp"],
    [],
)


@pytest.mark.parametrize("picture", [BUTTOCK, SCIATICA, LATERAL])
def test_a_hip_xray_is_not_appropriate_for_the_soft_tissue_pictures(
    kb: KnowledgeBase, picture: tuple[list[str], list[str]]
) -> None:
    rating = rate(kb, "xray-hip-pelvis", *picture)
    assert rating.score <= 3
    assert rating.category == "usually-not-appropriate"
    assert "X-ray" in rating.reason


def test_a_hip_xray_is_a_reasonable_first_film_when_a_stress_fracture_leads(
    kb: KnowledgeBase,
) -> None:
    rating = rate(kb, "xray-hip-pelvis", *LATERAL_IMPACT)
    assert 7 <= rating.score <= 9  # ACR: usually appropriate as the first study
    assert "must not delay the MRI" in rating.reason


@pytest.mark.parametrize(("age", "appropriate"), [(16, True), (30, False), (50, False), (51, True)])
def test_the_hip_xray_follows_the_acr_age_rules(
    kb: KnowledgeBase, age: int, appropriate: bool
) -> None:
    assert (rate(kb, "xray-hip-pelvis", *BUTTOCK, age=age).score >= 7) is appropriate


def test_an_unknown_age_never_makes_the_xray_appropriate(kb: KnowledgeBase) -> None:
    assert rate(kb, "xray-hip-pelvis", *BUTTOCK, age=None).score <= 3


@pytest.mark.parametrize("flag", ["fever", "unable-to-bear-weight"])
def test_the_xray_a_red_flag_calls_for_is_rated_9(kb: KnowledgeBase, flag: str) -> None:
    assert rate(kb, "xray-hip-pelvis", [*BUTTOCK[0], flag]).score == 9


def test_the_xray_alternative_follows_the_question(kb: KnowledgeBase) -> None:
    assert rate(kb, "xray-hip-pelvis", *SCIATICA).alternative == "mri-lumbar-spine"
    # Only manual tests separate the three buttock conditions: offer the exam, not an MRI.
    buttock = rate(kb, "xray-hip-pelvis", *BUTTOCK).alternative
    assert buttock is not None
    assert buttock.startswith("exam-")


def test_a_lumbar_mri_for_a_sciatica_picture_is_appropriate_with_the_acr_timing(
    kb: KnowledgeBase,
) -> None:
    rating = rate(kb, "mri-lumbar-spine", *SCIATICA)
    assert rating.score >= 7
    assert rating.category == "usually-appropriate"
    assert rating.alternative is None
    assert "6 weeks" in rating.reason


@pytest.mark.parametrize(
    "flag", ["saddle-numbness", "bladder-or-bowel-dysfunction", "progressive-leg-weakness"]
)
def test_the_lumbar_mri_a_cauda_equina_flag_calls_for_is_rated_9(
    kb: KnowledgeBase, flag: str
) -> None:
    for picture in (SCIATICA, BUTTOCK, LATERAL):
        rating = rate(kb, "mri-lumbar-spine", [*picture[0], flag], picture[1])
        assert rating.score == 9
        assert rating.alternative is None


def test_a_hip_mri_for_a_leading_stress_fracture_is_the_most_appropriate(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-hip-pelvis", *LATERAL_IMPACT)
    assert rating.score == 9


def test_a_lumbar_mri_when_pain_stays_above_the_knee_is_not_useful(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-lumbar-spine", *LATERAL)
    assert rating.score <= 3
    assert rating.alternative is not None


def test_a_study_already_done_may_be_repeated_only_for_a_reason(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-lumbar-spine", ["pain-radiates-below-knee", "mri-lumbar-disc-lesion"])
    assert rating.category == "may-be-appropriate"
    assert "already recorded" in rating.reason


def test_ct_stands_in_for_mri_only_where_the_mri_is_called_for(kb: KnowledgeBase) -> None:
    needed = rate(kb, "ct-lumbar-spine", [*SCIATICA[0], "saddle-numbness"])
    assert needed.category == "may-be-appropriate"
    assert needed.alternative == "mri-lumbar-spine"
    assert rate(kb, "ct-hip-pelvis", *LATERAL_IMPACT).category == "may-be-appropriate"
    useless = rate(kb, "ct-hip-pelvis", *BUTTOCK)
    assert useless.score <= 3
    assert useless.alternative is not None


def test_an_orders_working_diagnosis_alone_is_enough_to_rate_it(kb: KnowledgeBase) -> None:
    rating = rate(kb, "ct-hip-pelvis", [], diagnoses=frozenset({"trochanteric-bursitis"}))
    assert rating.score <= 3


def test_rating_needs_an_active_differential_and_a_known_study(kb: KnowledgeBase) -> None:
    with pytest.raises(DifferentialError):
        rate_order(evaluate(kb, Presentation()), "xray-hip-pelvis")
    active = evaluate(kb, Presentation(findings={"buttock-pain": True}))
    with pytest.raises(DifferentialError):
        rate_order(active, "ct-pelvis")
    with pytest.raises(DifferentialError):
        rate_order(active, "exam-piriformis")  # an examination is not an order to rate
