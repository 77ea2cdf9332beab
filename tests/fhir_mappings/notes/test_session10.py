"""Session 10 (knowledge base 1.24.0): report titles, headings that end a history, masks
denied, doubts and a patient's questions; each rule with the near miss that must not fire."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


# --- a formal report's title names its study -----------------------------------------------

LUMBAR_REPORT = (
    "MRI LUMBAR SPINE WITHOUT CONTRAST\n"
    "Comparison: Radiographs lumbar spine 09/2026.\n"
    "Findings:\n"
    "Vertebral marrow signal normal; no marrow oedema.\n"
    "L5-S1: Right paracentral disc protrusion contacting the S1 nerve root."
)


def test_a_reports_title_line_names_the_study_its_findings_belong_to() -> None:
    found = read(LUMBAR_REPORT)

    # the comparison above is an earlier study; "Findings:" ends it
    assert found.get("mri-lumbar-disc-lesion") is True


def test_a_spine_report_says_nothing_of_the_hips_bones() -> None:
    assert "mri-bone-stress-injury" not in read(LUMBAR_REPORT)


def test_a_hip_report_under_its_title_reads_its_marrow() -> None:
    text = "MRI LEFT HIP WITHOUT CONTRAST\nFindings:\nMarrow oedema in the femoral neck."
    assert read(text).get("mri-bone-stress-injury") is True


@pytest.mark.parametrize(
    "text",
    [
        # a title in prose case, or one with a request, names no study done
        "Mri left hip\nFindings:\nMarrow oedema in the femoral neck.",
        "MRI LEFT HIP REQUESTED\nFindings:\nMarrow oedema in the femoral neck.",
    ],
)
def test_a_title_that_is_no_report_reads_nothing(text: str) -> None:
    assert "mri-bone-stress-injury" not in read(text)


def test_a_sentence_naming_the_spine_and_the_pelvis_is_still_a_pelvis_film() -> None:
    found = read("Lumbar spine and pelvis radiographs normal.")
    assert found.get("xray-hip-pelvis-normal") is True


# --- headings that end a history --------------------------------------------------------


def test_todays_observations_end_a_past_history() -> None:
    text = (
        "PMH: osteoporosis, prostate ca 2012.\n"
        "Obs: T 38.2 C, HR 96.\n"
        "New urinary incontinence since admission per nursing staff."
    )
    found = read(text)

    assert found.get("fever") is True
    assert found.get("bladder-or-bowel-dysfunction") is True
    assert found.get("cancer-history") is True


def test_a_background_heading_is_a_history_until_the_note_turns_to_now() -> None:
    text = (
        "Background: L buttock pain shooting down to the calf in 2019, fully resolved.\n"
        "Currently no buttock pain, no numbness in the legs."
    )
    found = read(text)

    assert found.get("buttock-pain") is False
    assert found.get("leg-numbness") is False
    assert "pain-radiates-below-knee" not in found


def test_investigations_end_a_background_heading() -> None:
    text = "Background: T2DM.\nInvestigations: bladder scan 900 ml."
    assert read(text).get("bladder-or-bowel-dysfunction") is True


# --- a masking word denied hides nothing -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Menses regular, no hormonal contraception.", "amenorrhoea"),
        ("Cycles regular, not on hormonal contraception.", "amenorrhoea"),
        ("Afebrile, no paracetamol today.", "fever"),
    ],
)
def test_a_masking_word_denied_lets_the_absence_count(text: str, code: str) -> None:
    assert read(text).get(code) is False


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Menses regular on the pill.", "amenorrhoea"),
        ("Afebrile, not stopped paracetamol.", "fever"),  # "not" is no "not on"
        ("Not yet fully weight bearing.", "unable-to-bear-weight"),  # the mask is a denial
    ],
)
def test_a_masking_word_not_denied_still_masks(text: str, code: str) -> None:
    assert code not in read(text)


# --- doubts and a patient's questions -------------------------------------------------


def test_a_diagnosis_not_excluded_is_a_doubt() -> None:
    text = "XR L hip: No fracture or dislocation.\nImpression: occult NOF fracture not excluded."
    assert read(text).get("xray-hip-pelvis-normal") is True


def test_a_diagnosis_excluded_is_stated() -> None:
    # the near miss: a fracture the film shows still reads the film abnormal
    assert read("XR L hip: fracture of the femoral neck.").get("xray-hip-pelvis-normal") is False


@pytest.mark.parametrize(
    "text",
    [
        "She asked whether this is the cancer her sister had.",
        "Wonders if it could be cancer.",
    ],
)
def test_a_patients_question_is_no_finding(text: str) -> None:
    assert "cancer-history" not in read(text)


@pytest.mark.parametrize(
    "text",
    [
        "Asked whether she has saddle numbness: yes.",  # a question answered is stated
        "She asked whether she can run. Saddle numbness since Monday.",  # its own sentence
    ],
)
def test_a_question_answered_or_ended_leaves_the_red_flag_read(text: str) -> None:
    assert read(text) == {"saddle-numbness": True}


# --- phrases clinicians write (knowledge base 1.24.0) --------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("R buttock and back-of-hip pain since the race.", "buttock-pain", True),
        ("3 weeks of right buttock and lateral hip ache.", "lateral-hip-pain", True),
        ("Pain goes into the back of the right thigh.", "pain-into-upper-hamstring", True),
        (
            "Shooting pain down the lateral calf to the dorsum of the foot.",
            "pain-radiates-below-knee",
            True,
        ),
        (
            "Pain goes into the thigh but does not go below the knee.",
            "pain-radiates-below-knee",
            False,
        ),
        ("Down the back of the thigh to just above the knee.", "pain-radiates-below-knee", False),
        ("Pain stays in the buttock.", "pain-radiates-below-knee", False),
        ("No radiation beyond the knee.", "pain-radiates-below-knee", False),
        ("Worse w/ ruck and on hill runs.", "pain-worse-uphill-or-speed", True),
        ("Sharp with sprinting and kicking.", "pain-worse-uphill-or-speed", True),
        ("No pain with hill sessions now.", "pain-worse-uphill-or-speed", False),
        (
            "After the 2-mile run he limped the rest of the day.",
            "pain-after-running-with-limp",
            True,
        ),
        ("Wakes at night when he rolls onto the R side.", "night-pain-lying-on-side", True),
        ("Woken by pain whatever position he lies in.", "night-pain-at-rest", True),
        ("No fever; his weight is steady.", "unexplained-weight-loss", False),
        ("Low bone mineral density for age (Z -1.6).", "low-bone-density", True),
        ("An athlete with female athlete triad features.", "low-energy-availability", True),
        ("Her menses had been absent for 8 months.", "amenorrhoea", True),
        ("Numb down below - cannot feel the paper when wiping.", "saddle-numbness", True),
        ("L foot weaker this evening than this morning.", "progressive-leg-weakness", True),
        ("Power and sensation normal in both legs.", "leg-weakness", False),
        ("MRI L hip: Ischial bursa: No distension.", "mri-ischial-bursa-swelling", False),
        (
            "XR pelvis: SI joint sclerosis and erosions; hip joints normal.",
            "xray-hip-pelvis-normal",
            False,
        ),
    ],
)
def test_phrases_clinicians_write_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Large bruise down the back of the R thigh.", "pain-into-upper-hamstring"),
        ("R hand weaker this evening.", "progressive-leg-weakness"),  # not a leg
        ("Wrist weaker this afternoon.", "leg-weakness"),
        ("Runs hills most nights.", "night-pain-at-rest"),
        ("Limped into clinic.", "pain-after-running-with-limp"),  # a limp, no run after it
    ],
)
def test_near_misses_read_no_such_finding(text: str, code: str) -> None:
    assert code not in read(text)


def test_a_diagnosis_considered_is_no_abnormal_film() -> None:
    found = read("MDM: Concern for septic sacroiliitis. XR pelvis: NAD.")
    assert found.get("xray-hip-pelvis-normal") is True


def test_radiation_denied_to_the_calf_is_still_read_absent() -> None:
    # why "does not radiate" alone is no phrase: its "not" would stop reaching the calf
    assert read("Pain does not radiate to the calf.").get("pain-radiates-below-knee") is False


# --- durations -------------------------------------------------------------------------


def duration(text: str) -> int | None:
    return read_text(text, phrases()).duration_days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("CC: R buttock/hip pain on ruck marches x3/52.", 21),
        ("L buttock pain x4wks.", 28),
        ("L buttock and low back ache.\nOnset 6 weeks ago after a long downhill race.", 42),
        ("Buttock pain shooting down both legs. This episode began 6 days ago.", 6),
        ("3 weeks of buttock and knee pain.", 21),  # ours first
    ],
)
def test_durations_as_written_date_the_complaint(text: str, days: int) -> None:
    assert duration(text) == days


@pytest.mark.parametrize(
    "text",
    [
        "Today: 10 days of R lateral knee pain coming on 3 km into runs.",  # another part
        "An episode of fever 3 weeks ago.",  # no "this episode", no onset
    ],
)
def test_durations_of_another_complaint_date_nothing(text: str) -> None:
    assert duration(text) is None


# --- a discharge summary's admission ----------------------------------------------------

SUMMARY = (
    "DISCHARGE SUMMARY\n"
    "Presenting complaint: 4 days of severe left buttock pain, fevers to 39.1 C with rigors.\n"
    "Course: IV flucloxacillin. Afebrile from 30/11.\n"
    "At discharge: buttock pain 2/10."
)


def test_a_discharge_summarys_later_words_replace_its_admissions() -> None:
    found = read(SUMMARY)

    assert found.get("fever") is False
    assert found.get("buttock-pain") is True


def test_an_admission_finding_nothing_later_mentions_still_reads() -> None:
    text = "DISCHARGE SUMMARY\nPresenting complaint: 7 kg unintentional weight loss.\nCourse: RT."
    assert read(text).get("unexplained-weight-loss") is True


def test_an_admission_never_replaces_a_later_finding() -> None:
    text = (
        "Discharge summary\nCourse: new urinary retention on day 2, catheterised.\n"
        "On admission: no bladder or bowel problems."
    )
    assert read(text).get("bladder-or-bowel-dysfunction") is True


def test_outside_a_discharge_summary_a_presenting_complaint_is_now() -> None:
    # the near miss: a clinic letter's presenting complaint, then a fever denied elsewhere
    # keeps the present reading (a present mention wins over an absent one)
    text = "Presenting complaint: buttock pain, fevers to 39.1 C.\nExam: afebrile today."
    assert read(text).get("fever") is True


# --- a test's sign, a graded foot or ankle movement ---------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        (
            "Provocation: thigh thrust R +, distraction +, compression +, sacral thrust -.",
            "si-joint-provocation-positive",
            True,
        ),
        ("Thigh thrust -, distraction -, compression -.", "si-joint-provocation-positive", False),
        ("Hip FADIR -.", "hip-impingement-test-positive", False),
        ("FAIR R +", "piriformis-test-positive", True),
        ("Plantarflexion power is 4/5 on the left.", "leg-weakness", True),
        ("L ankle DF 3/5, R 4/5.", "leg-weakness", True),
        ("Denies prior fx.", "prior-stress-fracture", False),
        ("Walks without a limp.", "unable-to-bear-weight", False),
        ("Pain does not go below the knee.", "pain-radiates-below-knee", False),
        ("Pain goes below the knee.", "pain-radiates-below-knee", True),
    ],
)
def test_signs_grades_and_short_forms_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SLR - see below.", "straight-leg-raise-positive"),  # a dash opening more words
        ("Fever -", "fever"),  # a finding's field left blank, not a test's sign
        ("Hip flexion 4/5, ankle DF 5/5.", "leg-weakness"),  # a hip movement is no leg weakness
        ("FABER N/T.", "leg-numbness"),  # "N/T" is also "not tested"
        ("Previous fracture of the L wrist.", "prior-stress-fracture"),  # no stress fracture
    ],
)
def test_their_near_misses_read_nothing(text: str, code: str) -> None:
    assert code not in read(text)


@pytest.mark.parametrize(
    "text",
    # a normal examination "except" one sign (session 9's review) reads no absence; since
    # session 10 the sign it names, a great toe extensor graded 4/5, reads the weakness
    ["Neurologically intact apart from L EHL 4/5.", "Power 5/5 except EHL 4/5."],
)
def test_the_sign_a_normal_examination_excepts_is_read(text: str) -> None:
    assert read(text).get("leg-weakness") is True


def test_a_graded_hamstring_with_pain_is_still_its_tests_result() -> None:
    found = read("Resisted knee flexion prone 4/5 with pain.")
    assert found == {"hamstring-resisted-test-painful": True}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # why no denial is written inside the new phrases: it would reach nothing after them
        ("Pain does not go below the knee or cause numbness.", "leg-numbness"),
        ("MRI L hip: No fracture line or marrow oedema.", "mri-bone-stress-injury"),
    ],
)
def test_a_denial_reaches_the_list_after_the_new_phrases(text: str, code: str) -> None:
    assert read(text).get(code) is False


# --- a template's boxes and a protocol's columns -----------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Numbness/tingling: [ ] Y [x] N", "leg-numbness", False),
        ("Saddle numbness: [x] Y [ ] N", "saddle-numbness", True),
        ("Hx stress fracture: [ ] Y [x] N", "prior-stress-fracture", False),
        ("FADIR: [ ] pos [x] neg", "hip-impingement-test-positive", False),
        ("FADIR: [X] pos [ ] neg", "hip-impingement-test-positive", True),
        ("Fever \u2610 yes \u2612 no", "fever", False),
    ],
)
def test_a_ticked_yes_or_no_box_answers_its_field(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    "text",
    [
        "Bowel/bladder changes: [ ] Y [ ] N",  # nobody ticked either
        "Saddle numbness: [x] Y [x] N",  # both ticked: no answer
        "Radiation below knee: [ ] yes [ ] no",
    ],
)
def test_a_yes_or_no_box_left_blank_or_doubled_reads_nothing(text: str) -> None:
    assert read(text) == {}


def test_a_side_ticked_is_no_yes_or_no() -> None:
    assert read("Greater trochanter TTP: [x] L [ ] R") == {"greater-trochanter-tenderness": True}


PROTOCOL = (
    "Protocol questions                                        Y    N\n"
    "Unable to walk or bear weight?                            X\n"
    "Fever > 100.4 F or feels feverish?                             X\n"
    "Loss of bladder or bowel control?                              X\n"
    "History of cancer?                                             X\n"
    "Pain at rest or at night that no position relieves?       X\n"
)


def test_a_protocol_rows_mark_under_its_y_or_n_column_answers_it() -> None:
    assert read(PROTOCOL) == {
        "unable-to-bear-weight": True,
        "fever": False,
        "bladder-or-bowel-dysfunction": False,
        "cancer-history": False,
        "night-pain-at-rest": True,
    }


@pytest.mark.parametrize(
    "text",
    [
        # a mark between the columns, or no header above: a column nobody can read
        "Protocol questions            Y      N\nFever?                           X\n",
        "Fever?                          X\n",
        # a blank line parts the row from the header
        "Protocol questions        Y    N\n\nFever?                    X\n",
    ],
)
def test_a_mark_no_column_owns_reads_nothing(text: str) -> None:
    assert "fever" not in read(text)


# held_out_8's blind run: a flowsheet grid's mark under "No" or "Not asked" read the row
# present (a fever and a bladder change: two false red flags).
GRID = (
    "REVIEW OF SYSTEMS               Yes    No    Not asked\n"
    "  Fever/chills                          X\n"
    "  Unintentional wt loss                 X\n"
    "  Bowel/bladder change                         X\n"
    "  Groin pain                     X\n"
)


def test_a_flowsheet_grids_mark_answers_its_row_and_not_asked_is_no_answer() -> None:
    assert read(GRID) == {"fever": False, "unexplained-weight-loss": False, "groin-pain": True}


@pytest.mark.parametrize(
    ("header", "mark_at", "state"),
    [
        ("Symptom            Present   Absent", 19, True),
        ("Symptom            Present   Absent", 29, False),
        ("Symptom            Positive  Negative  Unknown", 39, None),
    ],
)
def test_a_grids_column_headings_say_what_its_marks_mean(
    header: str, mark_at: int, state: bool | None
) -> None:
    row = "Fever" + " " * (mark_at - len("Fever")) + "X"
    assert read(f"{header}\n{row}\n").get("fever") is state


# --- results as the pain a test brings or lacks; collateral; a report's numbered items ------


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("30s single leg stance L -> her pain at 20s", "single-leg-stance-painful", True),
        ("Resisted abd in side-lying = his pain", "resisted-abduction-painful-unloaded", True),
        ("SLR 80 deg bilat, no radicular pain.", "straight-leg-raise-positive", False),
        ("Hops on the right leg 10x without pain.", "single-leg-hop-painful", False),
        (
            "Pain at threshold goes within 2-3 minutes of easing off.",
            "exertional-pain-eased-by-rest",
            True,
        ),
        (
            "Collateral (daughter): has lost about 7 lb since the summer without trying.",
            "unexplained-weight-loss",
            True,
        ),
        (
            "MRI pelvis: L piriformis collection; lumbar discs normal.",
            "mri-lumbar-disc-lesion",
            False,
        ),
    ],
)
def test_results_and_histories_as_written_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        # a finding's own words keep their state beside a test's lacking pain
        ("Saddle numbness, walks without pain.", "saddle-numbness", True),
        ("Incontinent x2 today, no radicular pain.", "bladder-or-bowel-dysfunction", True),
    ],
)
def test_a_tests_lacking_pain_denies_no_finding(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


def test_a_relative_losing_weight_is_still_a_relatives() -> None:
    assert read("Daughter has lost about 7 lb since the summer without trying.") == {}


def test_a_reports_numbered_impression_item_heads_its_own_statement() -> None:
    text = (
        "XR PELVIS AP\nIMPRESSION:\n1. Normal pelvis and right hip radiographs.\n"
        "2. Radiographs are insensitive to early bone stress injury."
    )
    # today's impression names no earlier stress fracture
    assert read(text) == {"xray-hip-pelvis-normal": True}


def test_a_history_in_a_numbered_impression_item_is_still_read() -> None:
    text = "Impression:\n1. Sacral stress fracture.\n2. Previous metatarsal stress fracture."
    assert read(text).get("prior-stress-fracture") is True


def test_a_collateral_heading_ends_a_past_history() -> None:
    text = (
        "PMH: T2DM, osteoporosis.\n"
        "Collateral (daughter): has lost about 7 lb since the summer without trying."
    )
    assert read(text).get("unexplained-weight-loss") is True


def test_an_exception_word_before_a_normal_examination_turns_to_it() -> None:
    text = "The leg feels heavy at its worst, but power and sensation are normal."
    assert read(text).get("leg-weakness") is False


def test_an_exception_word_after_a_normal_examination_still_masks_it() -> None:
    assert "leg-weakness" not in read("Power and sensation normal but EHL reduced on the L.")


def test_a_line_wrapped_before_a_duration_is_read_whole() -> None:
    text = (
        "Reason for call: 27 y/o M ultrarunner, R buttock pain since a 50-mile race\n"
        "9 days ago; now can't put any weight on it."
    )
    assert duration(text) == 9


@pytest.mark.parametrize(
    "text",
    [
        # a list's numbered line, or a field, after a long line is its own line
        "Seen in clinic for R buttock pain, referred by the GP for an opinion\n2. Fever.",
        "Plan: review with the physiotherapist and the team doctor next week\n6 weeks: review.",
    ],
)
def test_a_number_that_is_no_duration_starts_its_own_line(text: str) -> None:
    assert duration(text) is None


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Trendelenburg: positive L (pelvic drop), no pain during the 30 s stance", False),
        ("30s stance L reproduces her pain.", True),
    ],
)
def test_the_30_second_stance_by_its_time_is_the_test(text: str, state: bool) -> None:
    assert read(text).get("single-leg-stance-painful") is state


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Per pt and dad, pain at the R sit bone started 2 months ago.", "sits-bone-pain", True),
        ("Walks and jogs normally.", "unable-to-bear-weight", False),
        ("Hurts sitting in class on hard chairs.", "pain-worse-sitting", True),
        (
            "XR AP pelvis: R ischial apophysis irregular and widened.",
            "xray-hip-pelvis-normal",
            False,
        ),
        ("Worse sitting, worse with hill running.", "pain-worse-uphill-or-speed", True),
        ("Limps for a few hours after longer runs.", "pain-after-running-with-limp", True),
        (
            "Buttock pain at threshold. It goes away within 2 minutes of easing off.",
            "exertional-pain-eased-by-rest",
            True,
        ),
    ],
)
def test_more_phrases_clinicians_write_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


def test_a_parent_s_own_history_stays_theirs() -> None:
    assert "prior-stress-fracture" not in read("Dad had a stress fracture of the hip.")


def test_an_abnormal_word_denied_leaves_the_normal_film() -> None:
    found = read("XR pelvis: no widening of the SI joints. Normal.")
    assert found.get("xray-hip-pelvis-normal") is True


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Worse with sitting and with hill repeats.", "pain-worse-uphill-or-speed", True),
        ("Pain high in R hamstring just below the glute fold.", "pain-into-upper-hamstring", True),
        ("Pain high in R hamstring just below the glute fold.", "pain-below-sits-bone", True),
        ("Sitting in class is OK.", "pain-worse-sitting", False),
        (
            "Pain on the sit bone with cycling and sitting on hard chairs.",
            "pain-worse-sitting",
            True,
        ),
    ],
)
def test_students_and_athletes_phrases_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    ("text", "days"),
    [("Started ~6 weeks ago (first noticed 04/22).", 42), ("Started running 6 weeks ago.", None)],
)
def test_started_dates_the_complaint_only_with_its_time_straight_after(
    text: str, days: int | None
) -> None:
    assert duration(text) == days


# --- a denial opening a list does not deny the words of an absence after it ---------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "There is no groin pain, no pain at rest and her weight is steady.",
            "unexplained-weight-loss",
        ),
        ("No rigors; afebrile.", "fever"),
    ],
)
def test_words_of_an_absence_after_a_denied_list_read_absent(text: str, code: str) -> None:
    assert read(text).get(code) is False


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Not afebrile.", "fever"),
        ("No longer afebrile.", "fever"),
        ("Denies being able to weight bear.", "unable-to-bear-weight"),
        ("Not, at present, fully weight bearing.", "unable-to-bear-weight"),  # masked by "not"
    ],
)
def test_words_of_an_absence_denied_beside_them_read_nothing(text: str, code: str) -> None:
    assert code not in read(text)


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Myotomes & dermatomes NAD.", "leg-weakness", False),
        ("Sitting doesn't bother it.", "pain-worse-sitting", False),
        (
            "LBP + bilat buttock pain radiating down both legs to feet x2/7.",
            "pain-radiates-below-knee",
            True,
        ),
        ("Pain stays above the knee.", "pain-radiates-below-knee", False),
        ("Now wakes her whenever she lies on her right side.", "night-pain-lying-on-side", True),
        (
            "Radiographs of the pelvis and right hip show no bony abnormality. MRI\n"
            "(10/05/2026) shows trochanteric bursitis.",
            "mri-trochanteric-bursitis",
            True,
        ),
    ],
)
def test_letters_and_daily_notes_phrases_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


def test_a_line_wrapped_before_an_approximate_duration_is_read_whole() -> None:
    text = (
        "S: Pt reports LBP and R SI/buttock pain 6/10 (was 8/10 at initial). Pain ongoing\n"
        "~2 months."
    )
    assert duration(text) == 60


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("No saddle symptoms.", "saddle-numbness", False),
        ("Waterworks and bowels normal.", "bladder-or-bowel-dysfunction", False),
        ("GU: Negative for difficulty urinating.", "bladder-or-bowel-dysfunction", False),
        ("GU: Negative for enuresis and menstrual problem.", "amenorrhoea", False),
        ("Wt stable, appetite good.", "unexplained-weight-loss", False),
        ("EHL, ankle DF/PF 5/5.", "leg-weakness", False),
        ("Severe pain R buttock and back of R upper thigh.", "pain-into-upper-hamstring", True),
    ],
)
def test_topics_denied_and_short_forms_are_read(text: str, code: str, state: bool) -> None:
    assert read(text).get(code) is state


@pytest.mark.parametrize(
    "text",
    # a topic is never a red flag by its name alone
    ["Saddle symptoms since Monday.", "Positive for difficulty urinating.", "Waterworks: ?"],
)
def test_a_topic_named_alone_reads_nothing(text: str) -> None:
    assert read(text) == {}


@pytest.mark.parametrize(
    "text", ["Worse when driving.", "Buttock pain, worse on long drives.", "Hurts when driving."]
)
def test_driving_is_sitting(text: str) -> None:
    assert read(text).get("pain-worse-sitting") is True


def test_a_tear_of_another_tendon_is_no_hamstring_tear() -> None:
    # why a tear's grade alone ("no high-grade tear") is no phrase: it names no tendon
    assert read("MRI R hip: complete tear of the gluteus medius tendon.") == {}


# --- review 10d: spans to now, denials after the finding, marks between two columns ----------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saddle numbness: 2025 - present", "saddle-numbness"),
        ("Saddle numbness Jun 2025 to present.", "saddle-numbness"),
        ("Saddle numbness (Nov 2025 - Dec 2026).", "saddle-numbness"),
        ("Night pain from October 2025 to date.", "night-pain-at-rest"),
        ("Night pain over 2025/26.", "night-pain-at-rest"),
        ("Weight loss 6 kg in 2025-2026.", "unexplained-weight-loss"),
    ],
)
def test_a_span_running_to_now_is_current(text: str, code: str) -> None:
    # Undated, a note is read as of the clock's year: these run to 2026 or to now.
    assert read(text).get(code) is True


@pytest.mark.parametrize(
    "text",
    [
        "Was unable to bear weight in 2022 after ankle fracture.",
        "Urinary incontinence 2019-2020 after childbirth, resolved.",
    ],
)
def test_a_span_that_ended_before_this_year_is_history(text: str) -> None:
    assert read(text) == {}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Saddle anaesthesia absent.", "saddle-numbness"),
        ("Fever not present.", "fever"),
        ("Saddle numbness - none reported.", "saddle-numbness"),
        ("Saddle numbness not reported.", "saddle-numbness"),
        ("Night pain absent, weight stable.", "night-pain-at-rest"),
    ],
)
def test_a_denial_written_after_the_finding_denies_it(text: str, code: str) -> None:
    assert read(text)[code] is False


@pytest.mark.parametrize(
    "text",
    [
        "Saddle numbness, reflexes absent.",  # the denial is the reflexes'
        "Saddle numbness present, reflexes absent.",
        "Ankle reflexes absent, saddle numbness present.",
    ],
)
def test_a_denial_of_something_else_leaves_the_finding(text: str) -> None:
    assert read(text)["saddle-numbness"] is True


def test_a_mark_as_near_one_heading_as_another_is_no_answer() -> None:
    # A misaligned grid: the mark sits one character after "No" and three before "Yes".
    grid = "Red flag          Not asked  No   Yes\nFever                          X\n"
    assert "fever" not in read(grid)
