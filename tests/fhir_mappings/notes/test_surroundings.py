"""The words around a phrase: the part of the body and the course named next to it, the study
whose report it is in, a measured volume (session 8: red flags and imaging as written)."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


# --- red flags as clinicians write them -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Since last night numb around the back passage and genitals.",
        "Reports numbness of the perineum when wiping.",
        "Perianal sensation reduced on PR.",
        "Pins and needles in the saddle area since yesterday.",
        "Tingling around his anus for two days.",
    ],
)
def test_numbness_of_the_saddle_is_saddle_numbness_not_leg_numbness(text: str) -> None:
    found = read(text)

    assert found.get("saddle-numbness") is True
    assert "leg-numbness" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Numbness in L hand after falling off the bike.",
        "Fingers tingling on the R when cycling.",
        "Face numb after the dentist this morning.",
        "R shoulder pain and numbness down the arm.",
    ],
)
def test_numbness_of_the_arm_hand_or_face_is_no_finding_of_ours(text: str) -> None:
    found = read(text)

    assert "leg-numbness" not in found
    assert "saddle-numbness" not in found


@pytest.mark.parametrize(
    "text", ["Numbness in the bottom of the R foot.", "Numb down below the knee on the L."]
)
def test_words_for_the_saddle_do_not_take_the_bottom_of_the_foot(text: str) -> None:
    assert read(text) == {"leg-numbness": True}


def test_numbness_of_the_foot_stays_leg_numbness() -> None:
    assert read("Numbness over the lateral foot, worse after long runs.") == {"leg-numbness": True}


def test_denied_perineal_numbness_is_saddle_numbness_absent() -> None:
    assert read("Denies numbness around the anus.") == {"saddle-numbness": False}


@pytest.mark.parametrize(
    "text",
    [
        "Hasn't passed urine since 6am.",
        "Not passed water for 12 hours.",
        "Unable to void since this morning.",
        "In painless retention on arrival.",
        "Catheterised in ED for retention.",
        "Bladder scan 750 ml, no urge to void.",
        "New urinary incontinence yesterday.",
        "Incontinent of faeces overnight, no prior history.",
        "New bowel incontinence this week.",
        "Bowels and bladder not working normally since Friday.",
    ],
)
def test_retention_and_new_incontinence_read_bladder_or_bowel_dysfunction(text: str) -> None:
    assert read(text).get("bladder-or-bowel-dysfunction") is True


@pytest.mark.parametrize(
    "text",
    [
        "Bladder scan 40 ml post void.",  # a small residual is no retention
        "Stress incontinence since her second child.",  # not new, not neurological
        "Ankle swelling from fluid retention on the flight.",
        "Return to ED if unable to pass urine or incontinent.",
        "FHx: father catheterised for retention.",
        "Bladder scan requested.",
    ],
)
def test_no_bladder_red_flag_from_normal_measures_old_or_hypothetical_words(text: str) -> None:
    assert read(text).get("bladder-or-bowel-dysfunction") is not True


@pytest.mark.parametrize(
    "text",
    [
        "R foot drop this morning, worse by evening.",
        "Increasing weakness of the L leg over 3 days.",
        "Weakness in both legs progressing since Monday.",
        "Foot drop getting worse on each review.",
    ],
)
def test_weakness_getting_worse_reads_progressive_leg_weakness(text: str) -> None:
    found = read(text)

    assert found.get("progressive-leg-weakness") is True
    assert found.get("leg-weakness") is True


@pytest.mark.parametrize(
    "text",
    [
        "L foot drop, not worse since last review.",
        "Foot drop improving, was worse last week.",
        "Grip weakness in the R hand getting worse.",
        "No weakness in the legs, back pain worse on sitting.",
        "Attend ED if the foot drop gets worse.",
    ],
)
def test_weakness_not_getting_worse_is_no_progressive_weakness(text: str) -> None:
    assert "progressive-leg-weakness" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Non-weight-bearing since the fall on Saturday.",
        "NWB since the race.",
        "Carried in by teammates after the race.",
        "Cannot weight bear on the R.",
        "Unable to take weight through the L leg.",
    ],
)
def test_unable_to_bear_weight_as_written(text: str) -> None:
    assert read(text).get("unable-to-bear-weight") is True


def test_non_weight_bearing_as_advice_is_not_unable_to_bear_weight() -> None:
    assert "unable-to-bear-weight" not in read("Advised to keep NWB on crutches for now.")
    assert "unable-to-bear-weight" not in read("Non-weight-bearing on crutches until review.")


# --- imaging reports -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("MRI L-spine: L4/5 disc protrusion contacting the L5 root.", "mri-lumbar-disc-lesion"),
        ("MRI showed a broad disc bulge at L5/S1.", "mri-lumbar-disc-lesion"),
        ("MRI 03/11/2026: L5/S1 disc extrusion.", "mri-lumbar-disc-lesion"),
        ("MRI pelvis: bone marrow oedema in the femoral neck.", "mri-bone-stress-injury"),
        ("MR pelvis shows a stress reaction of the pubic ramus.", "mri-bone-stress-injury"),
        ("MRI: distended ischial bursa on the R.", "mri-ischial-bursa-swelling"),
        ("MRI: proximal hamstring tendinopathy, no tear.", "mri-hamstring-tendinopathy"),
        ("MRI today: hamstring avulsion with 3 cm retraction.", "mri-hamstring-tear"),
        ("MRI R hip: trochanteric bursitis.", "mri-trochanteric-bursitis"),
        ("X-ray pelvis NAD.", "xray-hip-pelvis-normal"),
        ("Plain films of the hip normal.", "xray-hip-pelvis-normal"),
        ("Hip radiographs unremarkable.", "xray-hip-pelvis-normal"),
    ],
)
def test_a_study_done_reads_its_finding(text: str, finding: str) -> None:
    assert read(text).get(finding) is True


def test_a_report_heading_carries_over_its_sentences() -> None:
    found = read(
        "MRI R hip (radiology report): Gluteal tendons intact. No bone marrow oedema. "
        "Trochanteric bursitis with fluid."
    )

    assert found.get("mri-bone-stress-injury") is False
    assert found.get("mri-trochanteric-bursitis") is True


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("MRI: no stress reaction, no marrow oedema.", "mri-bone-stress-injury"),
        ("MRI L-spine: no disc protrusion.", "mri-lumbar-disc-lesion"),
        ("XR pelvis: cam lesion R femoral head-neck junction.", "xray-hip-pelvis-normal"),
    ],
)
def test_a_study_done_states_its_negatives(text: str, finding: str) -> None:
    assert read(text).get(finding) is False


def test_normal_said_of_one_part_of_an_abnormal_film_is_no_normal_film() -> None:
    assert "xray-hip-pelvis-normal" not in read("X-ray L hip: cam morphology, joint space normal.")


@pytest.mark.parametrize(
    "text",
    [
        "MRI requested to exclude a disc protrusion.",
        "Await MRI pelvis for ?marrow oedema.",
        "Clinically trochanteric bursitis.",  # a diagnosis, not a study's finding
        "Imp: proximal hamstring tendinopathy.",
        "Plan: XR pelvis, review with result.",
        "Lumbar spine X-ray normal.",  # a radiograph of another part
        "Comparison: previous MRI showed L4/5 disc bulge.",  # an old study
        "MRI 2019 showed an L5/S1 disc protrusion, since resolved.",
        "X-ray of the pelvis two years ago was normal.",
        "Neuro exam normal.",
    ],
)
def test_no_imaging_finding_without_a_study_of_it_done(text: str) -> None:
    found = read(text)

    assert not any(code.startswith(("mri-", "xray-")) for code in found), found


# --- session 8, third round: red flags in natural wording ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Reports numbness in the seat area since this morning.",
        "Says he can't feel his bum when he wipes.",
        "Cannot feel the toilet paper when wiping since Tuesday.",
        "Reduced perianal sensation on PR.",
    ],
)
def test_saddle_numbness_in_patients_words(text: str) -> None:
    found = read(text)

    assert found.get("saddle-numbness") is True
    assert "leg-numbness" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Both legs have become progressively weaker over three days.",
        "Leg weakness getting worse since the weekend.",
        "R foot dragging on the stairs, worse than on Monday.",
    ],
)
def test_progressive_leg_weakness_in_natural_wording(text: str) -> None:
    found = read(text)

    assert found.get("progressive-leg-weakness") is True
    assert found.get("leg-weakness") is True


@pytest.mark.parametrize(
    "text",
    ["Incontinent of faeces overnight.", "Wet himself in bed without realising it."],
)
def test_incontinence_in_natural_wording(text: str) -> None:
    assert read(text).get("bladder-or-bowel-dysfunction") is True


@pytest.mark.parametrize(
    "text",
    [
        "Cannot take weight through the R leg since the fall.",
        "Needs two people to stand from the trolley.",
        "Unable to stand unaided in ED.",
    ],
)
def test_unable_to_bear_weight_in_natural_wording(text: str) -> None:
    assert read(text).get("unable-to-bear-weight") is True


@pytest.mark.parametrize(
    "text",
    [
        "Denies numbness in the seat area.",
        "Has not wet herself.",
        "Mother is incontinent of faeces since her stroke.",
        "Return if you cannot feel your bottom when wiping.",
        "Arms progressively weaker with the myositis.",
        "Generally progressively weaker and tired since the chemo.",
        "Safety net: legs getting weaker, numbness in the seat area, incontinence.",
    ],
)
def test_no_red_flag_from_denials_relatives_or_safety_nets_in_natural_wording(text: str) -> None:
    found = read(text)

    assert found.get("saddle-numbness") is not True
    assert found.get("bladder-or-bowel-dysfunction") is not True
    assert found.get("progressive-leg-weakness") is not True


# --- session 8, third round: exam lines as templated in US and physio notes ----------


@pytest.mark.parametrize(
    ("text", "finding", "state"),
    [
        ("TTP R ischial tuberosity.", "ischial-tuberosity-tenderness", True),
        ("Tender over L ischial tuberosity, no bruising.", "ischial-tuberosity-tenderness", True),
        ("Pain on isometric hamstring testing at 30 deg.", "hamstring-resisted-test-painful", True),
        ("Resisted knee flexion painful in prone.", "hamstring-resisted-test-painful", True),
        ("Tender over R sciatic notch.", "sciatic-notch-tenderness", True),
        ("GT NT bilaterally.", "greater-trochanter-tenderness", False),
        ("GT non-tender.", "greater-trochanter-tenderness", False),
        ("SLS 30 s reproduces the lateral hip pain.", "single-leg-stance-painful", True),
    ],
)
def test_exam_lines_as_templated(text: str, finding: str, state: bool) -> None:
    assert read(text).get(finding) is state


def test_a_pelvic_drop_alone_is_not_a_painful_single_leg_stance() -> None:
    found = read("Trendelenburg positive on the R, pain-free.")

    assert "single-leg-stance-painful" not in found


def test_pain_spread_through_the_buttock_is_buttock_pain_too() -> None:
    assert read("Diffuse buttock ache for a month.") == {
        "diffuse-gluteal-pain": True,
        "buttock-pain": True,
    }


def test_pain_down_the_back_of_the_thigh_carried_on_to_the_calf_radiates_below_the_knee() -> None:
    found = read("Pain into the posterior thigh and calf when running.")

    assert found.get("pain-radiates-below-knee") is True
    assert "pain-into-upper-hamstring" not in found


def test_no_progressive_weakness_says_nothing_of_weakness_itself() -> None:
    found = read("No progressive weakness.")

    assert found == {"progressive-leg-weakness": False}


@pytest.mark.parametrize(
    "text",
    [
        "Hamstring weakness on manual testing, 4/5.",
        "Glute med weakness on the R.",
        "Core weakness.",
    ],
)
def test_weakness_of_a_hip_or_thigh_muscle_is_not_leg_weakness(text: str) -> None:
    assert "leg-weakness" not in read(text)


def test_the_nearest_part_decides_what_weakness_names() -> None:
    assert read("Weakness of ankle dorsiflexion, hip abductors fine.").get("leg-weakness") is True


def test_standing_tolerance_is_not_an_inability_to_bear_weight() -> None:
    assert "unable-to-bear-weight" not in read("Unable to stand for long at work, buttock ache.")


@pytest.mark.parametrize(
    "text", ["Walked into clinic, antalgic.", "Ambulating independently.", "Able to weight bear."]
)
def test_walking_without_help_now_is_unable_to_bear_weight_absent(text: str) -> None:
    assert read(text).get("unable-to-bear-weight") is False


@pytest.mark.parametrize(
    "text",
    [
        "Was able to weight bear until last night, now cannot.",
        "Not yet walking unaided.",
        "Walks unaided only with crutches.",
        "Aim: walking unaided by 2 weeks.",
    ],
)
def test_walking_hoped_for_past_or_helped_is_not_read_as_bearing_weight(text: str) -> None:
    assert read(text).get("unable-to-bear-weight") is not False


# --- session 8, fourth round: findings clinicians write that read as nothing before ---


@pytest.mark.parametrize(
    ("text", "finding", "state"),
    [
        ("Lost 6 kg without trying.", "unexplained-weight-loss", True),
        ("Lost 6 kg in 2 months without trying.", "unexplained-weight-loss", True),
        ("Has lost 4 kg unintentionally since the summer.", "unexplained-weight-loss", True),
        ("She has lost 3 kg but has been dieting deliberately.", "unexplained-weight-loss", False),
        ("Hopping reproduces pain.", "single-leg-hop-painful", True),
        ("Pain on hopping on the R.", "single-leg-hop-painful", True),
        ("Hop test painful.", "single-leg-hop-painful", True),
        ("Not able to weight bear.", "unable-to-bear-weight", True),
        ("Buttock pain radiating to the calf.", "pain-radiates-below-knee", True),
        ("Pain radiating into the foot.", "pain-radiates-below-knee", True),
        ("Pain radiates down the back of the leg into the foot.", "pain-radiates-below-knee", True),
        ("Numb buttocks and inner thighs.", "saddle-numbness", True),
        ("Pain at night when lying on the affected hip.", "night-pain-lying-on-side", True),
        ("Constant pain, wakes him at night.", "night-pain-at-rest", True),
        ("Wakes at night with pain, no position eases it.", "night-pain-at-rest", True),
        ("Periods irregular for 6 months.", "amenorrhoea", True),
        ("Menses absent since January.", "amenorrhoea", True),
        ("Now sore with every footstrike.", "pain-on-impact", True),
        ("Trigger points palpable in R glute med.", "gluteus-medius-trigger-points", True),
        (
            "Tuning fork over R greater trochanter: no pain.",
            "tuning-fork-or-ultrasound-painful",
            False,
        ),
        ("Resisted abduction in side-lying painful.", "resisted-abduction-painful-unloaded", True),
        ("Finds shortening his stride settles it.", "shorter-stride-relieves", True),
        ("Aching just below the sitting bone.", "pain-below-sits-bone", True),
        ("Buttock pain, diffuse, can't point to one spot.", "diffuse-gluteal-pain", True),
        ("Power 5/5 throughout.", "leg-weakness", False),
    ],
)
def test_findings_as_clinicians_write_them(text: str, finding: str, state: bool) -> None:
    assert read(text).get(finding) is state


def test_weight_lost_in_words_that_say_nothing_of_intent_reads_nothing() -> None:
    # A loss without a word on whether it was meant, and a kilogram that is no loss.
    assert "unexplained-weight-loss" not in read("Lost 2 kg over the winter. Weighs 58 kg.")
    assert "unexplained-weight-loss" not in read("Ran 10 km without trying to push.")


def test_waking_at_night_is_pain_at_rest_only_when_no_position_eases_it() -> None:
    # Contract section 3: night pain at rest is pain no position eases. Waking at night
    # alone could be the lying-on-the-hip pain of a tendinopathy: it reads neither.
    assert read("Wakes at night with pain.") == {}
    assert read("Wakes at night when lying on the R hip.") == {"night-pain-lying-on-side": True}


def test_numb_buttock_with_leg_numbness_is_not_read_as_the_saddle() -> None:
    # One buttock numb down a leg is a root's dermatome, not the saddle of cauda equina.
    assert read("Numbness of the L buttock and lateral thigh.") == {"leg-numbness": True}


def test_trigger_points_elsewhere_are_not_gluteus_medius_ones() -> None:
    assert "gluteus-medius-trigger-points" not in read("Trigger points in R upper trapezius.")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("BMI 17.2, weight 48 kg.", True),
        ("BMI: 16.9.", True),
        ("BMI 22.4.", None),
        ("BMI 18.0, lean build.", None),
        ("Low energy availability suspected? BMI 17.", None),
        ("Refer to dietitian if BMI < 17.5.", None),
        ("BMI not recorded.", None),
    ],
)
def test_a_low_body_mass_index_reads_low_energy_availability(text: str, found: bool | None) -> None:
    # Low body weight (contract 3): under 17.5 (RED-S CAT's high-risk mark); a higher BMI
    # does not exclude it, so it reads nothing.
    assert read(text).get("low-energy-availability") is found


# Safety sweep (knowledge base 1.16.0): numbers after "T" or "temp" that are no body
# temperature of the patient's, each once read as fever (a CRITICAL card).
@pytest.mark.parametrize(
    "text",
    [
        "Room temp 38 degrees in the gym today.",
        "Target temp 38.5 for hot yoga.",
        "Tibia T 38 mm stress line.",
        "T 38 ms echo time.",
        "Water temp 40 in the ice bath.",
    ],
)
def test_a_temperature_that_is_not_the_patients_body_reads_no_fever(text: str) -> None:
    assert "fever" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "UTI last month treated, fever settled.",
        "Fever in January, resolved.",
        "Fever with a chest infection, now well.",
    ],
)
def test_a_fever_written_over_is_no_fever_either_way(text: str) -> None:
    assert "fever" not in read(text)


def test_a_fever_now_after_a_settled_one_still_reads() -> None:
    assert read("Fever settled last week. Today T 38.6.").get("fever") is True


@pytest.mark.parametrize(
    "text",
    [
        "Cannot weight bear through R wrist since the fall.",
        "Unable to bear weight on the L hand.",
        "Non weight bearing for 4 weeks then review.",
    ],
)
def test_weight_not_borne_on_an_arm_or_as_an_instruction_is_no_red_flag(text: str) -> None:
    assert "unable-to-bear-weight" not in read(text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("New sphincter disturbance since this morning.", "bladder-or-bowel-dysfunction"),
        ("Can't put any weight through R leg.", "unable-to-bear-weight"),
        ("Non-weight bearing since the run.", "unable-to-bear-weight"),
    ],
)
def test_red_flags_written_plainly_are_read(text: str, finding: str) -> None:
    assert read(text).get(finding) is True


def test_fevers_or_sphincter_disturbance_denied_read_absent() -> None:
    found = read("No fevers or rigors. No red flags (no sphincter disturbance).")

    assert found.get("fever") is False
    assert found.get("bladder-or-bowel-dysfunction") is False


def test_a_sign_beside_the_sphincter_is_not_its_retention_or_incontinence() -> None:
    assert "bladder-or-bowel-dysfunction" not in read("Reduced anal tone on PR.")


@pytest.mark.parametrize(
    "text",
    [
        "Hay fever.",
        "Glandular fever aged 16.",
        "Yellow fever vaccine before travel.",
        "Rheumatic fever in childhood.",
        "Good retention of information.",
        "Catheterised for surgery 2018.",
        "Previously NWB for a metatarsal stress fracture.",
        "Ankle fracture last year, NWB for 6 weeks then.",
        "Progressive weakness in hip abductors on testing.",
        "Perineal numbness after 4h on the bike, resolved next day.",
        "Feels feverish after long runs.",
    ],
)
def test_words_of_a_red_flag_meaning_something_else_raise_none(text: str) -> None:
    red = {"fever", "bladder-or-bowel-dysfunction", "unable-to-bear-weight"}
    red |= {"progressive-leg-weakness", "saddle-numbness"}
    assert red.isdisjoint(read(text))


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Perianal sensation intact on the L, reduced on the R.", "saddle-numbness"),
        ("Afebrile on arrival, spiked 38.9 at 2am.", "fever"),
    ],
)
def test_an_absence_written_beside_its_exception_is_not_read_absent(
    text: str, finding: str
) -> None:
    assert read(text).get(finding) is not False


def test_previously_well_now_unable_to_bear_weight_still_reads() -> None:
    assert read("Previously active, now unable to weight bear.").get("unable-to-bear-weight")


def test_a_spike_is_a_temperature_read_and_n_a_is_no_answer() -> None:
    assert read("Fever N/A. Afebrile on arrival, spiked 38.9 at 2am.") == {"fever": True}


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Bladder/bowel: WNL", False),
        ("Bowel/bladder changes: denies", False),
        ("Bowel/bladder changes: N", False),
        ("Bowel/bladder: continent", False),
        ("No bladder/bowel disturbance.", False),
        ("Bladder/bowel.", None),
        ("Bowel/bladder changes: yes", True),
        ("New bladder/bowel dysfunction since this morning.", True),
        ("Says his bowels and bladder have not been working properly since Sunday.", True),
    ],
)
def test_a_templates_bladder_topic_is_no_red_flag_by_its_name(
    text: str, state: bool | None
) -> None:
    # Found by the fifth blind set (h5-07, "Bowel/bladder changes: denies" read present).
    assert read(text).get("bladder-or-bowel-dysfunction") is state


@pytest.mark.parametrize(
    "text",
    ["Patient reports urinary retention since this morning.", "Patient has new incontinence."],
)
def test_the_word_patient_never_hides_a_bladder_red_flag(text: str) -> None:
    # A review's finding: "patient" was among the words of "retention of information", and
    # nearly every note says "patient" before the symptom.
    assert read(text)["bladder-or-bowel-dysfunction"] is True


# --- a tenderness word names the site beside it (notes-recall, knowledge base 1.22.0) -----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Palpation: point tender over L ischial tuberosity.",
            {"ischial-tuberosity-tenderness": True},
        ),
        ("O/E: Tender to palpation L ischial tuberosity.", {"ischial-tuberosity-tenderness": True}),
        ("O: TTP ++ over L GT.", {"greater-trochanter-tenderness": True}),
        ("Deep tenderness over L sciatic notch.", {"sciatic-notch-tenderness": True}),
        ("Greater trochanter NTTP.", {"greater-trochanter-tenderness": False}),
        ("Exam: Lateral hip non-tender.", {"greater-trochanter-tenderness": False}),
        ("Sciatic notch NT.", {"sciatic-notch-tenderness": False}),
        ("No tenderness at the sitting bone.", {"ischial-tuberosity-tenderness": False}),
    ],
)
def test_a_tenderness_word_names_the_site_beside_it(text: str, expected: dict[str, bool]) -> None:
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tender over R sacral ala.",  # no site of ours
        "Obturator internus tender L on internal exam.",
        "TTP L paraspinals, GT examined later.",  # the trochanter is in another clause
        "Abdomen soft, non-tender.",
        "Tender.",
    ],
)
def test_a_tenderness_word_without_a_site_of_ours_in_its_clause_reads_nothing(text: str) -> None:
    assert read(text) == {}


def test_a_finding_phrase_is_not_relabelled_by_a_tenderness_rule() -> None:
    # the rules read the tenderness words only: "TTP over ischial tuberosity" stays the
    # tuberosity's though the trochanter is named after it
    found = read("TTP over ischial tuberosity and GT.")
    assert found["ischial-tuberosity-tenderness"] is True


# --- reports as radiology writes them (notes-recall) ---------------------------------------


def test_a_report_under_its_findings_and_impression_headings_is_the_studys() -> None:
    found = read(
        "MRI PELVIS / R HIP WITHOUT CONTRAST, 5 days ago:\n"
        "FINDINGS: Hamstring origins normal in signal and thickness. Ischial bursae "
        "unremarkable.\nIMPRESSION: No hamstring tendinopathy. No trochanteric bursitis."
    )

    assert found["mri-hamstring-tendinopathy"] is False
    assert found["mri-ischial-bursa-swelling"] is False
    assert found["mri-trochanteric-bursitis"] is False


def test_a_study_done_then_a_request_for_review_in_one_sentence_reads_the_finding() -> None:
    text = (
        "An MRI performed yesterday shows a complete avulsion of the conjoint tendon, and I "
        "would be very grateful if you could see her urgently."
    )
    assert read(text)["mri-hamstring-tear"] is True


@pytest.mark.parametrize(
    "text",
    [
        # still no study done: its request or plan in the finding's own clause
        "Disc bulge suspected: MRI booked to confirm.",
        "FINDINGS: bone marrow oedema at the femoral neck.",  # no study named at all
        "MRI L-spine (2019):\nIMPRESSION: L5/S1 disc protrusion.",  # an earlier year
    ],
)
def test_a_heading_or_a_clause_that_names_no_study_done_reads_nothing(text: str) -> None:
    found = read(text)

    assert not any(code.startswith(("mri-", "xray-")) for code in found), found


def test_a_site_named_as_the_field_a_tenderness_answers_is_read() -> None:
    found = read("Deep palpation over R piriformis / sciatic notch: marked TTP, familiar pain.")
    assert found == {"sciatic-notch-tenderness": True}


def test_a_tenderness_word_does_not_reach_a_site_five_words_on() -> None:
    # the trochanter examined after another tender site is its own finding, here not tender
    assert read("TTP over R PSIS and GT NT.") == {"greater-trochanter-tenderness": False}
