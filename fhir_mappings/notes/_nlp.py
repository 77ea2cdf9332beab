"""The medspaCy pipeline that reads a note: target phrases, ConText, sections, durations.

Built once per worker and per phrase list (lazily, cached): loading spaCy and compiling the
rules costs far more than reading a note. The sentence splitter is spaCy's rule-based
``sentencizer`` (punctuation and line breaks): medspaCy's PyRuSH splitter costs several times
more per note and logs the text at DEBUG. Nothing here logs, keeps or returns note text
beyond the spans the caller asked for.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Literal

from fhir_mappings.notes._choices import choice_answer
from fhir_mappings.notes._fields import (
    ANSWERED,
    column_answer,
    empty_field,
    field_answer,
    question_answer,
    ticked_answer,
    unticked,
)
from fhir_mappings.notes._rules import EXAM_NEGATIVE, RESULT_NEGATIVES, WARNED
from fhir_mappings.notes._sentences import SENTENCE_ENDS, register_sentence_starts, unwrapped

__all__ = ["DURATION", "Mention", "mentions", "pipeline"]

DURATION = "DURATION"
# Our ConText categories beside medspaCy's defaults (negated, possible, hypothetical,
# historical, family): a stated test result, and a test not done.
POSITIVE = "POSITIVE_RESULT"
NOT_DONE = "NOT_DONE"


@dataclass(frozen=True)
class Mention:
    """One phrase of the note naming a finding (or a duration), with its context.

    ``start``/``end`` are character offsets in the text; ``sentence`` the offsets of its
    sentence. Context flags come from ConText and from the section the mention is in.
    """

    label: str  # a finding code, or DURATION
    # "finding": the finding's own words; "exam": a test's name, which needs a stated
    # result; "absent": words that say the finding is absent by themselves ("afebrile")
    kind: PhraseKind
    start: int
    end: int
    sentence: tuple[int, int]
    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    family: bool = False
    historical: bool = False
    positive: bool = False  # a stated positive result applies (exam phrases)
    not_done: bool = False
    empty_field: bool = False  # "Saddle numbness: " with nothing after it
    assessed: bool = False  # under an assessment heading ("Impression:", "Dx:"): today's problem
    # a discharge summary's presenting complaint: the state on admission, which a later
    # word of the same summary (its course, its state at discharge) replaces
    admitted: bool = False

    @property
    def exam(self) -> bool:
        """The phrase names a test: it counts only with a stated result."""
        return self.kind == "exam"

    @property
    def states_absent(self) -> bool:
        """The phrase says by itself that the finding is absent."""
        return self.kind == "absent"


PhraseKind = Literal["finding", "exam", "absent"]
Targets = tuple[tuple[str, str, PhraseKind], ...]  # (phrase, finding code, kind)


def _silence_library_logs() -> None:
    """PyRuSH and medspaCy log through loguru, with the text, at DEBUG: switch them off."""
    from loguru import logger  # noqa: PLC0415 - only where the library is used

    for name in ("PyRuSH", "medspacy", "quickumls"):
        logger.disable(name)


@functools.lru_cache(maxsize=4)
def pipeline(targets: Targets) -> Any:
    """The spaCy ``Language`` for these targets: built on first use, then shared."""
    _silence_library_logs()
    with warnings.catch_warnings():
        # spaCy's command-line helpers import click APIs deprecated in click 8.2: not ours.
        warnings.simplefilter("ignore", DeprecationWarning)
        import medspacy  # noqa: PLC0415 - spaCy costs ~1 s to import: only on first use

    from medspacy.ner import TargetRule  # noqa: PLC0415

    from fhir_mappings.notes import _rules  # noqa: PLC0415

    nlp = medspacy.load(
        medspacy_enable=["medspacy_tokenizer", "medspacy_target_matcher", "medspacy_context"],
        load_rules=False,  # the library's ConText rules are added as literals, below
    )
    nlp.add_pipe("sentencizer", first=True, config={"punct_chars": SENTENCE_ENDS})
    nlp.add_pipe(register_sentence_starts(), after="sentencizer")
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(p, code, metadata={"kind": kind}) for p, code, kind in targets])
    matcher.add(_rules.duration_rules())
    # The library's matcher adds its phrases to ``doc.ents`` one at a time, re-reading and
    # re-writing every entity per phrase (quadratic in a note's phrases): its matches are
    # set once instead, by a component of ours in its place.
    matcher.result_type = None
    nlp.add_pipe(_register_targets_once(), after="medspacy_target_matcher")
    nlp.disable_pipe("medspacy_target_matcher")
    context = nlp.get_pipe("medspacy_context")
    context.add(_rules.library_context_rules())
    context.add(_rules.context_rules())
    sectionizer = nlp.add_pipe("medspacy_sectionizer", config={"rules": None, "span_attrs": None})
    sectionizer.add(_rules.section_rules())
    return nlp


def _register_targets_once() -> str:
    """A component that runs the (disabled) target matcher and sets its phrases as the
    note's entities in one write, keeping the library's choice where two overlap: the
    earlier match stays, a later one touching its tokens is skipped."""
    from spacy.language import Language  # noqa: PLC0415

    name = "gluteal_targets_once"
    if not Language.has_factory(name):

        @Language.factory(name)
        def targets_once(nlp: Any, name: str) -> Any:
            return functools.partial(_set_targets, nlp.get_pipe("medspacy_target_matcher"))

    return name


def _set_targets(matcher: Any, doc: Any) -> Any:
    """``doc.ents`` set once from the matcher's spans, in its order, none overlapping."""
    taken: set[int] = set()
    kept = []
    for span in matcher(doc):
        tokens = range(span.start, span.end)
        if taken.isdisjoint(tokens):  # what spaCy refuses when they are added one by one
            taken.update(tokens)
            kept.append(span)
    doc.ents = kept
    return doc


def mentions(text: str, targets: Targets) -> list[Mention]:
    """Every finding phrase and duration in ``text``, with its context."""
    doc = pipeline(targets)(unwrapped(text))  # offsets kept: a wrap becomes a space
    # Sentences listed once: ``Span.sent`` walks the whole document on every call.
    sentences = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
    starts = [sentence[0] for sentence in sentences]
    sites = _site_phrases(targets)  # once a note: hashing the targets costs
    # A modifier inside a longer phrase ("can't sit", "has not passed urine") is that
    # finding's own words: it modifies no other finding of the sentence either. A phrase of
    # one word that is also a modifier ("normal", an X-ray's finding) still modifies others.
    ents = doc.ents  # read once: each read of ``Doc.ents`` builds every Span again
    inside = frozenset(i for ent in ents if len(ent) > 1 for i in range(ent.start, ent.end))
    listed = frozenset(i for ent in ents for i in range(ent.start, ent.end))
    found = []
    discharged = _DISCHARGE_SUMMARY.search(text) is not None
    for ent in ents:
        sentence = sentences[bisect_right(starts, ent.start) - 1]
        mention = _mention(ent, sentence, text, inside, listed)
        if discharged and ent._.section is not None and ent._.section.category == "admission":
            mention = dataclasses.replace(mention, admitted=True)
        found.append(mention)
        found += _sharing_pain_word(ent, mention, sites)
        found += _coordinated(ent, mention, sites)
        found += _coordinated_after(ent, mention, sites)
    return found


# A discharge summary, by its title or its discharge date's field (session 10).
_DISCHARGE_SUMMARY = re.compile(
    r"\bdischarge summary\b|^\s*(?:date )?discharged?\s*(?:date)?\s*:", re.IGNORECASE | re.MULTILINE
)


def _mention(
    ent: Any,
    sentence: tuple[int, int, int, int],
    text: str,
    inside: frozenset[int],
    listed: frozenset[int],
) -> Mention:
    kind = _kind(ent)
    categories = _for_kind(_modifiers(ent, kind, inside, sentence[3]), kind)
    # a choice offered first: "Fever: Y / N" is no "yes" (review, session 10)
    choice = choice_answer(text[ent.end_char : sentence[3]])
    marked = ticked_answer(text, ent) or column_answer(text, ent)
    if marked in ANSWERED:  # a box ticked or a column marked says it, whatever the words
        categories.pop("NEGATED_EXISTENCE", None)
        categories.pop(POSITIVE, None)
        if marked == "yes":
            categories[POSITIVE] = 0
    answer = choice or marked or field_answer(ent, sentence[1], listed)
    answer = answer or question_answer(text, sentence[2], sentence[3], ent.start_char)
    section = _section_category(ent, text, kind, sentence)
    negated = "NEGATED_EXISTENCE" in categories
    positive = POSITIVE in categories
    if negated and positive:  # "SLR +ve, FAIR neg": the nearer word decides
        negated = categories["NEGATED_EXISTENCE"] <= categories[POSITIVE]
        positive = not negated
    sign = _SIGN.match(text, ent.end_char) if kind == "exam" else None
    if sign is not None:  # "thigh thrust R +, ..., sacral thrust -": the test's own sign
        positive = sign.group(1) == "+"
        negated, answer = not positive, None
    return Mention(
        label=ent.label_,
        kind=kind,
        start=ent.start_char,
        end=ent.end_char,
        sentence=(sentence[2], sentence[3]),
        negated=(negated or answer == "no") and choice != "yes",
        # a field answered is stated, whatever asked it ("Asked about saddle anaesthesia:
        # yes", "... : no")
        uncertain=("POSSIBLE_EXISTENCE" in categories or _asked(text, ent, sentence))
        and answer not in ANSWERED,
        hypothetical=answer not in ANSWERED
        and (
            "HYPOTHETICAL" in categories
            or WARNED in categories
            or section in {"plan", "safety_net"}
        ),
        family="FAMILY" in categories or section == "family_history",
        historical="HISTORICAL" in categories or section == "past_medical_history",
        positive=positive,
        not_done=NOT_DONE in categories,
        empty_field=answer == "unknown"
        or (
            choice not in ANSWERED
            and marked not in ANSWERED
            and (empty_field(ent, sentence[1]) or unticked(text, ent))
        ),
        assessed=section == "assessment" and _heads_sentence(ent),
    )


# A test's result written as a sign right after it (a side between), alone in its clause:
# "FAIR R +", "Hip FADIR -.", "distraction +, compression -" (session 10: the "+" read as
# a list's join and the "-" as a field left blank). Not "-ve" (a ConText rule), nor a dash
# opening more words ("SLR - see below").
_SIGN = re.compile(
    r"[ \t]*(?:(?:L|R|left|right|bilat|bilateral|B/L)[ \t]*)?"
    r"(\+{1,3}|[-\u2212])[ \t]*(?=[,.;\n]|$)",
    re.IGNORECASE,
)


def _for_kind(categories: dict[str, int], kind: PhraseKind) -> dict[str, int]:
    """A test's negative result written as the pain it lacks ("SLR 80 deg bilat, no
    radicular pain", "hops ... 10x without pain") negates the test only: beside a finding's
    own words it would deny what it does not ("saddle numbness, walks without pain"). Words
    stating an absence are denied only by a denial beside them ("not afebrile", "no longer
    afebrile"), not by one opening a list before them ("no groin pain and no back pain, ...
    and her weight is steady", session 10)."""
    lacking = categories.pop(EXAM_NEGATIVE, None)
    if lacking is not None and kind == "exam":
        categories["NEGATED_EXISTENCE"] = min(lacking, categories.get("NEGATED_EXISTENCE", lacking))
    if kind == "absent" and categories.get("NEGATED_EXISTENCE", 0) > _ABSENCE_DENIED_WITHIN:
        del categories["NEGATED_EXISTENCE"]
    return categories


_ABSENCE_DENIED_WITHIN = 1  # tokens between: "no longer afebrile"


def _asked(text: str, ent: Any, sentence: tuple[int, int, int, int]) -> bool:
    """The mention is in a question its line leaves unanswered ("Numbness in groin, buttocks
    or inner thighs?", a triage protocol's row ticked in a column we cannot read): its "?"
    ends the sentence, after the mention, and is too far for ConText's own reach."""
    tail = text[ent.end_char : sentence[3]]
    return _UNANSWERED.search(tail) is not None and _NEW_QUESTION.search(tail) is None


# A question of its own after the mention ("T 38.6 today, any rigors?"): the mention is not
# asked.
_NEW_QUESTION = re.compile(r"[;]|\s[-\u2013\u2014]\s|\b(?:any|anything)\b", re.IGNORECASE)
# A "?" closing the sentence, at most a tick mark or a column's "X" after it.
_UNANSWERED = re.compile(r"^[^?!]*\?[\s\-:]*(?:[xX\u2713\u2714]\s*)?$")


def _heads_sentence(ent: Any) -> bool:
    """The mention's section heading opens its own statement ("Dx: sacral stress fracture",
    "IMPRESSION:\n1. Right femoral neck stress fracture"), not an earlier one ("Diagnosis:
    ... . She had a metatarsal stress fracture last year"): no full stop between them but a
    list's numbers."""
    section = ent._.section
    if section is None:
        return False
    between = ent.doc.text[ent.doc[section.title_end - 1].idx : ent.start_char]
    items = list(_LIST_NUMBER.finditer(between))
    if items:  # "IMPRESSION:\n1. Normal films.\n2. ... bone stress injury": its own item's
        between = between[items[-1].end() :]
    return "." not in between


_LIST_NUMBER = re.compile(r"(?:^|\s)\d{1,2}[.)]\s")


def _kind(ent: Any) -> PhraseKind:
    """The kind of phrase the target matcher found (a finding's words by default)."""
    rule = ent._.target_rule
    kind = (rule.metadata or {}).get("kind") if rule is not None else None
    return "exam" if kind == "exam" else "absent" if kind == "absent" else "finding"


def _modifiers(
    ent: Any, kind: PhraseKind, inside: frozenset[int], sentence_end: int
) -> dict[str, int]:
    """The ConText categories that apply to ``ent``, each with its nearest distance.

    Left out: a modifier inside the phrase itself or another phrase of several words
    (``inside``: "can't sit", "has not passed urine" are the findings' words); the
    words of a section heading ("Menstrual history:", "FHx:"), whose section decides
    instead; and, for words that state an absence, a test's negative result beside them
    ("weight bearing fully, gait normal"); and a safety-netting warning that does not reach
    the phrase (``_warning_reaches``).
    """
    section = ent._.section
    heading = (section.title_start, section.title_end) if section is not None else (0, 0)
    categories: dict[str, int] = {}
    for mod in ent._.modifiers:
        at, end = mod.modifier_span
        # wholly inside the heading: "O/E: no TTP" keeps its ": no"
        if ent.start <= at < ent.end or at in inside or (heading[0] <= at and end <= heading[1]):
            continue
        if kind == "absent" and mod.rule.literal.lower() in RESULT_NEGATIVES:
            continue
        if _queries_next_word(ent, at):
            continue
        if mod.category == WARNED and not _warning_reaches(ent, (at, end), sentence_end):
            continue
        distance = _distance(ent, mod.modifier_span)
        categories[mod.category] = min(distance, categories.get(mod.category, distance))
    return categories


# Where a safety-netting warning stops reaching forward (review 10b, contract 3a: a statement
# of fact is never silenced): a colon or a dash opening what was found ("Symptoms of cauda
# equina: saddle numbness since this morning", "Warned of cauda equina - already has saddle
# numbness"), and words stating or explaining a finding ("Informed of the symptoms, she has
# ...", "Advised regarding crutches as unable to bear weight").
_WARNING_STOPS = re.compile(
    r"[:;]|\s[-\u2013\u2014]+\s|\s[-\u2013\u2014]{2,}|\b(?:already|has|have|had|was|were|she|he"
    r"|they|(?<!such )(?<!well )as(?! well)|because|since|given|due|result|results|shows?"
    r"|showed|reports?|reported|complains?|presents?|presented)\b",
    re.IGNORECASE,
)
# ... and words after the phrase that state it now ("saddle numbness persists", "numbness
# started in the saddle area this morning").
_STATED_AFTER = re.compile(
    r"\b(?:persists?|persisting|persistent|still|ongoing|started|starts|began|begun|since"
    r"|already|today|this morning|yesterday|last night|now|present|developed|noticed|x\s?\d)\b",
    re.IGNORECASE,
)
# A warning told by the patient is the patient's story: "Patient explained that ...".
_TELLERS = frozenset(
    {"patient", "pt", "she", "he", "they", "mum", "dad", "parents", "wife", "husband", "partner"}
)


def _warning_reaches(ent: Any, span: tuple[int, int], sentence_end: int) -> bool:
    """Whether a safety-netting warning (WARNED) before the phrase makes it hypothetical:
    nothing between states a finding, nothing after it in its sentence does, and the
    patient is not the one who explained."""
    doc = ent.doc
    at, end = span
    told = doc[at].lower_ in {"explained", "discussed"}  # "Patient explained that ..."
    if end > ent.start or (told and at > 0 and doc[at - 1].lower_ in _TELLERS):
        return False
    between = doc.text[doc[end - 1].idx + len(doc[end - 1]) : ent.start_char]
    # to the sentence's full stop: a semicolon's clause may state it ("...; she already has
    # some today")
    stop = re.search(r"[.\n]", doc.text[ent.end_char :])
    after = doc.text[ent.end_char : max(sentence_end, ent.end_char + (stop.start() if stop else 0))]
    return _WARNING_STOPS.search(between) is None and _STATED_AFTER.search(after) is None


def _queries_next_word(ent: Any, at: int) -> bool:
    """A "?" written onto the word after it queries that word, not what came before: "2/52
    R buttock pain, ?GTPS ?piriformis" doubts the diagnoses, not the pain (notes-recall); a
    "?" standing alone ("Night pain?") or before the phrase ("?stress fracture") still does.
    """
    doc = ent.doc
    mark = doc[at]
    if mark.text != "?" or mark.whitespace_ or at + 1 >= len(doc) or at < ent.start:
        return False
    return bool(doc[at + 1].is_alpha)


@functools.lru_cache(maxsize=4)
def _site_phrases(targets: Targets) -> dict[tuple[str, ...], str]:
    """A finding's own phrases as lower-case words, to find them beside a shared pain word."""
    return {tuple(p.lower().split()): code for p, code, kind in targets if kind == "finding"}


def _sharing_pain_word(
    ent: Any, mention: Mention, sites: dict[tuple[str, ...], str]
) -> list[Mention]:
    """The other finding that shares this phrase's pain word ("buttock pain into posterior
    thigh" is buttock pain and pain into the thigh; "lateral hip pain on impact").

    The target matcher keeps only the longer of two overlapping phrases, so the other is
    rebuilt here, in the same sentence, with the same context (a negation before "buttock
    pain on sitting" denies both).
    """
    first, last = ent[0], ent[-1]
    looks = []
    if first.lower_ in _PAIN:  # the other phrase ends with this one's first word
        looks.append([(first.i - k, first.i + 1) for k in range(_SITE_WORDS, 0, -1)])
    if last.lower_ in _PAIN and len(ent) > 1:  # ... or begins with its last word
        looks.append([(last.i, last.i + k + 1) for k in range(_SITE_WORDS, 0, -1)])
    found = []
    for spans in looks:  # the longest other phrase, each way
        hit = next(filter(None, (_other_phrase(ent, a, b, sites) for a, b in spans)), None)
        if hit is not None:
            code, begin, end = hit
            found.append(
                dataclasses.replace(mention, label=code, kind="finding", start=begin, end=end)
            )
    return found


def _coordinated(ent: Any, mention: Mention, sites: dict[tuple[str, ...], str]) -> list[Mention]:
    """The site joined to this phrase's before its pain word ("low back and R buttock pain",
    "back and buttock pain", "groin or buttock pain"): that site with the pain word is another
    finding's phrase, read with this one's context ("no low back or buttock pain" denies both).
    """
    last, doc = ent[-1], ent.doc
    if last.lower_ not in _PAIN or len(ent) < 2:
        return []
    join = ent.start - 1
    while join > 0 and doc[join].lower_ in _SIDE_WORDS and not doc[join].is_sent_start:
        join -= 1
    if join < 1 or doc[join].lower_ not in _JOINS or doc[join].is_sent_start:
        return []
    for begin in range(max(join - _SITE_WORDS, 0), join):
        if any(t.is_sent_start for t in doc[begin + 1 : join + 1]):
            continue
        code = sites.get((*(t.lower_ for t in doc[begin:join]), last.lower_))
        if code is not None and code != ent.label_:
            end = doc[join - 1].idx + len(doc[join - 1])
            return [
                dataclasses.replace(
                    mention, label=code, kind="finding", start=doc[begin].idx, end=end
                )
            ]
    return []


def _coordinated_after(
    ent: Any, mention: Mention, sites: dict[tuple[str, ...], str]
) -> list[Mention]:
    """The site joined after a phrase that begins with its pain word ("pain L groin and
    buttock", "no pain in the R buttock or groin"): that site with the pain word after it is
    another finding's phrase, read with this one's context. Not a site that goes on ("groin
    and back of the thigh" is no back pain)."""
    first, doc = ent[0], ent.doc
    join = ent.end
    if first.lower_ not in _PAIN or len(ent) < 2 or join + 1 >= len(doc):
        return []
    if doc[join].lower_ not in _JOINS or doc[join].is_sent_start:
        return []
    begin = join + 1
    while begin < len(doc) - 1 and doc[begin].lower_ in _SIDE_WORDS | {"the"}:
        begin += 1
    for end in range(min(begin + _SITE_WORDS, len(doc)), begin, -1):
        if any(t.is_sent_start for t in doc[begin:end]):
            continue
        code = sites.get((*(t.lower_ for t in doc[begin:end]), first.lower_))
        goes_on = end < len(doc) and doc[end].lower_ == "of"
        if code is not None and code != ent.label_ and not goes_on:
            last = doc[end - 1]
            return [
                dataclasses.replace(
                    mention,
                    label=code,
                    kind="finding",
                    start=doc[begin].idx,
                    end=last.idx + len(last),
                )
            ]
    return []


def _other_phrase(
    ent: Any, start: int, end: int, sites: dict[tuple[str, ...], str]
) -> tuple[str, int, int] | None:
    """Another finding's phrase at tokens ``start:end``, within one sentence: its code and
    character offsets."""
    doc = ent.doc
    if start < 0 or end > len(doc) or any(t.is_sent_start for t in doc[start + 1 : end]):
        return None
    code = sites.get(tuple(t.lower_ for t in doc[start:end]))
    if code is None or code == ent.label_:
        return None
    return code, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])


def _distance(ent: Any, span: tuple[int, int]) -> int:
    start, end = span
    return max(int(start) - int(ent.end), int(ent.start) - int(end), 0)


def _section_category(
    ent: Any, text: str, kind: PhraseKind, sentence: tuple[int, int, int, int]
) -> str | None:
    """The section heading over the mention, when no blank line lies between them.

    Two headings reach less far than their section. A safety-netting heading makes its own
    sentence an instruction ("Safety netting: return if febrile"); words stating an absence
    in a later sentence that says it is now are an observation ("Currently afebrile"), so
    they count, while a list item or an expectation ("- afebrile", "should remain afebrile")
    and a finding's own words there stay hypothetical (never a red flag raised). A
    family-history heading stops at a sentence about the patient's own ("Patient's own
    periods regular", "pt herself", "no personal hx"), and so do the sentences after it.
    """
    section = ent._.section
    if section is None:
        return None
    # The note's own string: ``Doc.text`` joins every token again on each access.
    title = ent.doc[section.title_start].idx
    between = text[title : ent.start_char]
    if "\n\n" in between:
        return None
    category = str(section.category)
    later_sentence = title < sentence[2]
    if category == "safety_net" and kind == "absent" and later_sentence:
        return None if _says_now(ent.doc[sentence[0] : sentence[1]]) else category
    if category == "family_history" and later_sentence:
        # "FHx: mother ca. No personal hx of cancer. Buttock pain ...": the family's
        # history ends at the sentence about the patient's own, for it and those after it.
        told = ent.doc[section.title_start : sentence[1]]
        return None if any(_about_self(said) for said in told.sents) else category
    if category == "past_medical_history" and later_sentence:
        # "PMH: osteoporosis. Now 58F with 3/52 sits-bone pain": the history ends where
        # the note turns to the present, for that sentence and those after it.
        words = _LETTERS.findall(text[title : sentence[3]].lower())
        return None if _NOW.intersection(words) else category
    return category


_SELF = frozenset({"own", "herself", "himself"})
_PATIENT = frozenset({"patient", "pt", "patients", "pts"})
_NOW = frozenset({"currently", "now", "today", "present", "presently"})
_LETTERS = re.compile(r"[a-z]+")


def _says_now(sentence: Any) -> bool:
    """A sentence that states the present ("Currently afebrile", "apyrexial today")."""
    return any(token.lower_ in _NOW for token in sentence)


_PAIN = frozenset({"pain", "ache"})
_JOINS = frozenset({"and", "&", "or", "+"})  # "low back and buttock pain"
_SIDE_WORDS = frozenset({"l", "r", "left", "right", "bilateral", "b/l", "bilat", "both"})
_SITE_WORDS = 4  # the longest site phrase looked for beside a shared pain word


def _about_self(sentence: Any) -> bool:
    """A sentence that turns to the patient's own ("Patient's own periods", "pt herself"):
    the patient named, and "own" or a reflexive, or a "personal" history. "Her own" or "his
    own" alone could be the relative's ("FHx: mother had breast ca. Her own mother too")."""
    words = {token.lower_ for token in sentence}
    if "personal" in words:  # "No personal hx of cancer": no relative's history is personal
        return True
    return not words.isdisjoint(_PATIENT) and not words.isdisjoint(_SELF)
