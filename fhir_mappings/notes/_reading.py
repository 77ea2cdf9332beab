"""How a mention counts (contract section 3a), and a note's findings and stated duration.

Negated → absent; uncertain, hypothetical, family, not done, or an empty template field →
not a finding; a history → a finding only for the findings that are histories by nature; a
test's name → a finding only with a stated result; words that say a finding is absent
("afebrile") → absent, unless negated or their sentence holds a word that masks them ("on
paracetamol", "on the pill"). Within one note a present mention wins over an absent one (e.g.
one side positive, the other negative).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fhir_mappings.notes._nlp import DURATION, Mention

__all__ = ["MAX_QUOTE", "AbsentMasks", "NoteFinding", "Read", "mention_state", "read_mentions"]

# finding code -> the words (lower case) that keep its absent phrases from counting
AbsentMasks = Mapping[str, frozenset[str]]
_WORD = re.compile(r"[a-z0-9]+")
_AGE = re.compile(r"[ -]?old\b", re.IGNORECASE)

MAX_QUOTE = 80  # contract section 3a: a quote is at most 80 characters
_DAYS = {
    "d": 1,
    "day": 1,
    "days": 1,
    "7": 1,
    "w": 7,
    "wk": 7,
    "wks": 7,
    "week": 7,
    "weeks": 7,
    "52": 7,
    "mo": 30,
    "mos": 30,
    "mth": 30,
    "mths": 30,
    "month": 30,
    "months": 30,
    "12": 30,
    "yr": 365,
    "yrs": 365,
    "year": 365,
    "years": 365,
}
_WORDS = {
    w: n
    for n, w in enumerate(
        (
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ),
        start=1,
    )
}
# A visit dated back ("seen 3 wks ago", "last reviewed 2/52 ago"): the pain is at least that
# old, its start unknown.
_VISIT = re.compile(
    r"\b(?:seen|saw|reviewed|visit|visited|appointment|appt|consulted|f/u)\b[^.;]*$", re.I
)
_ARTICLE = re.compile(r"^(?:for |over )?(?:a|an entire) ")
_PAIN_WORDS = (
    "pain",
    "ache",
    "sx",
    "symptoms",
    "sore",
    "lbp",
    "hurt",
    # published case prose names the complaint ("six months of claudication", "four months
    # of sciatica")
    "claudication",
    "sciatica",
    "discomfort",
)
# "Onset 6 weeks ago", "This episode began 6 days ago": the complaint dated, its pain
# named in another sentence (session 10).
_ONSET_WORDS = ("onset", "this episode", "current episode")
# "Started ~6 weeks ago": the verb opening the sentence with the time straight after it, the
# complaint its subject (never "Started running 6 weeks ago").
_STARTED = re.compile(r"(?:started|began|begun|came on)\s+(?:about |around |approx\.? |~)?\d")
# A template's date of injury dates the complaint ("Date of injury: 10 days ago").
_INJURY_DATES = ("date of injury", "doi:")
# A template's fields of the presenting complaint: "Duration: 8 weeks", "Onset: 10/52 ago"
# date the complaint without naming the pain in their sentence.
_COMPLAINT_FIELDS = ("duration:", "duration -", "onset:", "onset -", "duration of complaint")


@dataclass(frozen=True)
class NoteFinding:
    """A finding read from one note: its state and the note's words (≤ 80 characters)."""

    finding: str
    present: bool
    quote: str


@dataclass(frozen=True)
class Read:
    """What one note says: findings, and the longest symptom duration it states (days)."""

    findings: tuple[NoteFinding, ...]
    duration_days: int | None
    duration_quote: str = ""


def mention_state(
    mention: Mention,
    histories: frozenset[str],
    *,
    masked: bool = False,
    earlier_only: frozenset[str] = frozenset(),
) -> bool | None:
    """True present, False absent, None not a finding. ``masked``: the mention's sentence
    holds a word that keeps an absent phrase from counting (see :func:`masked`);
    ``earlier_only``: findings of an earlier event, which today's assessment does not name
    unless a history marks the mention."""
    if mention.empty_field or mention.family or mention.not_done:
        return None
    if mention.assessed and mention.label in earlier_only and not mention.historical:
        return None
    if mention.uncertain or mention.hypothetical:
        return None
    if mention.historical and mention.label not in histories:
        return None
    if mention.states_absent:
        # "Afebrile" is an absence; "not afebrile" is too odd a phrase to read either way.
        return None if mention.negated or masked else False
    return _stated(mention)


def _stated(mention: Mention) -> bool | None:
    """A current finding's own words: negated → absent; a test's name needs its result."""
    if mention.negated:
        return False
    return None if mention.exam and not mention.positive else True


def masked(text: str, mention: Mention, masks: AbsentMasks) -> bool:
    """An absent phrase whose sentence holds one of its finding's masking words."""
    words = masks.get(mention.label) if mention.states_absent else None
    if not words:
        return False
    start, end = mention.sentence
    said = _WORD.findall(text[start:end].lower())
    before = len(_WORD.findall(text[start : mention.start].lower()))
    return any(
        word in words and not _denied(said, i) and not (i < before and word in _EXCEPTIONS)
        for i, word in enumerate(said)
    )


def _denied(said: list[str], at: int) -> bool:
    """The masking word at ``at`` is denied just before it ("Menses regular, no hormonal
    contraception", "afebrile, not on paracetamol": session 10), so it hides nothing. A
    masking word that is a denial itself ("not yet fully weight bearing") still masks, and
    so does one after a "not" that is not "not on" ("not stopped paracetamol")."""
    if said[at] in _NEGATING_MASKS:
        return False
    first = max(at - _DENIED_WITHIN, 0)
    before = said[first:at]
    pairs = zip(before, said[first + 1 : at + 1], strict=True)
    return not _DENIALS.isdisjoint(before) or ("not", "on") in pairs


# Words that make a normal finding partial by what follows them ("sensation intact but
# reduced over L5", "neurologically intact apart from EHL 4/5"): before the phrase they turn
# to it instead ("the leg feels heavy, but power and sensation are normal", session 10).
_EXCEPTIONS = frozenset({"but", "except", "apart", "however", "although", "excluding", "save"})
_DENIALS = frozenset({"no", "nil", "without", "denies", "denied"})
_NEGATING_MASKS = frozenset({"no", "not", "unable", "cannot", "never", "without", "non"})
_DENIED_WITHIN = 3  # "not on the pill", "no hormonal contraception"


def read_mentions(
    text: str,
    mentions: Iterable[Mention],
    histories: frozenset[str],
    *,
    masks: AbsentMasks | None = None,
    absent_first: frozenset[str] = frozenset(),
    earlier_only: frozenset[str] = frozenset(),
) -> Read:
    """The findings of one note's mentions, each with its quote; and the stated duration.
    A present mention wins over an absent one; an absent one, for ``absent_first``."""
    decided: dict[str, NoteFinding] = {}
    admitted: set[str] = set()  # findings read so far from an admission's words only
    durations: list[tuple[int, str]] = []
    for mention in mentions:
        if mention.label == DURATION:
            if (days := _duration_days(text, mention)) is not None:
                durations.append((days, quote(text, mention)))
            continue
        state = mention_state(
            mention,
            histories,
            masked=masked(text, mention, masks or {}),
            earlier_only=earlier_only,
        )
        held = decided.get(mention.label)
        if state is None or (
            held is not None and not _replaces(mention, state, held, admitted, absent_first)
        ):
            continue
        decided[mention.label] = NoteFinding(mention.label, state, quote(text, mention))
        (admitted.add if mention.admitted else admitted.discard)(mention.label)
    longest = max(durations, default=None)
    return Read(tuple(decided.values()), *(longest or (None, "")))


def _replaces(
    mention: Mention,
    state: bool,
    held: NoteFinding,
    admitted: set[str],
    absent_first: frozenset[str],
) -> bool:
    """Whether the mention's reading replaces the note's so far. A discharge summary's later
    words replace its admission's, whatever their state ("Presenting complaint: fevers to
    39.1 C ... Afebrile from 30/11"), and never the other way round (session 10)."""
    if mention.admitted != (held.finding in admitted):
        return not mention.admitted
    return _wins(state, held, absent_first)


def _wins(state: bool, held: NoteFinding, absent_first: frozenset[str]) -> bool:
    """Whether a mention read ``state`` replaces the note's reading so far: the other state
    wins, present by default ("L SLR +ve, R neg"), absent for ``absent_first``."""
    return state not in (held.present, held.finding in absent_first)


def quote(text: str, mention: Mention) -> str:
    """The mention's sentence, whitespace collapsed, cut around the mention to 80 characters."""
    start, end = mention.sentence
    sentence = text[start:end]
    words = " ".join(sentence.split())
    if len(words) <= MAX_QUOTE:
        return words
    focus = " ".join(text[mention.start : mention.end].split())
    at = max(words.find(focus), 0)
    begin = max(0, min(at - (MAX_QUOTE - len(focus)) // 2, len(words) - (MAX_QUOTE - 2)))
    cut = words[begin : begin + MAX_QUOTE - 2].strip()
    return ("…" if begin else "") + cut + ("…" if begin + MAX_QUOTE - 2 < len(words) else "")


def _duration_days(text: str, mention: Mention) -> int | None:
    """Days of a stated duration, when its sentence is about pain and it is current."""
    if mention.negated or mention.hypothetical or mention.family or mention.historical:
        return None
    if _AGE.match(text, mention.end):  # "a 61 year old with buttock pain": an age
        return None
    if _VISIT.search(text[max(mention.sentence[0], mention.start - 30) : mention.start]):
        return None  # "Seen 3 wks ago for R buttock pain": the visit's time, not the pain's
    if not _dates_the_complaint(text, mention):
        return None
    said = text[mention.start : mention.end].lower().lstrip("~").replace("/", " ")
    said = said.removeprefix("x")  # "x3/52", "x4wks"
    said = _ARTICLE.sub("1 ", said).removesuffix(" of")  # "for a month", "a year of"
    words = _split_number(said.replace("-", " "))
    if words is None:
        return None
    count, unit = words
    per = _DAYS.get(unit)
    return count * per if per else None


def _dates_the_complaint(text: str, mention: Mention) -> bool:
    """The duration's sentence is about the pain (or a field or an onset dating it), and
    not another part's ("10 days of R lateral knee pain": another complaint's time)."""
    sentence = _with_next_clause(text, mention.sentence).lower()
    field = sentence.lstrip().startswith(_COMPLAINT_FIELDS)  # "Duration: 8/52"
    field = field or any(name in sentence for name in _INJURY_DATES)
    field = field or sentence.lstrip().startswith(_ONSET_WORDS)
    field = field or _STARTED.match(sentence.lstrip()) is not None
    if not field and not any(word in sentence for word in _PAIN_WORDS):
        return False
    return not _of_another_part(text[mention.end : mention.sentence[1]].lower())


def _of_another_part(after: str) -> bool:
    """The words after a duration name the pain of another part before any of ours: "10
    days of R lateral knee pain" (a GP's note about the knee, session 10); not "3 weeks of
    buttock and knee pain", whose buttock comes first."""
    words = _WORD.findall(after)
    pain = next((i for i, word in enumerate(words) if word in _PAIN_WORDS), None)
    if pain is None or pain > _PART_WORDS:
        return False
    named = words[:pain]
    return _OUR_PARTS.isdisjoint(named) and not _OTHER_PARTS.isdisjoint(named)


_PART_WORDS = 5  # "10 days of R lateral knee pain"
_OUR_PARTS = frozenset(
    {"buttock", "buttocks", "gluteal", "glute", "hip", "thigh", "hamstring", "back", "groin"}
)
_OTHER_PARTS = frozenset(
    {
        "knee",
        "shoulder",
        "neck",
        "ankle",
        "foot",
        "wrist",
        "elbow",
        "chest",
        "abdominal",
        "head",
        "achilles",
        "shin",
        "calf",
        "heel",
        "toe",
        "hand",
    }
)


def _with_next_clause(text: str, sentence: tuple[int, int]) -> str:
    """The sentence, and the clause after it when a semicolon ends it: "Returned to running
    3 weeks ago; L buttock pain began with the return" dates the pain (notes-recall)."""
    start, end = sentence
    if not text[start:end].rstrip().endswith(";"):
        return text[start:end]
    stops = [i for i in (text.find(".", end), text.find("\n", end)) if i >= 0]
    return text[start : min(stops, default=len(text))]


def _split_number(phrase: str) -> tuple[int, str] | None:
    """("5 weeks" | "5wks" | "five weeks" | "3 52") -> (count, unit)."""
    parts = phrase.split()
    if len(parts) == 1:  # "5wks"
        digits = len(phrase) - len(phrase.lstrip("0123456789"))
        parts = [phrase[:digits], phrase[digits:]]
    if len(parts) != 2:
        return None
    number, unit = parts
    count = int(number) if number.isdigit() else _WORDS.get(number)
    return (count, unit) if count else None
