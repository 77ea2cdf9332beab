"""Rating drafted imaging orders against the differential (issue 5's clinical half)."""

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


def rate(kb: KnowledgeBase, test: str, present: list[str], absent: list[str] = ()) -> OrderRating:  # type: ignore[assignment]
    findings = dict.fromkeys(present, True) | dict.fromkeys(absent, False)
    presentation = Presentation(findings=findings)
    return rate_order(kb, presentation, evaluate(kb, presentation), test)


BUTTOCK = (["buttock-pain", "pain-worse-sitting"], ["pain-radiates-below-knee"])
SCIATICA = (["buttock-pain", "pain-radiates-below-knee", "leg-numbness"], [])
LATERAL_IMPACT = (["lateral-hip-pain", "pain-on-impact", "pain-after-running-with-limp"], [])


@pytest.mark.parametrize("picture", [BUTTOCK, SCIATICA, LATERAL_IMPACT])
def test_a_hip_xray_is_usually_not_appropriate_in_any_picture(
    kb: KnowledgeBase, picture: tuple[list[str], list[str]]
) -> None:
    rating = rate(kb, "xray-hip-pelvis", *picture)
    assert rating.score <= 3
    assert rating.category == "usually-not-appropriate"
    assert "stress fracture" in rating.reason


def test_the_xray_alternative_follows_the_question(kb: KnowledgeBase) -> None:
    assert rate(kb, "xray-hip-pelvis", *SCIATICA).alternative == "mri-lumbar-spine"
    assert rate(kb, "xray-hip-pelvis", *LATERAL_IMPACT).alternative == "mri-hip-pelvis"
    # Only manual tests separate the three buttock conditions: offer the exam, not an MRI.
    buttock = rate(kb, "xray-hip-pelvis", *BUTTOCK).alternative
    assert buttock is not None
    assert buttock.startswith("exam-")


def test_a_lumbar_mri_for_a_sciatica_picture_is_appropriate(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-lumbar-spine", *SCIATICA)
    assert rating.score >= 7
    assert rating.category == "usually-appropriate"
    assert rating.alternative is None


def test_a_hip_mri_for_a_leading_stress_fracture_is_the_most_appropriate(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-hip-pelvis", *LATERAL_IMPACT)
    assert rating.score == 9


def test_a_lumbar_mri_when_pain_stays_above_the_knee_is_not_useful(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-lumbar-spine", ["lateral-hip-pain", "greater-trochanter-tenderness"])
    assert rating.score <= 3
    assert rating.alternative is not None


def test_a_study_already_done_may_be_repeated_only_for_a_reason(kb: KnowledgeBase) -> None:
    rating = rate(kb, "mri-lumbar-spine", ["pain-radiates-below-knee", "mri-lumbar-disc-lesion"])
    assert rating.category == "may-be-appropriate"
    assert "already recorded" in rating.reason


def test_rating_needs_an_active_differential_and_a_known_test(kb: KnowledgeBase) -> None:
    nothing = Presentation()
    with pytest.raises(DifferentialError):
        rate_order(kb, nothing, evaluate(kb, nothing), "xray-hip-pelvis")
    presentation = Presentation(findings={"buttock-pain": True})
    with pytest.raises(DifferentialError):
        rate_order(kb, presentation, evaluate(kb, presentation), "ct-pelvis")
