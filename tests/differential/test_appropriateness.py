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
    assert rating.reason.startswith("It does not")


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
    rating = rate(kb, "mri-lumbar-spine", [*SCIATICA[0], "symptoms-over-6-weeks"])
    assert 7 <= rating.score <= 8
    assert rating.category == "usually-appropriate"
    assert rating.alternative is None
    assert "after 6 weeks of conservative care" in rating.reason
    assert "candidate for injection or surgery" in rating.reason


def test_a_lumbar_mri_under_6_weeks_without_red_flags_waits_for_conservative_care(
    kb: KnowledgeBase,
) -> None:
    rating = rate(kb, "mri-lumbar-spine", SCIATICA[0], ["symptoms-over-6-weeks"])
    assert 2 <= rating.score <= 3
    assert "Conservative care first" in rating.reason
    assert "conservative care first" in rating.summary


def test_leg_weakness_under_6_weeks_makes_the_lumbar_mri_may_be_and_asks_about_it(
    kb: KnowledgeBase,
) -> None:
    rating = rate(kb, "mri-lumbar-spine", [*SCIATICA[0], "leg-weakness"], ["symptoms-over-6-weeks"])
    assert rating.score == 5
    assert "foot drop" in rating.ask
    assert "progressing" in rating.ask


def test_an_unknown_duration_rates_the_lumbar_mri_may_be_and_asks_how_long(
    kb: KnowledgeBase,
) -> None:
    rating = rate(kb, "mri-lumbar-spine", *SCIATICA)
    assert rating.score == 5
    assert rating.category == "may-be-appropriate"
    assert "How long" in rating.ask


def test_leg_weakness_of_unknown_duration_asks_about_its_course_and_the_duration(
    kb: KnowledgeBase,
) -> None:
    # Before, only "How long has the pain lasted?": a foot drop went unasked on patient-view.
    rating = rate(kb, "mri-lumbar-spine", [*SCIATICA[0], "leg-weakness"])
    assert rating.score == 5
    assert "foot drop" in rating.ask
    assert "How long" in rating.ask


@pytest.mark.parametrize("weeks_over_6", [None, True, False])
def test_the_order_reason_never_flips_the_lumbar_mri_rating(
    kb: KnowledgeBase, weeks_over_6: bool | None
) -> None:
    # The sandbox flow: the same MRI with and without the reason "sciatica".
    present, absent = list(SCIATICA[0]), list[str]()
    if weeks_over_6 is not None:
        (present if weeks_over_6 else absent).append("symptoms-over-6-weeks")
    plain = rate(kb, "mri-lumbar-spine", present, absent)
    reasoned = rate(
        kb, "mri-lumbar-spine", present, absent, diagnoses=frozenset({"lumbar-disc-sciatica"})
    )
    assert plain.score == reasoned.score


def test_a_study_that_confirms_the_orders_indication_is_never_rated_not_appropriate(
    kb: KnowledgeBase,
) -> None:
    rating = rate(
        kb, "mri-hip-pelvis", ["buttock-pain"], diagnoses=frozenset({"high-hamstring-tendinopathy"})
    )
    assert rating.score >= 4


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
    assert rating.score == 4
    assert rating.category == "may-be-appropriate"
    assert "already recorded" in rating.reason


def test_a_hip_xray_with_a_normal_film_on_record_is_a_repeat(kb: KnowledgeBase) -> None:
    # Knowledge base 1.9.0: a recorded film is a study done; before, the under-18 rule
    # rated a second film as if none had been taken.
    picture = ["buttock-pain", "sits-bone-pain"]
    first = rate(kb, "xray-hip-pelvis", picture, age=15)
    again = rate(kb, "xray-hip-pelvis", [*picture, "xray-hip-pelvis-normal"], age=15)

    assert first.score >= 7
    assert again.score == 4
    assert "already recorded" in again.reason


def test_ct_stands_in_for_mri_only_where_the_mri_is_called_for(kb: KnowledgeBase) -> None:
    needed = rate(kb, "ct-lumbar-spine", [*SCIATICA[0], "saddle-numbness"])
    assert needed.category == "may-be-appropriate"
    assert needed.alternative == "mri-lumbar-spine"
    # Week 8 of radicular pain: the MRI is 7-8, so the CT is 5 and the MRI is offered.
    week_8 = rate(kb, "ct-lumbar-spine", [*SCIATICA[0], "symptoms-over-6-weeks"])
    assert (week_8.score, week_8.alternative) == (5, "mri-lumbar-spine")
    # Week 2: the MRI is 2-3, and the CT no higher.
    week_2 = rate(kb, "ct-lumbar-spine", SCIATICA[0], ["symptoms-over-6-weeks"])
    assert (
        week_2.score <= rate(kb, "mri-lumbar-spine", SCIATICA[0], ["symptoms-over-6-weeks"]).score
    )
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


def test_a_study_that_could_show_the_leading_condition_never_says_it_cannot(
    kb: KnowledgeBase,
) -> None:
    # A hip MRI does show a trochanteric bursitis (the article): rated low in a clear picture,
    # it is "not needed now", never "neither confirms nor stages" it, as it said before.
    classic = ["lateral-hip-pain", "greater-trochanter-tenderness", "night-pain-lying-on-side"]
    findings = dict.fromkeys([*classic, "resisted-abduction-painful-unloaded"], True)
    woman = Presentation(findings=findings, sex="female", age_years=40)
    rating = rate_order(evaluate(kb, woman), "mri-hip-pelvis")
    assert rating.score <= 3
    assert "neither confirms" not in rating.reason
    assert "could show trochanteric bursitis" in rating.reason
    # A lumbar MRI shows nothing of it, and says so.
    lumbar = rate_order(evaluate(kb, woman), "mri-lumbar-spine")
    assert "neither confirms nor stages trochanteric bursitis" in lumbar.reason


def test_fever_with_radicular_pain_makes_the_lumbar_mri_the_red_flags_study(
    kb: KnowledgeBase,
) -> None:
    # Discitis or an epidural abscess: never "conservative care first" (ACR Low Back Pain,
    # suspected infection); before, the lumbar MRI was rated 2 and its CT swapped for an X-ray.
    picture = ["buttock-pain", "pain-radiates-below-knee", "fever"]
    mri = rate(kb, "mri-lumbar-spine", picture, ["symptoms-over-6-weeks"])
    assert mri.score == 9
    ct = rate(kb, "ct-lumbar-spine", picture, ["symptoms-over-6-weeks"])
    assert ct.score >= 4
    assert ct.alternative in (None, "mri-lumbar-spine")
    # Fever with buttock pain alone still calls for the hip / pelvis studies.
    assert rate(kb, "mri-hip-pelvis", ["buttock-pain", "fever"]).score == 9


@pytest.mark.parametrize(
    ("indication", "picture"),
    [
        ("trochanteric-bursitis", ["lateral-hip-pain", "greater-trochanter-tenderness"]),
        ("ischial-bursitis", ["sits-bone-pain", "pain-worse-sitting"]),
    ],
)
def test_an_mri_ordered_for_a_bursitis_is_never_rated_will_not_help(
    kb: KnowledgeBase, indication: str, picture: list[str]
) -> None:
    # Contract 5: a study that shows the order's own indication is never rated 1-3. The MRI
    # shows the bursa, though the bedside diagnoses it first: may be appropriate.
    rating = rate(kb, "mri-hip-pelvis", picture, diagnoses=frozenset({indication}))
    assert rating.score == 5
    assert rating.category == "may-be-appropriate"
    # It is no "indicated" MRI for a CT to stand in for (vignette 23): the CT stays 1-3.
    ct = rate(kb, "ct-hip-pelvis", picture, diagnoses=frozenset({indication}))
    assert ct.score <= 3


def test_back_pain_without_radicular_pain_under_6_weeks_waits_for_conservative_care(
    kb: KnowledgeBase,
) -> None:
    # ACR Low Back Pain 2021, variant 1: before, only radicular pain had a timing rule and a
    # week of back and buttock pain had its lumbar MRI rated appropriate.
    back = ["low-back-pain", "buttock-pain"]
    early = rate(
        kb, "mri-lumbar-spine", back, ["symptoms-over-6-weeks", "pain-radiates-below-knee"]
    )
    assert early.score <= 3
    assert "conservative care first" in early.summary
    assert rate(kb, "mri-lumbar-spine", [*back, "symptoms-over-6-weeks"]).score >= 4
    # A red flag's study is never held back by it.
    flagged = rate(kb, "mri-lumbar-spine", [*back, "saddle-numbness"], ["symptoms-over-6-weeks"])
    assert flagged.score == 9


def test_a_cancer_history_never_makes_the_lumbar_mri_wait_for_conservative_care(
    kb: KnowledgeBase,
) -> None:
    # A review's finding: four weeks of back pain in a cancer survivor read "without red
    # flags ... conservative care first" (ACR: history of malignancy is a variant of its own).
    rating = rate(
        kb,
        "mri-lumbar-spine",
        ["low-back-pain", "buttock-pain", "cancer-history"],
        ["symptoms-over-6-weeks", "pain-radiates-below-knee"],
    )
    assert rating.score >= 4


def test_a_ct_standing_in_for_a_fevers_mri_gives_no_fracture_reason(kb: KnowledgeBase) -> None:
    # A radiologist's finding: the pelvis CT card of a febrile patient said "for a stress
    # fracture". The swap to the MRI stands; its reason names no condition it is not for.
    rating = rate(kb, "ct-hip-pelvis", ["buttock-pain", "fever"])
    assert rating.score == 5
    assert "stress fracture" not in rating.reason


def test_a_waiting_lumbar_mri_names_the_examination_when_the_plan_asks_for_none(
    kb: KnowledgeBase,
) -> None:
    # Sciatica diagnosed (a Condition or the order's reason), day 10: nothing left to
    # separate, so the plan asks for no test; the card still names what to do instead of
    # the MRI (contract 5, `alternative`): the straight leg raise, re-examined.
    picture = ["buttock-pain", "pain-radiates-below-knee"]
    diagnosed = frozenset({"lumbar-disc-sciatica"})
    plan = evaluate(
        kb,
        Presentation(
            findings=dict.fromkeys(picture, True) | {"symptoms-over-6-weeks": False},
            diagnoses=diagnosed,
        ),
    )
    assert not [a for a in plan.next_tests if a.kind == "exam"]

    rating = rate_order(plan, "mri-lumbar-spine")

    assert (rating.score, rating.alternative) == (2, "exam-straight-leg-raise")


@pytest.mark.parametrize(
    ("present", "absent", "diagnoses", "done"),
    [
        (
            ["buttock-pain", "pain-radiates-below-knee", "straight-leg-raise-positive"],
            ["symptoms-over-6-weeks", "piriformis-test-positive"],
            frozenset(),
            "exam-straight-leg-raise",
        ),
        (
            ["buttock-pain", "pain-radiates-below-knee", "straight-leg-raise-positive"],
            ["symptoms-over-6-weeks"],
            frozenset({"lumbar-disc-sciatica"}),
            "exam-straight-leg-raise",
        ),
        (
            ["buttock-pain", "pain-worse-sitting", "ischial-tuberosity-tenderness"],
            ["pain-radiates-below-knee"],
            frozenset({"ischial-bursitis"}),
            "exam-ischial-palpation",
        ),
    ],
)
def test_the_examination_named_instead_of_a_study_is_never_one_already_done(
    kb: KnowledgeBase,
    present: list[str],
    absent: list[str],
    diagnoses: frozenset[str],
    done: str,
) -> None:
    # Review 10b, item 10: "examine instead: straight leg raise" with a positive straight
    # leg raise on record. Every examination that shows the leading candidate is done and
    # no other would change the differential: the card only cancels the study.
    rating = rate(kb, "mri-lumbar-spine", present, absent, diagnoses=diagnoses)

    assert rating.score <= 3
    assert rating.alternative != done
    assert rating.alternative is None


def test_the_next_examination_that_shows_the_diagnosis_is_named_when_one_is_done(
    kb: KnowledgeBase,
) -> None:
    # Trochanter palpation recorded: resisted hip abduction (not done) also shows it.
    present = ["lateral-hip-pain", "greater-trochanter-tenderness"]
    rating = rate(kb, "mri-lumbar-spine", present, diagnoses=frozenset({"trochanteric-bursitis"}))

    assert (rating.score, rating.alternative) == (3, "exam-resisted-abduction")


@pytest.mark.parametrize(
    ("diagnosis", "exam"),
    [
        ("trochanteric-bursitis", "exam-trochanter-palpation"),
        ("gluteus-medius-syndrome", "exam-gluteus-medius-palpation"),
    ],
)
def test_a_study_that_will_not_help_a_diagnosis_on_record_names_its_examination(
    kb: KnowledgeBase, diagnosis: str, exam: str
) -> None:
    # A lumbar MRI for a diagnosed bursitis with nothing left in the plan: rated 1-3 and
    # the examination that shows the diagnosis is named instead, never nothing.
    rating = rate(kb, "mri-lumbar-spine", [], diagnoses=frozenset({diagnosis}))

    assert rating.score <= 3
    assert rating.alternative == exam


def test_a_repeat_of_a_negative_mri_may_be_appropriate_unless_a_red_flag_calls_for_it(
    kb: KnowledgeBase,
) -> None:
    # Review 10 (item 10): a lumbar MRI 10 days after one without a disc lesion, nothing new
    # since. ACR has no rating for an unchanged repeat: "may be appropriate" (4), never the
    # guideline's 8 for a first MRI after 6 weeks; a red flag's study is never held back.
    picture = ["buttock-pain", "pain-radiates-below-knee", "symptoms-over-6-weeks"]
    repeat = rate(kb, "mri-lumbar-spine", picture, ["mri-lumbar-disc-lesion"])
    flagged = rate(
        kb, "mri-lumbar-spine", [*picture, "saddle-numbness"], ["mri-lumbar-disc-lesion"]
    )

    assert (repeat.score, repeat.category) == (4, "may-be-appropriate")
    assert "already recorded" in repeat.reason
    assert flagged.score == 9
