"""Our rules for the medspaCy pipeline: context words, section headings, durations.

These are the clinical-writing conventions of the notes we read (sports-medicine shorthand):
"SLR +ve", "FADIR neg", "?" for doubt, "not done", "safety net", "FHx:", "PMH:", "3/52".
medspaCy's own ConText rules (negation, possibility, hypothetical, history, family) stay on;
these add to them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = [
    "EXAM_NEGATIVE",
    "RESULT_NEGATIVES",
    "WARNED",
    "context_rules",
    "duration_rules",
    "section_rules",
]

_RESULT_SCOPE = 5  # tokens between a test's name and its result ("SLR positive at 40")
# (five since notes-recall: a position or angle between, "Resisted knee flexion at 30 deg:
# painful", "SLR 85 deg bilat, neg"; six read a red flag absent in the safety sweep)
_DOUBT_SCOPE = 5


def _context(literal: str, category: str, direction: str, **options: Any) -> Any:
    from medspacy.context import ConTextRule  # noqa: PLC0415 - the library loads on first use

    return ConTextRule(literal, category, direction=direction, **options)


def library_context_rules() -> list[Any]:
    """medspaCy's default English ConText rules, each token pattern expanded into the
    literal phrases it matches. Literals run in spaCy's PhraseMatcher; token patterns run in
    its Matcher, which cost most of a note's reading time (issue 25 benchmark)."""
    import medspacy  # noqa: PLC0415
    from medspacy.context import ConTextRule  # noqa: PLC0415

    path = Path(medspacy.__file__).resolve().parents[1] / "resources" / "en" / "context_rules.json"
    rules = json.loads(path.read_text(encoding="utf-8"))["context_rules"]
    expanded = []
    for rule in rules:
        options = {k: v for k, v in rule.items() if k not in {"literal", "category", "pattern"}}
        for literal in _literals(rule.get("pattern")) or [rule["literal"]]:
            expanded.append(ConTextRule(literal, rule["category"], **options))
    return expanded


def _literals(pattern: object) -> list[str]:
    """Every phrase a simple token pattern ({"LOWER": x or {"IN": [...]}}, "OP": "?") matches."""
    if not isinstance(pattern, list):
        return []
    phrases = [""]
    for token in pattern:
        lower = token["LOWER"]
        words = lower["IN"] if isinstance(lower, dict) else [lower]
        choices = [*words, None] if token.get("OP") == "?" else words
        phrases = [f"{p} {w}".strip() if w else p for p in phrases for w in choices]
    return [phrase for phrase in phrases if phrase]


# Words that state a test's result as negative, either side of its name ("SLR neg",
# "normal gait"): about a test, never a denial of words that state an absence ("weight
# bearing fully, gait normal" is not "not fully weight bearing").
RESULT_NEGATIVES = frozenset({"negative", "neg", "-ve", "normal", "nil", "non-tender", "equal"})


# How far a contracted "not" reaches ("doesn't go down the leg", "hasn't wet himself").
_CONTRACTED_SCOPE = 4


# Review-of-systems headings that open a list of denied symptoms.
_ROS_SYSTEMS = (
    "constitutional",
    "general",
    "gen",
    "systemic",
    "neuro",
    "neurological",
    "gu",
    "gi",
    "msk",
    "ros",
    "red flags",
)


def context_rules() -> list[Any]:
    """ConText rules beside the library's defaults."""
    positive = ["positive", "pos", "+", "painful", "reproduces", "reproduced", "abnormal"]
    negative = sorted(RESULT_NEGATIVES)
    rules = [
        _context(w, "POSITIVE_RESULT", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE) for w in positive
    ]
    # One token pattern ("+ve", however it is split): spaCy warns on every note when the
    # ConText matcher has none, and each pattern costs a pass over the note.
    plus_ve = [{"TEXT": "+"}, {"LOWER": "ve"}]
    rules.append(
        _context(
            "+ve", "POSITIVE_RESULT", "BIDIRECTIONAL", pattern=plus_ve, max_scope=_RESULT_SCOPE
        )
    )
    rules += [
        _context(w, "NEGATED_EXISTENCE", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE) for w in negative
    ]
    rules += [
        _context(w, "NEGATED_EXISTENCE", "FORWARD")
        for w in ("denies", "no", "not", "never", "without", "no hx of", "nil", "neg for")
    ]
    # "Hasn't wet himself", "didn't lose control": the contracted "not" of a past event.
    # Not "can't" or "won't": inside a finding's words ("can't sit") they are the finding.
    # Three tokens of reach (review, session 9): "Pain doesn't stop her running, has saddle
    # numbness" read the numbness absent when it reached the sentence's end.
    rules += [
        _context(w, "NEGATED_EXISTENCE", "FORWARD", max_scope=_CONTRACTED_SCOPE)
        for w in ("hasn't", "hadn't", "haven't", "didn't", "doesn't", "wasn't")
    ]
    # "Fever: no" (a template answered) and "O/E: no TTP" (a heading, then a negation).
    rules += [
        _context(f": {w}", "NEGATED_EXISTENCE", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE)
        for w in ("no", "nil", "none", "neg", "absent")
    ]
    # A review-of-systems line denies a whole list: "GI: Neg for diarrhoea, faecal
    # incontinence", "ROS: Neg: fever, weight loss, incontinence". Longer than ": neg" (a
    # test's answer, four tokens of reach), these win where the two overlap and reach the
    # sentence's end, as "neg for" alone does.
    rules += [
        _context(w, "NEGATED_EXISTENCE", "FORWARD")
        for w in (": neg for", ": negative for", ": neg :", ": negative :", "neg :", "negative :")
    ]
    # A template answered after its items (safety sweep, knowledge base 1.16.0): "saddle
    # anaesthesia N, retention N", "... - all negative", "Red flags (saddle anaesthesia,
    # fever): none". Each once read the red flags present. A bare "N" reaches only the item
    # before it; a field answered on its own ("Fever - denied") is read in _fields.
    rules += [_context(w, "NEGATED_EXISTENCE", "BACKWARD", max_scope=1) for w in ("n", "n.")]
    rules += [
        _context(w, "NEGATED_EXISTENCE", "BACKWARD")
        for w in (*_ALL_ANSWERED, "): none", "): nil", "): no", "): neg", "): negative")
    ]
    # "No numbness but weakness": the negation stops at "but". So it does where the patient
    # turns to what is there (safety sweep: "Denies fever, admits to incontinence x2 today"
    # read the incontinence absent, silencing a coded red flag).
    rules += [
        _context(w, "NEGATED_EXISTENCE", "TERMINATE")
        for w in ("but", "however", "although", "apart from", "except", *_TURNS_TO_PRESENT)
    ]
    # A question answered after its "?" ("Saddle anaesthesia? No.", "Fever? Denies."): the
    # answer, not the doubt, decides; "(-)" after an item is its negative. "N/A" is no "N".
    rules += [
        _context(w, "NEGATED_EXISTENCE", "BACKWARD", max_scope=1)
        for w in ("? no", "? - no", "? denies", "? denied", "? nil", "? none", "? n", "(-)")
    ]
    rules.append(_context("n/a", "NOT_APPLICABLE", "PSEUDO"))
    # "Cannot sleep, pain lying on that side": poor sleep is the complaint, not a denial of
    # what follows. ConText drops a modifier inside a longer one ("not" in "cannot sleep"),
    # and nothing reads this category.
    rules += [
        _context(w, "SLEEP_DISTURBED", "FORWARD", max_scope=1)
        for w in ("cannot sleep", "can't sleep", "unable to sleep", "not sleeping")
    ]
    # Red flags taught, asked about or looked out for are warnings, not findings (safety
    # sweep): "Red flags discussed: ...", "warning signs explained", "safety-netted re CES",
    # "ED precautions given for incontinence", "educated on", "asked about", "watch for".
    rules += [_context(w, "HYPOTHETICAL", "FORWARD") for w in _TAUGHT]
    # ... but a question's answer after its colon is stated ("Asked about bladder:
    # incontinent x2 today"): a colon ends the question's reach (and nothing else's).
    rules += [_context(w, "HYPOTHETICAL", "FORWARD", terminated_by={"ANSWER"}) for w in _ASKED]
    rules.append(_context(":", "ANSWER", "FORWARD", max_scope=1))
    # A screen named by what it looks for ("RED-S screen: eats 3 meals", "CES screen neg")
    # is a question asked, not the condition found (notes-recall).
    rules += [
        _context(w, "HYPOTHETICAL", "BACKWARD", max_scope=1)
        for w in ("screen", "screening", "screen:", "screening:")
    ]
    rules += [
        _context(w, "POSSIBLE_EXISTENCE", "BIDIRECTIONAL", max_scope=_DOUBT_SCOPE)
        for w in ("?", "query", "equivocal", "unsure", "suspected", "possible", "?possible")
    ]
    rules += [
        _context(w, "HYPOTHETICAL", "FORWARD")
        for w in ("if", "return if", "seek help if", "safety net", "consider", "rule out", "r/o")
    ]
    rules += [
        _context(w, "NOT_DONE", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE)
        for w in (
            "not done",
            "not tested",
            "not assessed",
            "not performed",
            "deferred",
            "pending",
            "to be done",
            "next visit",
            "not attempted",
        )
    ]
    rules += [
        _context(w, "HISTORICAL", "FORWARD")
        for w in ("previous", "prior", "old", "hx", "h/o", "history of", "pmh")
    ]
    # Words holding a history's word that say the present (notes-recall): an age ("a
    # 41-year-old triathlete" read "old" as a history of everything after it), the length
    # of the complaint ("3/12 hx L lateral hip pain", "a 2-month history of buttock pain")
    # and a history about now ("Menstrual hx (RED-S screen): cycles regular", "Interval
    # hx:"). The longer phrase overrides the word; nothing reads its category.
    rules += [_context(w, "CURRENT", "PSEUDO") for w in _NOT_PAST]
    family = ["mum", "mother", "dad", "father", "sister", "brother", "fhx", "fh", "grandmother"]
    rules += [_context(w, "FAMILY", "FORWARD") for w in family]
    # Another person's history is never the patient's ("friend states she had the same",
    # "training partner had a stress fracture"): read as a relative's, to the sentence's end.
    rules += [_context(w, "FAMILY", "FORWARD") for w in _OTHER_PEOPLE]
    # ... but a spouse, a child or a coach telling the patient's story ("wife reports he wet
    # himself") is a collateral history of the patient: the longer phrase overrides the word.
    rules += [
        _context(f"{who} {verb}", "COLLATERAL", "PSEUDO") for who in _INFORMANTS for verb in _TELLS
    ]
    # ... and so is the patient's own story told with a parent ("Per pt and dad, pain at the
    # R sit bone started 2 months ago", session 10) ...
    rules += [
        _context(f"per {one} and {other}", "COLLATERAL", "PSEUDO")
        for pair in (("pt", parent) for parent in _PARENTS)
        for one, other in (pair, pair[::-1])
    ]
    rules += [_context(f"per patient and {parent}", "COLLATERAL", "PSEUDO") for parent in _PARENTS]
    # ... and so is a collateral history's heading naming its teller ("Collateral (daughter):
    # has lost about 7 lb since the summer", session 10).
    rules += [
        _context(f"collateral{join}{who}", "COLLATERAL", "PSEUDO")
        for who in _INFORMANTS
        for join in (" (", " from ", " history from ", " hx from ", " - ")
    ]
    # A test's result written as no pain after its name (notes-recall): "Single-leg hop R:
    # painless x 10", "Hamstring stretch doesn't bother it". Last: medspaCy's matcher names
    # each rule by its place in the list, and breaks ties between overlapping matches by
    # those names; a rule added before the others reorders them ("Systemic: no fever" lost
    # its ": no" when these came first).
    rules += [
        _context(w, "NEGATED_EXISTENCE", "BACKWARD", max_scope=_RESULT_SCOPE) for w in _PAINLESS
    ]
    # "P&N" (pins and needles) is no answer "N": "Denies P&N or numbness in leg" read the
    # numbness present, the "N" cutting the denial short (notes-recall).
    rules += [_context(w, "ABBREVIATION", "PSEUDO") for w in ("p&n", "p & n", "p+n")]
    # A differential diagnosis lists what it might be, not what it is: "DDx: gluteus medius
    # tendinopathy, ..., femoral neck stress fracture (less likely)" (notes-recall).
    rules += [_context(w, "POSSIBLE_EXISTENCE", "FORWARD") for w in _DIFFERENTIALS]
    # A result written as the pain it brings ("Resisted knee flexion prone 4/5 with pain",
    # "FADIR: pain at end range", "Hop test R: unable - pain ++"); last, for the reason above.
    # They read back to the test they follow only (review, session 9: "SLR 80 deg, hamstring
    # 4/5 with pain" read the straight leg raise positive when they read both ways).
    rules += [
        _context(w, "POSITIVE_RESULT", "BACKWARD", max_scope=2)
        for w in (f"{grade} with pain" for grade in ("5/5", "5-/5", "4+/5", "4/5", "4-/5", "3/5"))
    ]
    rules += [
        _context(w, "POSITIVE_RESULT", "BACKWARD", max_scope=_RESULT_SCOPE)
        for w in ("pain ++", "pain+++", "pain at end range")
    ]
    # A review of systems' line denies its whole list ("Constitutional: no fevers, chills,
    # night sweats or weight loss"): ": no" reaches five tokens, so the weight loss at the end
    # read present (found in session 9's held_out_6). The system's name makes it a list.
    rules += [
        _context(f"{system}: {word}", "NEGATED_EXISTENCE", "FORWARD")
        for system in _ROS_SYSTEMS
        for word in ("no", "denies", "nil", "none of")
    ]
    # The same "not" typed without its apostrophe, as patients write in portal messages
    # ("it doesnt go down my leg at all"); last, for the reason above.
    rules += [
        _context(w, "NEGATED_EXISTENCE", "FORWARD", max_scope=_CONTRACTED_SCOPE)
        for w in ("hasnt", "hadnt", "havent", "didnt", "doesnt", "isnt", "dont")
    ]
    # Session 10, last for the reason above. A diagnosis "not excluded" or "cannot be ruled
    # out" is a doubt ("occult NOF fracture not excluded" read the hip film abnormal), and
    # a patient's question or fear is no finding ("She asked whether this is the 'hip
    # cancer' her sister had" read a cancer history). Not "worried about" alone: a patient
    # may be worried about what they have ("worried about new numbness since Monday").
    rules += [
        _context(w, "POSSIBLE_EXISTENCE", "BACKWARD", max_scope=_DOUBT_SCOPE) for w in _NOT_EXCLUDED
    ]
    rules += [_context(w, "POSSIBLE_EXISTENCE", "FORWARD") for w in _WONDERS]
    # A test's result as the patient's pain it brings or lacks (session 10): "30s single leg
    # stance L -> her pain at 20s"; "SLR 80 deg bilat, no radicular pain", "SLR 70 deg,
    # hamstring tightness only", "hops on the right leg 10x without pain" (these read by
    # tests only: _nlp).
    rules += [
        _context(f"{mark} {pain}", "POSITIVE_RESULT", "BACKWARD", max_scope=_RESULT_SCOPE)
        for mark in ("->", "=")
        for pain in ("her pain", "his pain", "pain", "their pain")
    ]
    rules += [
        _context(w, EXAM_NEGATIVE, "BACKWARD", max_scope=_RESULT_SCOPE) for w in _PAIN_LACKING
    ]
    rules += _safety_netting_rules()
    # A denial written after the finding it denies, at most two tokens back ("Saddle
    # anaesthesia absent.", "Fever not present", "Saddle numbness - none reported": review 10d
    # found these raising critical cards); no further, so "Saddle numbness, reflexes absent"
    # still reads the numbness. Last, for the reason above.
    rules += [
        _context(w, "NEGATED_EXISTENCE", "BACKWARD", max_scope=_AFTER_SCOPE) for w in _DENIED_AFTER
    ]
    return rules


def _safety_netting_rules() -> list[Any]:
    """Safety-netting and education (review, session 10): "Explained signs of cauda equina
    (saddle numbness, incontinence)" raised two red flags. What the clinician teaches, warns
    of or tells the patient to come back with is a warning, to its sentence's end, never a
    finding; a finding stated before it ("Has saddle numbness since yesterday; explained
    cauda equina") is untouched: these read forward only. "Discussed with the registrar:
    ..." is a consultation, not teaching (the longer phrase overrides the word).

    Their category is WARNED, not HYPOTHETICAL: a warning reaches no finding past a colon, a
    dash or words stating it ("Symptoms of cauda equina: saddle numbness since this
    morning", "Warned of cauda equina - already has saddle numbness", review 10b); the
    reader (_nlp) decides."""
    # a phrase holding an older rule's words ("counselled regarding", "discussed return
    # precautions") is that rule's, read as it always was
    # a conditional ("explained that if he develops ...") is hypothetical whatever follows
    rules = [_context(w, _warning_kind(w), "FORWARD") for w in _TEACHING if not _older(w)]
    rules += [
        _context(f"{what} of {condition}", WARNED, "FORWARD")
        for what in ("signs", "symptoms", "red flags", "red flag symptoms", "features")
        for condition in _WARNED_CONDITIONS
    ]
    rules += [_context(w, "CONSULTED", "PSEUDO") for w in _CONSULTED]
    return rules


def _warning_kind(phrase: str) -> str:
    """HYPOTHETICAL for a conditional's words ("that if", "that should"), else WARNED."""
    return "HYPOTHETICAL" if {"if", "should"} & set(phrase.split()) else WARNED


def _older(phrase: str) -> bool:
    """The phrase holds the words of an older teaching rule (_TAUGHT)."""
    return any(f" {old} " in f" {phrase} " for old in _TAUGHT)


_AFTER_SCOPE = 2
_DENIED_AFTER = (
    "absent",
    "denied",
    "not reported",
    "none reported",
    "not present",
    "nil reported",
)


EXAM_NEGATIVE = "EXAM_NEGATIVE"
WARNED = "WARNED"  # safety-netting: hypothetical up to a colon, a dash or a finding stated
_PAIN_LACKING = (
    "without pain",
    "without any pain",
    "no radicular pain",
    "no radicular symptoms",
    "no radicular features",
    "tightness only",
    "hamstring tightness only",
)


_NOT_EXCLUDED = (
    "not excluded",
    "not ruled out",
    "cannot be excluded",
    "cannot be ruled out",
    "can't be excluded",
    "can't be ruled out",
    "not yet excluded",
    "yet to be excluded",
)
_WONDERS = tuple(
    f"{verb} {whether}"
    for verb in ("asked", "asks", "asking", "wonders", "wondered", "wondering", "queries")
    for whether in ("whether", "if")
) + tuple(
    f"worried {what}"
    for what in ("it is", "it's", "it might be", "it could be", "this is", "he'll", "she'll")
)


_OTHER_PEOPLE = (
    "friend",
    "friends",
    "teammate",
    "teammates",
    "team-mate",
    "training partner",
    "running partner",
    "clubmate",
    "club-mate",
    "coach",
    "colleague",
    "flatmate",
    "roommate",
    "housemate",
    "aunt",
    "uncle",
    "cousin",
    "twin",
    "sibling",
    "siblings",
    "niece",
    "nephew",
    "grandfather",
    "grandparent",
    "son",
    "daughter",
    "boyfriend",
    "girlfriend",
    "husband",
    "wife",
    "partner",
    # the people a patient cares for (safety sweep): "carer for a patient with incontinence",
    # "works in a care home with incontinent residents"
    "kids",
    "children",
    "household",
    "carer for",
    "cares for",
    "care home",
    "looks after",
)
_AGE_UNITS = ("year", "years", "yr", "yrs", "month", "months", "week", "weeks")
_SPAN_UNITS = ("day", "days", "week", "weeks", "wk", "wks", "month", "months", "year", "years")
_NOT_PAST = (
    *(f"{unit}{dash}old" for unit in _AGE_UNITS for dash in (" ", "-")),
    *(f"{span} {word}" for span in ("7", "52", "12") for word in ("hx", "history")),
    *(f"{unit} {word}" for unit in _SPAN_UNITS for word in ("hx", "history", "history of")),
    *(f"{unit}s' history" for unit in ("day", "week", "month", "year")),
    "menstrual hx",
    "menstrual history",
    "interval hx",
    "interval history",
    "social hx",
    "social history",
    "training hx",
    "training history",
    # the history taken now: "On detailed history the pain is in the L buttock"
    "on history",
    "on detailed history",
    "on further history",
    "on direct history",
)
_PAINLESS = (
    "painless",
    "not painful",
    "non-painful",
    "doesn't bother",
    "does not bother",
    "didn't bother",
    "doesn't hurt",
    "does not hurt",
)
_DIFFERENTIALS = (
    "ddx",
    "ddx:",
    "differential diagnosis",
    "differential diagnoses",
    "differentials",
    "differential:",
    "differentials include",
)
_ASKED = ("asked about", "asked re", "enquired about", "screened for")
# Words turning from what the patient denies to what is there.
_TURNS_TO_PRESENT = (
    "admits",
    "admits to",
    "reports",
    "complains of",
    "c/o",
    "describes",
    "endorses",
    "positive for",
    "has noticed",
)
# A template's whole list answered at its end: "... - all negative", "... all denied".
_ALL_ANSWERED = tuple(
    f"{lead}all {answer}"
    for lead in ("", "- ", ": ")
    for answer in ("negative", "neg", "denied", "nil", "absent", "no", "normal")
)
_TAUGHT = (
    "red flags discussed",
    "red flag symptoms discussed",
    "discussed red flags",
    "discussed red flag symptoms",
    "red flags explained",
    "explained red flags",
    "warning signs",
    "warning symptoms",
    "safety netted",
    "safety-netted",
    "safetynetted",
    "safety netting",
    "safety-netting",
    "in the event of",
    "re-present",
    "represent with",
    "re-attend",
    "reattend",
    "precautions",
    "counselled",
    "counseled",
    "educated on",
    "educated about",
    "educated re",
    "educated regarding",
    "watch for",
    "look out for",
    "aware to",
    "advice given",
    "advised re",
    "advised about",
)
# Teaching, warning and return advice (session 10): a teaching verb with what it teaches
# ("explained signs of", "discussed red flags", "warned of"), return advice ("return to ED
# with", "seek urgent help"). Not a verb alone: "Explained that her saddle numbness needs an
# urgent MRI", "Discussed her fever, since Monday", "Well educated runner", "counselling for
# disordered eating" and "advised to attend ED now" state what is there; nor a backward
# reach: "Saddle numbness since yesterday, CES discussed" is a finding, then a conversation.
_TEACHING_VERBS = (
    "explained",
    "discussed",
    "educated about",
    "educated on",
    "educated re",
    "education given re",
    "education re",
    "education about",
    "education on",
    "counselled about",
    "counselled re",
    "counselled regarding",
    "advised of",
    "advised regarding",
    "warned of",
    "warned about",
    "warned re",
    "informed of",
    "informed about",
    "aware of",
    "made aware of",
)
_TAUGHT_THINGS = (
    "signs",
    "the signs",
    "symptoms",
    "the symptoms",
    "red flags",
    "the red flags",
    "red flag symptoms",
    "warning signs",
    "risk",
    "risks",
    "the risk",
    "what to look for",
    "what to watch for",
    "when to return",
    "when to seek help",
    "return precautions",
    "safety net",
    "safety netting",
    "that any",
    "that new",
    "that if",
    "that should",
    "cauda equina",
    "ces",
)
_TEACHING = (
    *(f"{verb} {thing}" for verb in _TEACHING_VERBS for thing in _TAUGHT_THINGS),
    # a preposition after the verb says what is taught, whatever follows
    *(
        f"{lead} {about}"
        for lead in ("education", "education given", "counselled", "counseled")
        for about in ("re", "about", "regarding", "on")
    ),
    "advised of",
    "advised regarding",
    "warned of",
    "warned about",
    "advised to return",
    "advised to seek",
    "advised to re-present",
    "told to return",
    "told to seek",
    "seek help",
    "seek urgent help",
    "seek medical",
    "seek advice",
    "seek review",
    "return to ed",
    "return to a&e",
    # not "return with" nor "come back with": "Has come back with saddle numbness" is the
    # finding (review 10b); "advised to return" keeps "advised to return with"
    "come back if",
    "call 999",
    "call 911",
    "call 111",
)
_WARNED_CONDITIONS = (
    "cauda equina",
    "cauda equina syndrome",
    "ces",
    "cord compression",
    "infection",
    "sepsis",
    "fracture",
    "stress fracture",
    "malignancy",
    "cancer",
)
# A conversation with a colleague, not with the patient: "Discussed with spinal registrar:
# saddle numbness since this morning" states the finding.
_CONSULTED = (
    "discussed with",
    "discussed w/",
    "discussed case with",
    # a patient who did not seek help is telling what happened ("Did not seek help despite
    # saddle numbness for 3 days")
    "not seek help",
    "did not seek help",
    "didn't seek help",
    "delayed seeking help",
    "not seek medical help",
    "did not seek medical help",
    "didn't seek medical help",
    "not seek medical advice",
    "not seek advice",
    "not seek review",
)
_INFORMANTS = (
    "husband",
    "wife",
    "partner",
    "boyfriend",
    "girlfriend",
    "son",
    "daughter",
    "coach",
    # a young athlete's parents telling the story ("parents report temp 39 at home")
    "parents",
    "parent",
)
_PARENTS = ("dad", "mum", "mom", "mother", "father", "parents", "parent")
_TELLS = (
    "reports",
    "reported",
    "report",
    "says",
    "said",
    "say",
    "noticed",
    "noted",
    "states",
    "state",
    "thinks",
    "think",
)


def section_rules() -> list[Any]:
    """Headings whose section changes how a mention counts."""
    from medspacy.section_detection import SectionRule  # noqa: PLC0415

    headings = {
        "family_history": ("family history:", "fhx:", "fh:", "family hx:"),
        # "Comparison:" in an imaging report names an earlier study: a history
        "past_medical_history": (
            "pmh:",
            "past medical history:",
            "phx:",
            "past history:",
            "comparison:",
            # a letter's or a ward note's past ("Background: long episode of L buttock pain
            # ... in 2019, fully resolved"); "Currently ..." ends it (session 10)
            "background:",
        ),
        "plan": ("plan:", "advice:"),
        # Today's assessment: a stress fracture named here is the problem now, not an earlier
        # one (the knowledge base's earlier_only findings).
        "assessment": (
            "assessment:",
            "impression:",
            "imp:",
            "diagnosis:",
            "dx:",
            "working diagnosis:",
            "provisional diagnosis:",
            "differential diagnosis:",
            "ddx:",
            "a/p:",
            "assessment and plan:",
            "assessment/plan:",
        ),
        # Its own sentence is the instruction ("return if febrile"); see _nlp for the rest.
        "safety_net": ("safety net:", "safety netting:", "safety-netting:"),
        "exam": ("exam:", "on examination:", "examination:"),
        "history": ("hpi:", "history:", "sx:", "complaint:"),
        # What brought the patient in: in a discharge summary, the state on admission, which
        # the summary's later words replace (_nlp); elsewhere a history like any (session 10).
        "admission": (
            "presenting complaint:",
            "presenting complaints:",
            "on admission:",
            "admission:",
            "reason for admission:",
            "presentation:",
            "history of presenting complaint:",
            "hpc:",
        ),
        # Headings about the present, though they say "history": without them the word
        # "history" read the lines below as past ("Menstrual history: regular menses").
        "current": (
            "menstrual history:",
            "menstrual hx:",
            "menstrual:",
            "social history:",
            "social hx:",
            "training history:",
            "end copied text",
            "end of copied text",
            "today:",
            # today's headings end a history or family section above them (review, session
            # 9: "FHx: ...\nROS: + fever" read the fever as a relative's)
            "subjective:",
            "objective:",
            "cc:",
            "chief complaint:",
            "ros:",
            "review of systems:",
            "reason for visit:",
            "vitals:",
            "interval history:",
            # a report's own parts and today's observations end a "Comparison:" or a
            # "PMH:" above them (session 10: "Comparison: radiographs 09/2026" made the
            # MRI's findings below an earlier study's; "PMH: ...\nObs: T 38.2 C" a history)
            "technique:",
            "findings:",
            "obs:",
            "observations:",
            "investigations:",
            "ix:",
            "inpatient:",
            "medications:",
            "meds:",
            # a discharge summary's course and its state at discharge end its admission
            "course:",
            "hospital course:",
            "clinical course:",
            "progress:",
            "at discharge:",
            "on discharge:",
            # a collateral history told today by someone beside the patient
            "collateral:",
            "collateral history:",
            *(f"collateral ({who}):" for who in _INFORMANTS),
        ),
    }
    # "O/E:" as a token pattern (the tokenizer splits the slash); it also gives the
    # sectionizer's token matcher a pattern, without which spaCy warns on every note.
    examined = [{"LOWER": "o"}, {"TEXT": "/"}, {"LOWER": "e"}, {"TEXT": ":"}]
    # "P:" opening a line of a SOAP note is its plan (notes-recall: "P: GP for MRI + DXA +
    # bloods" ordered a scan); not "A/P:" nor a pulse in a line of vital signs ("BP 120/80,
    # P: 72").
    plan = [{"IS_SENT_START": True, "LOWER": "p"}, {"ORTH": ":"}]
    return [
        SectionRule("o/e:", "exam", pattern=examined),
        SectionRule("p:", "plan", pattern=plan),
    ] + [
        SectionRule(literal, category)
        for category, literals in headings.items()
        for literal in literals
    ]


_UNITS = (
    "day",
    "days",
    "d",
    "week",
    "weeks",
    "wk",
    "wks",
    "w",
    "month",
    "months",
    "mo",
    "mos",
    "mth",
    "mths",
    "year",
    "years",
    "yr",
    "yrs",
)


def duration_rules() -> list[Any]:
    """Durations of symptoms: "5 weeks of", "x 4 wks", "3/52", "3/12", "six months", "5wks".

    Two token patterns (a number then a unit; a clinical fraction n/7, n/52, n/12), and the
    run-together forms as literals: few patterns, since each is tried at every token.
    """
    from medspacy.ner import TargetRule  # noqa: PLC0415

    number = {"LIKE_NUM": True}
    patterns = [
        [number, {"LOWER": {"IN": list(_UNITS)}}],
        [number, {"TEXT": "/"}, {"TEXT": {"IN": ["7", "52", "12"]}}],
    ]
    rules = [TargetRule("duration", "DURATION", pattern=pattern) for pattern in patterns]
    joined = [f"{n}{unit}" for n in range(1, 60) for unit in ("d", "w", "wk", "wks", "m")]
    # notes-recall: "a 2-month history", "4-week", as adjectives join them
    joined += [f"{n}-{unit}" for n in range(1, 60) for unit in _JOINED_UNITS]
    # "A month of buttock pain" (published case prose); never "a week" alone, which is mostly
    # training volume ("runs 50 km a week"), nor "for a year" ("running for a year").
    joined += [
        f"{lead} {unit}{tail}"
        for unit in ("week", "month", "year")
        for lead, tail in (("a", " of"), ("an entire", ""))
    ]
    # "x3/52", "x4wks": the "x" written onto the number, as a triage line's "for" (session 10)
    joined += [f"x{n}/{per}" for n in range(1, 25) for per in ("7", "52", "12")]
    joined += [f"x{n}{unit}" for n in range(1, 60) for unit in ("d", "w", "wk", "wks")]
    return rules + [TargetRule(literal, "DURATION") for literal in joined]


_JOINED_UNITS = ("day", "week", "wk", "month", "mth", "year", "yr")
