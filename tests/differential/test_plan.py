"""The plan's safety rules (issue 12, contract section 5): red flags on evidence, imaging
results that decide, the article's patterns, and advice that cannot harm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from differential import Differential, KnowledgeBase, Presentation, Status, evaluate
from tests.support.reasoner import Ask

FRACTURE = "hip-stress-fracture"
BONE_STRESS = ["pain-on-impact", "pain-after-running-with-limp", "single-leg-hop-painful"]
CAUDA_EQUINA = ["saddle-numbness", "bladder-or-bowel-dysfunction", "progressive-leg-weakness"]
NOW = datetime(2026, 11, 20, 15, tzinfo=UTC)


def flags(result: Differential) -> list[str]:
    return [flag.code for flag in result.red_flags]


def status(result: Differential, code: str) -> Status:
    return next(c.status for c in result.candidates if c.code == code)


def next_codes(result: Differential) -> list[str]:
    return [t.code for t in result.next_tests]


# --- Red flags ------------------------------------------------------------------------------


def test_the_fracture_flag_is_never_raised_by_exclusion(ask: Ask) -> None:
    # Buttock pain with every buttock examination negative can rank the fracture first, but
    # with no bone-stress finding there is no evidence for it: no critical alert.
    exams = ["gluteus-medius-trigger-points", "ischial-tuberosity-tenderness"]
    result = ask(present=["buttock-pain"], absent=[*exams, "hamstring-resisted-test-painful"])
    assert FRACTURE not in flags(result)
    assert not result.red_flags


def test_a_painless_tuning_fork_neither_lowers_the_fracture_nor_drops_its_flag(ask: Ask) -> None:
    picture = ["buttock-pain", "pain-after-running-with-limp", "single-leg-hop-painful"]
    before = ask(present=picture)
    after = ask(present=picture, absent=["tuning-fork-or-ultrasound-painful"])
    assert [c.probability for c in after.candidates] == [c.probability for c in before.candidates]
    assert FRACTURE in flags(before)
    assert FRACTURE in flags(after)
    assert "tuning-fork-or-ultrasound" not in next_codes(after)  # done, not proposed again


def test_the_tuning_fork_is_never_put_forward_though_its_result_still_counts(ask: Ask) -> None:
    # The article: not sensitive enough to diagnose a stress fracture. Before 1.21.0 the
    # information arithmetic suggested it in pictures like these, while the avoid-test card
    # warned against it in others.
    pictures = [
        [
            "buttock-pain",
            "xray-hip-pelvis-normal",
            "low-energy-availability",
            "prior-stress-fracture",
        ],
        ["buttock-pain", "lateral-hip-pain", "ischial-tuberosity-tenderness", "low-bone-density"],
        ["buttock-pain", "greater-trochanter-tenderness"],
    ]
    for picture in pictures:
        assert "tuning-fork-or-ultrasound" not in next_codes(ask(present=picture))
    painful = ask(present=[*pictures[2], "tuning-fork-or-ultrasound-painful"])
    before = ask(present=pictures[2])
    assert _share(painful, FRACTURE) > _share(before, FRACTURE)


def _share(result: Differential, code: str) -> float:
    return next(c.probability for c in result.candidates if c.code == code)


def test_a_recorded_diagnosis_alone_raises_no_red_flag_but_keeps_its_cautions(ask: Ask) -> None:
    result = ask(diagnoses=[FRACTURE])
    assert result.candidates[0].code == FRACTURE
    assert not result.red_flags
    with_limp = ask(present=["pain-after-running-with-limp"], diagnoses=[FRACTURE])
    assert FRACTURE in flags(with_limp)
    assert "stress-fracture-no-impact" in {c.id for c in with_limp.cautions}


def test_groin_pain_on_impact_raises_the_fracture_flag_with_the_femoral_neck_advice(
    ask: Ask,
) -> None:
    result = ask(present=["groin-pain", "pain-on-impact"])
    assert result.active  # groin pain and impact pain are presenting complaints
    [flag] = result.red_flags
    assert flag.code == FRACTURE
    assert "no running of any kind" in flag.action
    assert "anti-gravity treadmill" in flag.action
    assert next_codes(result)[0] == "mri-hip-pelvis"
    assert "exam-single-leg-hop" not in next_codes(result)
    assert "exam-single-leg-hop" in {t.code for t in result.avoid_tests}


def test_cauda_equina_calls_for_the_lumbar_mri_first_even_without_radiating_pain(
    ask: Ask,
) -> None:
    for finding in CAUDA_EQUINA:
        result = ask(present=["buttock-pain", finding])
        assert flags(result) == [finding]
        assert next_codes(result)[0] == "mri-lumbar-spine"
        assert result.ratings["mri-lumbar-spine"].score == 9
        assert "xray-hip-pelvis" in {t.code for t in result.avoid_tests}


def test_red_flags_alone_do_not_start_the_differential(ask: Ask) -> None:
    assert not ask(present=["bladder-or-bowel-dysfunction", "fever"]).active


def test_fever_asks_for_same_day_blood_tests_then_films(ask: Ask) -> None:
    result = ask(present=["lateral-hip-pain", "fever"])
    assert flags(result) == ["fever"]
    assert next_codes(result)[:3] == ["labs-infection", "xray-hip-pelvis", "mri-hip-pelvis"]
    assert "xray-hip-pelvis" not in {t.code for t in result.avoid_tests}
    assert result.ratings["xray-hip-pelvis"].score == 9


def test_several_flags_come_cauda_equina_first_then_infection_then_fracture(ask: Ask) -> None:
    result = ask(present=["groin-pain", "unable-to-bear-weight", "fever", "saddle-numbness"])
    assert flags(result) == [
        "saddle-numbness",
        "fever",
        "unable-to-bear-weight",
        FRACTURE,
    ]
    assert next_codes(result)[:4] == [
        "mri-lumbar-spine",
        "labs-infection",
        "xray-hip-pelvis",
        "mri-hip-pelvis",
    ]


# --- Imaging results decide -----------------------------------------------------------------


def test_a_negative_hip_mri_outweighs_the_symptoms(ask: Ask) -> None:
    strong = ["lateral-hip-pain", *BONE_STRESS]
    assert ask(present=strong).candidates[0].code == FRACTURE
    result = ask(present=strong, absent=["mri-bone-stress-injury"])
    assert status(result, FRACTURE) is Status.UNLIKELY
    assert FRACTURE not in flags(result)
    assert "mri-hip-pelvis" not in next_codes(result)
    assert not any("until MRI" in c.text for c in result.cautions)


def test_a_negative_mri_older_than_the_symptoms_settles_nothing(kb: KnowledgeBase) -> None:
    findings = {"lateral-hip-pain": True, "pain-on-impact": True, "mri-bone-stress-injury": False}
    times = {"mri-bone-stress-injury": NOW - timedelta(days=30), "pain-on-impact": NOW}
    stale = evaluate(kb, Presentation(findings=findings, recorded_at=times))
    assert status(stale, FRACTURE) is not Status.UNLIKELY
    times["mri-bone-stress-injury"] = NOW
    current = evaluate(kb, Presentation(findings=findings, recorded_at=times))
    assert status(current, FRACTURE) is Status.UNLIKELY


def test_a_positive_hip_mri_confirms_the_fracture_and_nothing_else_is_proposed(ask: Ask) -> None:
    result = ask(present=["buttock-pain", "mri-bone-stress-injury"])
    fracture = result.candidates[0]
    assert (fracture.code, fracture.status) == (FRACTURE, Status.LIKELY)
    assert fracture.probability >= 0.95
    assert fracture.supporting[0].decisive
    assert "mri-lumbar-spine" not in next_codes(result)
    [flag] = result.red_flags
    assert "within days" not in flag.action  # the MRI is done: orthopaedic review instead
    assert "orthopaedic review" in flag.action


def test_a_clean_lumbar_mri_rules_sciatica_out(ask: Ask) -> None:
    result = ask(present=["pain-radiates-below-knee"], absent=["mri-lumbar-disc-lesion"])
    assert status(result, "lumbar-disc-sciatica") is Status.UNLIKELY
    assert result.candidates[0].code == "piriformis-syndrome"


# --- The article's patterns ------------------------------------------------------------------


def test_the_pre_stress_fracture_is_not_argued_away_by_absent_impact_pain(ask: Ask) -> None:
    early = ask(present=["buttock-pain", "pain-after-running-with-limp"], absent=["pain-on-impact"])
    assert early.candidates[0].code == FRACTURE
    fracture = early.candidates[0]
    assert "pain-on-impact" not in {e.finding for e in fracture.opposing}


def test_relative_energy_deficiency_counts_once(ask: Ask) -> None:
    one = ask(present=["buttock-pain", "low-energy-availability"], sex="female")
    both = ask(present=["buttock-pain", "low-energy-availability", "amenorrhoea"], sex="female")
    assert [c.probability for c in one.candidates] == [c.probability for c in both.candidates]
    risk_only = ask(
        present=["buttock-pain", "low-energy-availability", "amenorrhoea", "prior-stress-fracture"],
        sex="female",
    )
    assert FRACTURE not in flags(risk_only)  # risk factors are not evidence of a fracture


# --- Cautions and the X-ray -----------------------------------------------------------------


def test_cautions_are_for_the_leading_condition_plus_the_bone_stress_caution(ask: Ask) -> None:
    result = ask(present=["lateral-hip-pain", "pain-on-impact", "greater-trochanter-tenderness"])
    assert result.candidates[0].code == "trochanteric-bursitis"
    assert {c.condition for c in result.cautions} <= {"trochanteric-bursitis", FRACTURE}
    assert "stress-fracture-no-impact" in {c.id for c in result.cautions}
    buttock = ask(present=["sits-bone-pain", "ischial-tuberosity-tenderness"])
    assert {c.condition for c in buttock.cautions} <= {
        buttock.candidates[0].code,
        "gluteus-medius-syndrome",  # the rule "separate the three before treating"
    }


def test_the_xray_is_a_first_film_when_a_fracture_leads_and_says_it_must_not_delay_mri(
    ask: Ask,
) -> None:
    result = ask(present=["buttock-pain", "pain-after-running-with-limp", "single-leg-hop-painful"])
    assert "xray-hip-pelvis" not in {t.code for t in result.avoid_tests}
    [xray] = [t for t in result.indications if t.code == "xray-hip-pelvis"]
    assert "must not delay the MRI" in xray.reason
    assert "ACR" in xray.reason
    assert 7 <= result.ratings["xray-hip-pelvis"].score <= 9


def test_a_next_test_names_the_question_it_answers(ask: Ask) -> None:
    lateral = ask(present=["lateral-hip-pain", "pain-on-impact", "night-pain-lying-on-side"])
    mri = next(t for t in lateral.next_tests if t.code == "mri-hip-pelvis")
    assert set(mri.conditions[:2]) == {FRACTURE, "trochanteric-bursitis"}
    radiating = ask(present=["buttock-pain", "pain-radiates-below-knee"])
    lumbar = next(t for t in radiating.next_tests if t.code == "mri-lumbar-spine")
    assert set(lumbar.conditions[:2]) == {"lumbar-disc-sciatica", "piriformis-syndrome"}


def test_when_every_condition_is_unlikely_the_plan_still_stands(ask: Ask) -> None:
    # Fever and every buttock examination negative: another cause outweighs all seven.
    negative = [
        "pain-radiates-below-knee",
        "gluteus-medius-trigger-points",
        "ischial-tuberosity-tenderness",
        "hamstring-resisted-test-painful",
        "piriformis-test-positive",
        "straight-leg-raise-positive",
        "lateral-hip-pain",
        "pain-on-impact",
    ]
    result = ask(present=["buttock-pain", "fever"], absent=negative)
    # Another cause is ranked with the seven (contract section 4, 12-06): it leads, naming
    # what the fever points to, and every one of the seven is unlikely.
    seven = [c for c in result.candidates if c.code != "another-cause"]
    assert all(c.status is Status.UNLIKELY for c in seven)
    assert result.candidates[0].code == "another-cause"
    assert result.candidates[0].suspected == ("tumour-or-infection",)
    assert result.other_probability > 0.9
    assert next_codes(result)[0] == "labs-infection"  # the red flag still leads


def test_an_information_test_names_the_rival_it_separates(ask: Ask) -> None:
    # Not the candidate least often positive (e.g. a hip stress fracture, far down the list)
    # but the highest-ranked rival whose rate stands apart.
    result = ask(present=["buttock-pain"])
    assert {c.code for c in result.candidates[:2]} == {
        "lumbar-disc-sciatica",
        "gluteus-medius-syndrome",
    }
    slr = next(t for t in result.next_tests if t.code == "exam-straight-leg-raise")
    assert slr.conditions[:2] == ("lumbar-disc-sciatica", "gluteus-medius-syndrome")


def test_a_common_symptom_is_no_reason_against_a_condition(ask: Ask) -> None:
    # Buttock pain is less typical of a stress fracture than of sciatica, but pelvic and
    # sacral stress fractures present with it: it must not be listed against the fracture.
    result = ask(present=["buttock-pain", "pain-radiates-below-knee", "leg-numbness"])
    fracture = next(c for c in result.candidates if c.code == FRACTURE)
    assert "buttock-pain" not in {e.finding for e in fracture.opposing}
    gluteus = next(c for c in result.candidates if c.code == "gluteus-medius-syndrome")
    assert "pain-radiates-below-knee" in {e.finding for e in gluteus.opposing}


def test_a_diagnosed_stress_fracture_gets_its_caution_and_no_hop_test(ask: Ask) -> None:
    result = ask(diagnoses=[FRACTURE])
    assert not result.red_flags  # a diagnosis raises no red flag by itself
    assert "stress-fracture-no-impact" in {c.id for c in result.cautions}
    assert "exam-single-leg-hop" not in next_codes(result)
    assert "exam-single-leg-hop" in {t.code for t in result.avoid_tests}


# --- The stress fracture is not missed (knowledge base 1.8.0) --------------------------------


def _screen(result: Differential) -> list[str]:
    return [t.code for t in result.next_tests if t.rule == "screen-for-bone-stress"]


def test_a_runner_with_buttock_pain_alone_is_asked_to_hop_whatever_the_sex(ask: Ask) -> None:
    # Before 1.8.0 a man with buttock pain and a normal film was offered four soft-tissue
    # examinations and never the hop test (the Tzoanos sacral fracture, case-report set).
    for sex in ("male", "female", None):
        result = ask(present=["buttock-pain", "xray-hip-pelvis-normal"], sex=sex)
        assert status(result, FRACTURE) is not Status.UNLIKELY
        assert _screen(result) == ["exam-single-leg-hop"]


def test_no_hop_screen_where_hopping_could_harm_or_the_bone_already_speaks(ask: Ask) -> None:
    groin = ask(present=["buttock-pain", "groin-pain"])
    fragile = ask(present=["buttock-pain", "pain-on-impact", "low-bone-density"])
    impact = ask(present=["buttock-pain", "pain-on-impact"])
    assert "exam-single-leg-hop" not in next_codes(groin)  # femoral neck: image instead
    assert "exam-single-leg-hop" not in next_codes(fragile)
    assert _screen(impact) == []  # a bone-stress finding: the MRI rules speak, not the screen


def test_the_screen_follows_the_examinations_of_the_leading_candidates(ask: Ask) -> None:
    # Knowledge base 1.10.0: with the fracture fourth behind a disc, another cause and the
    # gluteus medius, the straight leg raise comes first and the hop test is still offered,
    # last, for the fracture alone. On 1.9.0 the hop test led, worded "to separate hip stress
    # fracture from lumbar disc sciatica", which it cannot do.
    result = ask(present=["buttock-pain", "low-back-pain"], sex="male")
    codes = next_codes(result)
    assert codes[0] == "exam-straight-leg-raise"
    assert "exam-single-leg-hop" in codes
    hop = next(t for t in result.next_tests if t.code == "exam-single-leg-hop")
    assert hop.conditions == (FRACTURE,)
    assert codes.index("exam-single-leg-hop") > codes.index("exam-straight-leg-raise")


def test_a_waiting_screen_is_still_among_the_three_tests_the_card_shows(ask: Ask) -> None:
    # Knowledge base 1.24.0: a distance runner's back and buttock pain with a normal film
    # (the Haun and Miletic sacral fractures) ranks the fracture fifth; its hop screen came
    # fourth, behind three soft-tissue examinations, and so off the next-test card.
    result = ask(present=["low-back-pain", "buttock-pain", "xray-hip-pelvis-normal"], sex="female")
    codes = next_codes(result)
    assert [c.code for c in result.candidates[:3]].count(FRACTURE) == 0
    assert codes[0] == "exam-straight-leg-raise"  # the leading candidate's examination first
    assert "exam-single-leg-hop" in codes[:3]


def test_every_finding_that_makes_a_condition_likely_is_listed_for_it(ask: Ask) -> None:
    # Knowledge base 1.24.0: lateral hip pain with pain on impact made trochanteric bursitis
    # "likely" (two findings) while its reasons listed one, and the hip stress fracture, whose
    # no-impact caution that same pain raised, read "no findings for or against".
    result = ask(present=["lateral-hip-pain", "pain-on-impact"], sex="female")
    reasons = {c.code: {e.finding for e in c.supporting} for c in result.candidates}
    assert status(result, "trochanteric-bursitis") is Status.LIKELY
    assert reasons["trochanteric-bursitis"] == {"lateral-hip-pain", "pain-on-impact"}
    assert "pain-on-impact" in reasons[FRACTURE]


def test_the_no_impact_caution_leads_whatever_ranks_first(ask: Ask) -> None:
    # Knowledge base 1.24.0: with a hamstring tendinopathy leading and pain on impact keeping
    # a fracture possible, the grading advice led the caution card's summary and "no impact
    # training" stood only in its detail.
    result = ask(
        present=[
            "buttock-pain",
            "pain-on-impact",
            "pain-worse-uphill-or-speed",
            "pain-below-sits-bone",
        ],
        sex="female",
    )
    assert result.candidates[0].code == "high-hamstring-tendinopathy"
    assert result.cautions[0].id == "stress-fracture-no-impact"


def test_a_suspected_tumour_is_never_hop_tested(ask: Ask) -> None:
    # Knowledge base 1.24.0: weight loss with night pain (the tumour flag, no cancer history)
    # drew the hop test among the bedside tests while the flag asked for MRI within days.
    for extra in ([], ["pain-on-impact"], ["cancer-history"]):
        present = ["buttock-pain", "unexplained-weight-loss", "night-pain-at-rest", *extra]
        result = ask(present=present, sex="male")
        assert "tumour" in {flag.code for flag in result.red_flags}
        assert "exam-single-leg-hop" not in next_codes(result)
        assert "exam-single-leg-hop" in {t.code for t in result.avoid_tests}


def test_the_screen_leads_while_the_fracture_is_among_the_first_three(ask: Ask) -> None:
    lateral = ask(present=["lateral-hip-pain"])
    assert next_codes(lateral)[0] == "exam-single-leg-hop"


# --- A film on record is a study done (knowledge base 1.9.0) -----------------------------------


def test_a_recorded_normal_film_is_not_asked_for_again(kb: KnowledgeBase) -> None:
    # Before 1.9.0 the X-ray revealed no finding, so a normal film on record still drew
    # "Under 18, radiographs come before MRI" as the first, urgent next test.
    young = {"buttock-pain": True, "sits-bone-pain": True}
    before_film = evaluate(kb, Presentation(findings=young, age_years=15))
    after_film = evaluate(
        kb, Presentation(findings={**young, "xray-hip-pelvis-normal": True}, age_years=15)
    )

    assert next_codes(before_film)[0] == "xray-hip-pelvis"
    assert "xray-hip-pelvis" not in next_codes(after_film)


def test_fragile_bone_with_a_bone_stress_finding_and_a_normal_film_goes_to_mri_first(
    ask: Ask,
) -> None:
    picture = ["lateral-hip-pain", "pain-on-impact", "low-bone-density"]
    before_film = ask(present=picture)
    after_film = ask(present=[*picture, "xray-hip-pelvis-normal"])

    assert next_codes(before_film)[0] == "xray-hip-pelvis"
    assert next_codes(after_film)[0] == "mri-hip-pelvis"
    assert after_film.next_tests[0].urgent
