"""Our medspaCy rules: each context word, heading and result counts as the contract says."""

from __future__ import annotations

import pytest

from fhir_mappings.notes import explain_text
from tests.fhir_mappings.notes.corpus import phrases, read


def states(text: str) -> dict[str, bool | None]:
    return {m.label: state for m, state in explain_text(text, phrases())}


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Denies numbness.", "leg-numbness", False),
        # Findings written after the site, as exam lines often are ("<site> TTP").
        ("O: Ischial tuberosity TTP.", "ischial-tuberosity-tenderness", True),
        ("R GT TTP, no swelling.", "greater-trochanter-tenderness", True),
        ("R buttock pain, worse w/ sitting.", "pain-worse-sitting", True),
        ("SLR negative.", "straight-leg-raise-positive", False),
        ("SLR +ve at 40 deg.", "straight-leg-raise-positive", True),
        ("SLR at 40 deg.", "straight-leg-raise-positive", None),  # no result stated
        ("Possible radiation past the knee?", "pain-radiates-below-knee", None),
        ("If the pain spreads past the knee, MRI.", "pain-radiates-below-knee", None),
        ("Return if numbness.", "leg-numbness", None),
        ("Mother had osteoporosis.", "low-bone-density", None),
        ("Hop test not done.", "single-leg-hop-painful", None),
        ("Stress fracture in 2019.", "prior-stress-fracture", True),
        ("h/o breast ca.", "cancer-history", True),
        ("h/o numbness in the foot.", "leg-numbness", None),  # a history of a symptom
        ("Fever: \nSLR: ", "fever", None),  # an empty template field
        ("Fever: no", "fever", False),
        ("FAIR +ve, SLR neg.", "piriformis-test-positive", True),
        ("FAIR +ve, SLR neg.", "straight-leg-raise-positive", False),
        # Knowledge base 1.13.0: "TTP" and "greater troch" as clinicians write them, and the
        # side lain on as "that side" / "the affected side" (held-out-2 note k02).
        ("O/E: TTP over GT.", "greater-trochanter-tenderness", True),
        ("Tender to palpation over the greater trochanter.", "greater-trochanter-tenderness", True),
        ("TTP over greater troch L.", "greater-trochanter-tenderness", True),
        ("No TTP over GT.", "greater-trochanter-tenderness", False),
        ("Pain lying on that side.", "night-pain-lying-on-side", True),
        ("Worse lying on the affected side.", "night-pain-lying-on-side", True),
        ("No pain lying on the affected side.", "night-pain-lying-on-side", False),
    ],
)
def test_each_context_counts_as_the_contract_says(text: str, code: str, state: bool | None) -> None:
    assert states(text)[code] is state


def test_family_history_section_is_not_the_patients() -> None:
    text = "Family history:\nbreast cancer, osteoporosis\n\nComplaint: buttock pain"

    read = states(text)

    assert read["cancer-history"] is None
    assert read["low-bone-density"] is None
    assert read["buttock-pain"] is True


def test_plan_section_mentions_are_not_findings() -> None:
    assert states("Plan: physio, review numbness in 2/52")["leg-numbness"] is None


def test_worse_at_night_on_that_side_is_not_read_as_lying_on_it() -> None:
    # Night pain "on that side" does not say the patient lies on it (held-out-2 note k09).
    assert "night-pain-lying-on-side" not in states(
        "Lateral hip pain, worse at night on that side."
    )


def test_a_menstrual_history_heading_is_about_now_not_the_past() -> None:
    # Before, the heading's "history" made "regular menses" a past mention (note k05).
    assert states("Menstrual history: regular menses, LMP 2/52 ago.")["amenorrhoea"] is False
    assert states("Menstrual hx: amenorrhoea for 6 months.")["amenorrhoea"] is True
    # A past-history heading still reads its lines as past.
    assert states("Past history: regular menses.")["amenorrhoea"] is None


def test_a_safety_net_heading_makes_its_sentence_an_instruction_not_the_next_ones() -> None:
    text = "Safety netting: return if becomes febrile or unable to weight bear. Currently afebrile."

    read = states(text)

    # "Currently afebrile" is an observation (note k08); the heading's own sentence is not.
    assert read["fever"] is False
    assert read["unable-to-bear-weight"] is None
    assert [state for m, state in explain_text(text, phrases()) if m.label == "fever"] == [
        None,
        False,
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Safety netting:\n- fever\n- saddle anaesthesia\n- afebrile",  # a list item
        "Safety netting: return if febrile. Should remain afebrile.",  # an expectation
        "Safety netting: return if febrile. Afebrile.",  # not said to be now: left unread
    ],
)
def test_after_a_safety_net_heading_only_words_stating_the_present_read_absent(text: str) -> None:
    assert states(text)["fever"] is None


def test_warning_signs_listed_after_a_safety_net_heading_never_raise_a_red_flag() -> None:
    text = "Safety netting: red flags explained.\nSaddle numbness, urinary retention, fever."

    read = states(text)

    assert read["saddle-numbness"] is None
    assert read["bladder-or-bowel-dysfunction"] is None
    assert read["fever"] is None


def test_a_family_history_heading_stops_at_the_patients_own() -> None:
    read = states("FHx: sister with amenorrhoea and low BMD. Patient's own periods regular.")

    assert read["amenorrhoea"] is False  # the patient's (note k10), not the sister's
    # A pronoun is not enough: "She" and "her own" here are still the mother's.
    assert states("FHx: mother had breast ca. Her own mother had osteoporosis.") == {
        "cancer-history": None,
        "low-bone-density": None,
    }
    assert states("FHx: mother had breast ca. She also had osteoporosis.") == {
        "cancer-history": None,
        "low-bone-density": None,
    }


@pytest.mark.parametrize(
    "text",
    [
        "GI: Neg for diarrhea, fecal incontinence.",
        "ROS: Neg: fever, weight loss, incontinence.",
        "GU: negative for dysuria, frequency, urinary incontinence.",
    ],
)
def test_a_review_of_systems_line_denies_its_whole_list(text: str) -> None:
    # Found by the fourth blind corpus: the heading's ": Neg" (a test's answer, four tokens
    # of reach) hid "Neg for", and a denied incontinence was raised as a red flag.
    assert states(text)["bladder-or-bowel-dysfunction"] is False


def test_a_test_answered_negative_still_reaches_only_its_own_test() -> None:
    read = states("SLR: neg. FAIR positive.")
    assert read["straight-leg-raise-positive"] is False
    assert read["piriformis-test-positive"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Friend states she had the same, a stress fracture of the hip.",
        "Her sister has had a stress fracture.",
        "Training partner had a sacral stress fracture last year.",
        "Husband had prostate cancer.",
    ],
)
def test_a_history_told_of_another_person_is_never_the_patients(text: str) -> None:
    found = states(text)

    assert found.get("prior-stress-fracture") is None
    assert found.get("cancer-history") is None


def test_the_patients_own_history_after_another_persons_still_reads() -> None:
    found = states("Friend had a stress fracture. Pt herself had a stress fracture in 2021.")

    assert found.get("prior-stress-fracture") is True


@pytest.mark.parametrize(
    "text",
    [
        "Pain spreading down both legs to the feet.",
        "Buttock pain radiating to the foot.",
        "Pain down the back of the leg to the calf.",
        "Shooting pain into the calves on running.",
    ],
)
def test_pain_written_reaching_the_calf_or_foot_radiates_below_the_knee(text: str) -> None:
    assert states(text).get("pain-radiates-below-knee") is True


def test_pain_stopping_above_the_knee_is_upper_hamstring_pain_not_radiation() -> None:
    found = states("Pain runs down back of thigh but stops above the knee.")

    assert found.get("pain-into-upper-hamstring") is True
    assert found.get("pain-radiates-below-knee") is False


def test_a_spouse_telling_the_patients_story_is_the_patients() -> None:
    assert states("Wife reports he wet himself last night.")["bladder-or-bowel-dysfunction"] is True


def test_a_coach_reporting_the_patients_limp_is_the_patients() -> None:
    found = states("Coach noticed limping after runs and buttock pain on the track.")

    assert found.get("buttock-pain") is True


def test_a_contracted_not_denies_a_past_event() -> None:
    assert states("Hasn't wet himself.")["bladder-or-bowel-dysfunction"] is False


def test_a_past_history_heading_ends_where_the_note_turns_to_now() -> None:
    found = states(
        "PMH: osteoporosis, stress fracture L tibia 2019. Now 58F with R sits-bone pain. "
        "O/E tender over R ischial tuberosity."
    )

    assert found.get("prior-stress-fracture") is True
    assert found.get("sits-bone-pain") is True
    assert found.get("ischial-tuberosity-tenderness") is True


def test_a_past_history_heading_still_holds_its_own_list() -> None:
    found = states("PMH: sciatica with numbness of the foot, stress fracture 2019.")

    assert found.get("leg-numbness") is None
    assert found.get("prior-stress-fracture") is True


# Safety sweep (knowledge base 1.16.0): ways clinicians write a red flag they did NOT find,
# each once read as the red flag present (a CRITICAL card for a finding the note denies).
_RED_FLAGS = (
    "saddle-numbness",
    "bladder-or-bowel-dysfunction",
    "progressive-leg-weakness",
    "fever",
    "unable-to-bear-weight",
)


def red_flags_read(text: str) -> dict[str, bool]:
    return {code: state for code, state in read(text).items() if code in _RED_FLAGS}


@pytest.mark.parametrize(
    "text",
    [
        "Saddle anaesthesia: N",
        "Saddle numbness: denies",
        "Fever: N. Saddle numbness: N. Incontinence: N.",
        "Fever - denied. Urinary retention - denied.",
        "Saddle anaesthesia / urinary retention / incontinence - all denied.",
        "Red flag screen: saddle anaesthesia, urinary retention, fever - all negative.",
        "Red flags (saddle anaesthesia, bladder/bowel, fever, progressive weakness): none.",
        "Red flags checked: saddle anaesthesia N, urinary retention N, fever N",
    ],
)
def test_a_template_answered_no_after_its_red_flags_denies_them(text: str) -> None:
    found = red_flags_read(text)

    assert found, "the answered template reads its red flags absent"
    assert not any(found.values())


def test_a_template_answered_yes_still_reads_the_red_flag() -> None:
    assert red_flags_read("Saddle anaesthesia: Y. Fever: N.") == {
        "saddle-numbness": True,
        "fever": False,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Red flags discussed: saddle anaesthesia, urinary retention, progressive leg weakness.",
        "Warning signs explained: saddle numbness, loss of bladder control, fever.",
        "Safety-netted re CES symptoms (saddle anaesthesia, urinary retention).",
        "Safety netted for saddle anaesthesia, retention, incontinence.",
        "Safety-netting advice given re: fever, saddle anaesthesia.",
        "Told to call 999 in the event of urinary retention.",
        "Patient aware to re-present with saddle anaesthesia.",
        "ED precautions given for bowel/bladder incontinence.",
        "Counselled regarding cauda equina symptoms: saddle numbness, retention.",
        "Pt educated on red flag symptoms (fever, saddle anesthesia, bladder incontinence).",
        "Asked about saddle anaesthesia.",
        "Watch for fever.",
    ],
)
def test_red_flags_taught_or_asked_about_are_no_finding(text: str) -> None:
    assert red_flags_read(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Works as a carer for a patient with incontinence.",
        "Works in a care home with incontinent residents.",
    ],
)
def test_the_people_a_patient_cares_for_are_not_the_patient(text: str) -> None:
    assert red_flags_read(text) == {}


def test_fevers_in_the_household_are_not_the_patients() -> None:
    assert red_flags_read("Kids unwell with fevers at home.") == {}


def test_parents_telling_a_young_athletes_story_tell_the_patients() -> None:
    assert red_flags_read("Parents report temp 39 at home.") == {"fever": True}


def test_a_denial_stops_where_the_patient_turns_to_what_is_there() -> None:
    # Read absent before: a coded red flag silenced by the very note that raises it.
    assert red_flags_read("Denies fever, admits to incontinence x2 today.") == {
        "fever": False,
        "bladder-or-bowel-dysfunction": True,
    }
    assert red_flags_read("When asked about bladder, reports incontinence x2 today.") == {
        "bladder-or-bowel-dysfunction": True
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saddle anaesthesia? No.", {"saddle-numbness": False}),
        ("Fever? Denies.", {"fever": False}),
        (
            "Saddle numbness / retention / incontinence: nil",
            {"saddle-numbness": False, "bladder-or-bowel-dysfunction": False},
        ),
        (
            "Saddle anaesthesia (-), urinary retention (-), fever (-)",
            {"saddle-numbness": False, "bladder-or-bowel-dysfunction": False, "fever": False},
        ),
    ],
)
def test_a_question_or_a_list_answered_no_denies_each_item(
    text: str, expected: dict[str, bool]
) -> None:
    assert red_flags_read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Urinary incontinence: unknown.",
        "Bladder/bowel: not asked.",
        "Fever N/A",
        "Fever -",
        "Saddle numbness: ?",
    ],
)
def test_a_field_left_unanswered_is_neither_present_nor_absent(text: str) -> None:
    assert red_flags_read(text) == {}


def test_a_finding_stated_before_a_field_answered_no_keeps_its_own_state() -> None:
    assert red_flags_read("Saddle numbness present, fever: no") == {
        "saddle-numbness": True,
        "fever": False,
    }


def test_a_field_answered_yes_is_stated_whatever_asked_it() -> None:
    assert red_flags_read("Asked about saddle anaesthesia: yes, since yesterday.") == {
        "saddle-numbness": True
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Asked about bladder: incontinent x2 today.", {"bladder-or-bowel-dysfunction": True}),
        ("Asked about saddle anaesthesia: no", {"saddle-numbness": False}),
        ("Well educated runner with saddle numbness since Monday.", {"saddle-numbness": True}),
    ],
)
def test_a_question_answered_or_a_word_like_teaching_still_reads(
    text: str, expected: dict[str, bool]
) -> None:
    assert red_flags_read(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # notes-recall: an age, the length of the complaint and a history about now hold a
        # history's word ("old", "hx", "history") without saying the past.
        ("I saw this 41-year-old triathlete with left buttock pain.", "buttock-pain"),
        ("61 year old runner, buttock pain for 3 months.", "buttock-pain"),
        ("3/12 hx L lateral hip pain, gradual onset.", "lateral-hip-pain"),
        ("A 2-month history of left buttock pain.", "buttock-pain"),
        ("Interval hx: R lateral hip pain now 4 months.", "lateral-hip-pain"),
    ],
)
def test_an_age_or_the_length_of_the_complaint_is_not_a_history(text: str, code: str) -> None:
    assert states(text)[code] is True


def test_a_history_of_the_past_still_reads_as_a_history() -> None:
    assert states("h/o buttock pain, resolved.")["buttock-pain"] is None
    assert states("Old L5 disc bulge. Previous numbness in the foot.")["leg-numbness"] is None


def test_a_menstrual_history_heading_states_the_cycle_now() -> None:
    assert (
        states("Menstrual hx (RED-S screen): cycles regular, LMP 2 wks ago.")["amenorrhoea"]
        is False
    )


@pytest.mark.parametrize(
    "text",
    ["RED-S screen: eats 3 meals + snacks.", "Menstrual hx (RED-S screen): cycles regular."],
)
def test_a_screen_named_by_what_it_looks_for_is_not_that_condition(text: str) -> None:
    assert states(text)["low-energy-availability"] is None


def test_the_condition_itself_still_reads() -> None:
    assert states("Diagnosed with RED-S by the team dietitian.")["low-energy-availability"] is True


# --- phrasings of real clinic notes (notes-recall, knowledge base 1.22.0) ------------------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Pain localised to the L sit bone.", "sits-bone-pain", True),
        ("Pain sits just below the L sitting bone.", "pain-below-sits-bone", True),
        (
            "Pain travels into back of R thigh but stops above the knee.",
            "pain-into-upper-hamstring",
            True,
        ),
        (
            "Pain into the back of the thigh but never below the knee.",
            "pain-radiates-below-knee",
            False,
        ),
        ("No pain going down the leg.", "pain-radiates-below-knee", False),
        ("Worse with hill repeats and tempo runs.", "pain-worse-uphill-or-speed", True),
        ("Hurts most when sprinting or accelerating.", "pain-worse-uphill-or-speed", True),
        ("Stretching the hamstrings aggravates it.", "pain-worse-hamstring-stretch", True),
        ("Puranen-Orava (standing hamstring stretch) +.", "pain-worse-hamstring-stretch", True),
        ("Hamstring stretch doesn't bother it.", "pain-worse-hamstring-stretch", False),
        ("Single-leg hop R: painless x 10.", "single-leg-hop-painful", False),
        ("Agg: sitting > 30 min, stairs.", "pain-worse-sitting", True),
        ("Sitting is fine.", "pain-worse-sitting", False),
        ("Pain throughout the whole L buttock rather than one spot.", "diffuse-gluteal-pain", True),
        ("R lateral hip and outer buttock pain now 4 months.", "lateral-hip-pain", True),
        ("Deep ache in the R groin and R buttock.", "buttock-pain", True),
        ("Skipping meals on double days.", "low-energy-availability", True),
        ("Periods not returned since delivery.", "amenorrhoea", True),
        ("Menses: regular, LMP 12 days ago.", "amenorrhoea", False),
        ("PMH prostate adenocarcinoma s/p prostatectomy 2019.", "cancer-history", True),
        ("No PMH of ca.", "cancer-history", False),
        ("XR pelvis: no acute osseous abnormality.", "xray-hip-pelvis-normal", True),
        ("H/o sacral insufficiency fracture 2021.", "prior-stress-fracture", True),
        ("No previous fractures.", "prior-stress-fracture", False),
        ("Perineal sensation: intact, no numbness reported.", "saddle-numbness", False),
        ("No bladder or bowel disturbance.", "bladder-or-bowel-dysfunction", False),
        ("Weight stable. Afebrile.", "unexplained-weight-loss", False),
        ("Neg for fever, unexpected weight change.", "unexplained-weight-loss", False),
        ("Gen: NAD, ambulating without assistive device.", "unable-to-bear-weight", False),
        ("He can bear weight with a stiff-legged gait.", "unable-to-bear-weight", False),
        ("Keeps her awake at night whatever position she lies in.", "night-pain-at-rest", True),
    ],
)
def test_a_phrasing_of_real_clinic_notes_reads(text: str, code: str, state: bool) -> None:
    assert states(text)[code] is state


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # traps: each reads nothing
        ("Large bruise down the back of the R thigh.", "pain-into-upper-hamstring"),
        ("Felt a sharp pull high in the back of the L thigh.", "pain-into-upper-hamstring"),
        ("Previous fractures: L wrist 2019.", "prior-stress-fracture"),
        ("Positive for unexpected weight change.", "unexplained-weight-loss"),  # maybe a gain
        ("Bladder or bowel: not asked.", "bladder-or-bowel-dysfunction"),
        ("Myeloma screen sent.", "cancer-history"),
    ],
)
def test_a_trap_among_the_new_phrasings_reads_nothing(text: str, code: str) -> None:
    assert states(text).get(code) is None


def test_an_antalgic_gait_on_crutches_is_no_weight_borne() -> None:
    assert read("Can't bear weight, antalgic gait on crutches.")["unable-to-bear-weight"] is True


def test_pins_and_needles_written_p_and_n_is_denied_with_what_follows() -> None:
    # notes-recall: the "N" of "P&N" is no answer cutting the denial short
    assert read("Denies P&N or numbness in leg.") == {"leg-numbness": False}
    assert read("P&N in the L foot since Monday.") == {"leg-numbness": True}


def test_a_differential_diagnosis_is_not_a_finding() -> None:
    text = "DDx: gluteus medius tendinopathy, femoral neck stress fracture (less likely)."
    assert states(text).get("prior-stress-fracture") is None


def test_a_soap_plan_line_is_a_plan() -> None:
    text = "S: L buttock pain.\nP: Stop running. GP for MRI + DXA + bloods."
    assert read(text) == {"buttock-pain": True}


@pytest.mark.parametrize(
    "text", ["BP 120/80, P: 72. Buttock pain.", "A/P: likely tendinopathy. Buttock pain."]
)
def test_a_pulse_or_an_assessment_and_plan_is_no_plan_heading(text: str) -> None:
    assert read(text)["buttock-pain"] is True


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        # notes-recall: a position or an angle between a test's name and its result
        (
            "Resisted knee flexion at 30 deg: painful, 4/5 L.",
            "hamstring-resisted-test-painful",
            True,
        ),
        ("SLR 85 deg bilat, neg.", "straight-leg-raise-positive", False),
        (
            "Straight leg raise on the left was positive at 50 degrees.",
            "straight-leg-raise-positive",
            True,
        ),
    ],
)
def test_a_result_after_a_position_or_an_angle_is_the_tests(
    text: str, code: str, state: bool
) -> None:
    assert states(text)[code] is state


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        # notes-recall, second batch
        ("On detailed history the pain is in the L buttock.", "buttock-pain", True),
        ("Mild low back ache most mornings.", "low-back-pain", True),
        ("Menses regular; eating well, BMI 21.", "low-energy-availability", False),
        ("DXA last year: T-score -2.7, on alendronate.", "low-bone-density", True),
        ("R ankle DF 3/5; it is clearly weaker than last week.", "progressive-leg-weakness", True),
        ("Over 3 weeks the R foot has started slapping.", "leg-weakness", True),
        (
            "Afterwards he was limping for the rest of the day.",
            "pain-after-running-with-limp",
            True,
        ),
        ("Night pain: Y - only when lying on R side.", "night-pain-lying-on-side", True),
    ],
)
def test_a_second_batch_of_clinic_phrasings_reads(text: str, code: str, state: bool) -> None:
    assert read(text)[code] is state


def test_night_pain_only_lying_on_the_side_is_not_pain_no_position_eases() -> None:
    assert "night-pain-at-rest" not in read("Night pain: Y - only when lying on R side.")


def test_weaker_grip_than_last_week_is_no_leg_weakness() -> None:
    assert read("Grip weaker than last week.") == {}


def test_fractures_denied_are_no_stress_fracture_and_a_spot_not_found_is_diffuse_pain() -> None:
    assert read("No hx of fractures.")["prior-stress-fracture"] is False
    assert (
        read("Couldn't localise pain to one spot in the buttock.")["diffuse-gluteal-pain"] is True
    )


# --- published case prose (the case-report set read as notes, knowledge base 1.23.0) --------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Low back and buttocks pain; radiographs unremarkable.", "buttock-pain", True),
        ("Low back and buttocks pain; radiographs unremarkable.", "low-back-pain", True),
        ("Right posterior hip pain after a fall at home.", "buttock-pain", True),
        ("Hip pain radiating to the right buttock and anterior thigh.", "buttock-pain", True),
        ("Worse with prolonged sitting, lying and change of posture.", "pain-worse-sitting", True),
        ("Significant pain on a one-legged hop.", "single-leg-hop-painful", True),
        (
            "Discomfort on the one-leg hop; straight leg raise painless.",
            "single-leg-hop-painful",
            True,
        ),
        ("Hip X-ray negative; now unable to bear weight.", "xray-hip-pelvis-normal", True),
        ("Positive Freiberg, Pace, Beatty and FAIR manoeuvres.", "piriformis-test-positive", True),
        ("Lumbar MRI unremarkable.", "mri-lumbar-disc-lesion", False),
        (
            "Back pain radiating down the posterior thigh and calf.",
            "pain-radiates-below-knee",
            True,
        ),
        ("No pain below the knee; no bladder or bowel change.", "pain-radiates-below-knee", False),
        ("Unable to stand on the left leg or bear weight fully.", "unable-to-bear-weight", True),
        ("Neurological examination normal, straight leg raise positive.", "leg-weakness", False),
        (
            "Tenderness to palpation at the ischial tuberosity.",
            "ischial-tuberosity-tenderness",
            True,
        ),
        ("Pain reproduced by palpating the ischium.", "ischial-tuberosity-tenderness", True),
        ("Unilateral proximal hamstring pain with running.", "pain-below-sits-bone", True),
        ("Deep buttock pain at the right ischial tuberosity.", "sits-bone-pain", True),
        ("Poor sleep from pain lying on the left side at night.", "night-pain-lying-on-side", True),
        ("Over one year of left lateral hip and thigh pain.", "lateral-hip-pain", True),
    ],
)
def test_published_case_prose_reads_as_a_clinician_would(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # advice, not the patient's sitting
        ("Avoid prolonged sitting.", "pain-worse-sitting"),
        # the heat of running, not a fever
        ("Feels feverish after long runs.", "fever"),
        # weakness of balance, not of the foot, calf or ankle
        ("Others had overpronation and proprioceptive weakness.", "leg-weakness"),
        # a lumbar film is not the hip film
        ("Lumbar radiographs negative.", "xray-hip-pelvis-normal"),
        # crutches handed out with the plan, not a patient who cannot stand
        ("A/P: femoral neck BSI. NWB crutches today, urgent MRI pelvis.", "unable-to-bear-weight"),
        # a course ending at the thigh does not pass the knee
        (
            "Right buttock pain radiating down the leg to the posterior thigh.",
            "pain-radiates-below-knee",
        ),
    ],
)
def test_published_case_prose_traps_read_nothing(text: str, code: str) -> None:
    assert code not in read(text)


def test_a_stress_fracture_named_as_todays_diagnosis_is_no_earlier_one() -> None:
    for text in [
        "Working diagnosis: proximal femoral stress fracture.",
        "Impression: R femoral neck stress fracture.",
        "Suspect femoral neck stress fracture.",
        "Concern for stress fracture, MRI ordered.",
        "Dx: pubic ramus stress fracture",
        "MRI to exclude stress fracture.",
    ]:
        assert "prior-stress-fracture" not in read(text), text
    for text in [
        "Previous stress fracture of the tibia 2019.",
        "PMH: stress fracture R tibia.",
        "Assessment: R hip pain. Hx of tibial stress fracture 2019.",
        "She had a stress fracture of the tibia last year.",
    ]:
        assert read(text).get("prior-stress-fracture") is True, text


def test_a_course_to_the_thigh_keeps_a_stated_never_below_the_knee() -> None:
    found = read("Pain refers to post thigh to mid-thigh, never below the knee.")
    assert found["pain-radiates-below-knee"] is False


# --- held_out_6, tuned on after its first runs (knowledge base 1.23.0) ---------------------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("it doesnt go down my leg at all it stays in the butt", "pain-radiates-below-knee", False),
        ("i dont have any numbness", "leg-numbness", False),
        ("Resisted knee flexion prone 4/5 with pain.", "hamstring-resisted-test-painful", True),
        ("Resisted prone knee flexion painful R, 5-/5.", "hamstring-resisted-test-painful", True),
        ("Hop test R: unable - pain ++.", "single-leg-hop-painful", True),
        ("FADIR: pain at end range, R groin.", "hip-impingement-test-positive", True),
        ("R groin + anterolateral hip pain on marching.", "lateral-hip-pain", True),
        ("R groin + anterolateral hip pain on marching.", "groin-pain", True),
        ("Now hurts every heel strike; eases with rest.", "pain-on-impact", True),
        ("Hx: nil previous injury.", "prior-stress-fracture", False),
        ("Pain on the sit bone with cycling.", "sits-bone-pain", True),
        ("Pain on landing from box jumps.", "pain-on-impact", True),
        ("Subjective fevers at home.", "fever", True),
        ("Hop test with pain-free landing.", "single-leg-hop-painful", False),
    ],
)
def test_held_out_6_phrasings_read_as_a_clinician_would(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a differential weighed as unlikely is no earlier stress fracture, and no denial
        (
            "DDx: proximal hamstring tendinopathy; sacral stress fracture unlikely.",
            "prior-stress-fracture",
        ),
        # a visit dated back is no onset
        ("Seen 3 wks ago for R buttock pain; here for recheck.", "symptoms-over-6-weeks"),
    ],
)
def test_held_out_6_traps_read_nothing(text: str, code: str) -> None:
    assert code not in read(text)


# --- the session's review (knowledge base 1.23.0): what must still read, what must not -------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        # a trailing question answers itself, never the statement before it
        ("Saddle numbness since Tuesday - any fever? No", "saddle-numbness", True),
        ("Saddle numbness since Tuesday - any fever? No", "fever", False),
        ("Unable to weight bear since the fall - fever? no", "unable-to-bear-weight", True),
        (
            "Has had urinary incontinence x2 - any saddle numbness? No.",
            "bladder-or-bowel-dysfunction",
            True,
        ),
        # a contracted "not" reaches a few words, not the sentence's end
        (
            "Pain doesnt stop her running, has saddle numbness since Tuesday.",
            "saddle-numbness",
            True,
        ),
        (
            "Pain doesn't stop her running, has saddle numbness since Tuesday.",
            "saddle-numbness",
            True,
        ),
        ("Pain doesnt settle with rest and she has had fevers.", "fever", True),
        # today's headings end a history above them; a problem list does not swallow today
        (
            "Problem list: asthma\nSubjective: saddle numbness since this morning",
            "saddle-numbness",
            True,
        ),
        ("PMH: asthma\nCC: saddle numbness since yesterday", "saddle-numbness", True),
        ("FHx: mother breast ca.\nROS: + fever", "fever", True),
        # a review of systems denies its whole list
        (
            "Constitutional: no fevers, chills, night sweats or weight loss.",
            "unexplained-weight-loss",
            False,
        ),
        # "NAD" answers a field no; a blank followed by an answer is answered
        ("Saddle anaes: NAD", "saddle-numbness", False),
        (
            "Urinary incontinence: {YES/NO:21516} - yes, twice today",
            "bladder-or-bowel-dysfunction",
            True,
        ),
        # earlier stress fractures in their own words
        (
            "Had a stress fracture of the tibia in college, confirmed on MRI.",
            "prior-stress-fracture",
            True,
        ),
        ("Stress fracture last spring, MRI confirmed.", "prior-stress-fracture", True),
        (
            "Diagnosis: sacral stress fracture. She had a metatarsal stress fracture last year.",
            "prior-stress-fracture",
            True,
        ),
        ("Ankle dorsiflexion weaker than last week.", "progressive-leg-weakness", True),
        # a question of its own after a reading leaves the reading standing
        ("T 38.6 today, any rigors?", "fever", True),
        # a course past the thigh to the lower leg passes the knee
        (
            "Pain radiating down the leg to the posterior thigh and lower leg.",
            "pain-radiates-below-knee",
            True,
        ),
    ],
)
def test_review_sentences_read_as_a_clinician_would(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Neurovascularly intact distally.", "leg-weakness"),
        ("Hip flexion weaker than last week.", "progressive-leg-weakness"),
        ("Running times weaker than last week.", "progressive-leg-weakness"),
        ("Nocturnal pain, settles when she turns over.", "night-pain-at-rest"),
        ("Feels feverish after hot yoga.", "fever"),
        ("SLR 80 deg, hamstring 4/5 with pain.", "straight-leg-raise-positive"),
        ("Hit with impact on the buttock in rugby.", "pain-on-impact"),
        ("Fell on landing from a box jump.", "pain-on-impact"),
        ("Unable to sit up from lying.", "pain-worse-sitting"),
        ("Enjoys going up hills.", "pain-worse-uphill-or-speed"),
        (
            "IMPRESSION:\n1. Right femoral neck compression-side stress fracture.",
            "prior-stress-fracture",
        ),
        # a protocol's question whose answer sits in a column we cannot read (held_out_7)
        ("Fever > 100.4 F or feels feverish?                     X", "fever"),
        ("Numbness in groin, buttocks or inner thighs?            X", "saddle-numbness"),
    ],
)
def test_review_traps_read_nothing(text: str, code: str) -> None:
    assert code not in read(text)
