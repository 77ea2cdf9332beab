"""What the words around a mention say it names (contract section 3a).

Checks of the knowledge base's ``note_phrases`` rows, made after medspaCy has found the
phrases and before they count:

- the part of the body or the course named next to a phrase: "numb around the anus" is
  saddle numbness, "numbness in the R hand" none of our findings, "foot drop, worse by the
  afternoon" progressive weakness (``next_to``);
- a study's finding counts only in a sentence, or a report, of that study done: "MRI: L5/S1
  disc protrusion" reads, "MRI requested to exclude a disc protrusion" does not (``study``);
- a measure stated with its volume: "bladder scan 900 ml" reads retention
  (``present_from_ml``); with its temperature: "T 38.6" reads fever, "T 36.8" its absence
  (``present_from_celsius``); with its body mass index: "BMI 17.2" reads low body weight
  (``present_below_bmi``);
- tests that count only as a cluster: two of four sacroiliac tests positive (``cluster``);
- a finding that is another too: progressive leg weakness is leg weakness (``implies``);
- words that name a finding only beside a rule's words: "lost 6 kg without trying" is weight
  loss, "lost 2 kg over the winter" nothing (``cue_phrases``).

Only finding codes and offsets leave this module, never the note's words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from differential.note_phrases import NextTo, NotePhrases
from fhir_mappings.notes._clusters import clustered
from fhir_mappings.notes._measures import body_mass_index, bone_density, measured, temperature
from fhir_mappings.notes._nlp import Mention

__all__ = ["NearRule", "Surroundings", "place"]

_BEFORE = 3  # words before a phrase that can name its part or course ("R hand numbness")
_AFTER = 6  # and after it ("numb around the anus and perineum")
_WORD = re.compile(r"[a-z0-9]+(?:['/-][a-z0-9]+)*")
# A heading a report's sentences follow ("MRI pelvis and R hip (report): ..."), up to its colon.
_HEADING = re.compile(r"([^\n.;:]{1,60}):")
# A study only requested, awaited or thought about is no study: its findings are none.
_PLANNED = (
    "request",
    "requested",
    "requesting",
    "await",
    "awaited",
    "awaiting",
    "book",
    "booked",
    "plan",
    "planned",
    "arrange",
    "arranged",
    "order",
    "ordered",
    "pending",
    "outstanding",
    "to be",
    "to follow",
    "will",
    "refer",
    "referred",
    "referral",
    "consider",
    "if",
    "need",
    "needs",
    "to exclude",
    "exclude",
    "rule out",
    "r/o",
)
# A study of an earlier year is a history (contract 3a: only histories by nature count past):
# "MRI 2019: L4/5 disc bulge", "X-ray two years ago normal". A recent one ("last month") counts,
# and so does a full date ("MRI 03/11/2026:"): the reader does not know the note's own date.
_EARLIER = ("last year", "years ago", "year ago", "previous", "prior", "old", "earlier")
_CLAUSE_END = re.compile(r"[,;]")
_YEAR = re.compile(r"(?<![/.\d-])(?:19|20)\d\d\b")


@dataclass(frozen=True)
class NearRule:
    """A ``next_to`` rule as the reader takes it (words lower case)."""

    words: tuple[str, ...]
    unless: tuple[str, ...]
    findings: tuple[str, ...]
    when_negated: bool = True
    within: int = _AFTER
    denies: bool = False
    cues_only: bool = False  # reads the row's cue phrases only, in their clause


@dataclass(frozen=True)
class Surroundings:
    """Per finding code: its ``next_to`` rules, its study words, its volume threshold."""

    next_to: tuple[tuple[str, tuple[NearRule, ...]], ...] = ()
    studies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    volumes: tuple[tuple[str, int], ...] = ()
    temperatures: tuple[tuple[str, float], ...] = ()
    implied: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # finding code -> (test id, its names lower case), and how many positive make it present
    clusters: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...], int], ...] = ()
    # finding code -> its cue phrases (lower case words), which read only as a rule names them
    cue_phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # finding code -> its topic phrases (lower case words): read only denied, or as a rule
    # names them, never present by their name alone
    topic_phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    bmis: tuple[tuple[str, float], ...] = ()  # finding code -> the BMI it is present below
    # finding code -> the T- or Z-score it is present below
    bone_scores: tuple[tuple[str, float], ...] = ()

    @classmethod
    def of(cls, phrases: NotePhrases) -> Surroundings:
        """The rows' ``next_to``, ``study`` and ``present_from_ml``, hashable."""
        return cls(
            tuple(
                (row.finding, tuple(_near_rule(rule) for rule in row.next_to))
                for row in phrases.rows
                if row.next_to
            ),
            tuple((row.finding, _lower(row.study)) for row in phrases.rows if row.study),
            tuple(
                (row.finding, row.present_from_ml)
                for row in phrases.rows
                if row.present_from_ml is not None
            ),
            tuple(
                (row.finding, row.present_from_celsius)
                for row in phrases.rows
                if row.present_from_celsius is not None
            ),
            tuple((row.finding, row.implies) for row in phrases.rows if row.implies),
            tuple(
                (
                    row.finding,
                    tuple((test, _lower(names)) for test, names in row.cluster.tests.items()),
                    row.cluster.present_from,
                )
                for row in phrases.rows
                if row.cluster is not None
            ),
            tuple(
                (row.finding, _lower(row.cue_phrases)) for row in phrases.rows if row.cue_phrases
            ),
            tuple(
                (row.finding, _lower(row.topic_phrases))
                for row in phrases.rows
                if row.topic_phrases
            ),
            tuple(
                (row.finding, row.present_below_bmi)
                for row in phrases.rows
                if row.present_below_bmi is not None
            ),
            tuple(
                (row.finding, row.present_below_bone_score)
                for row in phrases.rows
                if row.present_below_bone_score is not None
            ),
        )

    @functools.cached_property
    def rules(self) -> dict[str, tuple[NearRule, ...]]:
        """Per finding: the rules that read any of its phrases."""
        return {code: tuple(r for r in rules if not r.cues_only) for code, rules in self.next_to}

    @functools.cached_property
    def cue_rules(self) -> dict[str, tuple[NearRule, ...]]:
        """Per finding: the rules that read its cue phrases only, in their clause."""
        return {code: tuple(r for r in rules if r.cues_only) for code, rules in self.next_to}

    @functools.cached_property
    def study_words(self) -> dict[str, tuple[str, ...]]:
        return dict(self.studies)

    @functools.cached_property
    def thresholds(self) -> dict[str, int]:
        return dict(self.volumes)

    @functools.cached_property
    def fevers(self) -> dict[str, float]:
        return dict(self.temperatures)

    @functools.cached_property
    def low_bmis(self) -> dict[str, float]:
        return dict(self.bmis)

    @functools.cached_property
    def low_bone_scores(self) -> dict[str, float]:
        return dict(self.bone_scores)

    @functools.cached_property
    def implies(self) -> dict[str, tuple[str, ...]]:
        return dict(self.implied)

    @functools.cached_property
    def cues(self) -> dict[str, frozenset[str]]:
        return {code: frozenset(words) for code, words in self.cue_phrases}

    @functools.cached_property
    def topics(self) -> dict[str, frozenset[str]]:
        return {code: frozenset(words) for code, words in self.topic_phrases}

    @functools.cached_property
    def cluster_tests(self) -> dict[str, dict[str, str]]:
        """Per finding: each test name (lower case) -> its test."""
        return {
            code: {name: test for test, names in tests for name in names}
            for code, tests, _ in self.clusters
        }

    @functools.cached_property
    def cluster_needs(self) -> dict[str, tuple[int, int]]:
        """Per finding: (positive tests that make it present, of how many tests)."""
        return {code: (needed, len(tests)) for code, tests, needed in self.clusters}


def _lower(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(" ".join(_WORD.findall(word.lower())) for word in words)


def _near_rule(rule: NextTo) -> NearRule:
    return NearRule(
        _lower(rule.words),
        _lower(rule.unless),
        rule.findings,
        rule.when_negated,
        rule.within,
        rule.denies,
        rule.cues_only,
    )


def place(text: str, found: Sequence[Mention], around: Surroundings) -> list[Mention]:
    """The mentions as their surroundings name them: a study's finding outside a study
    done dropped, a measure with its volume given its result, a phrase relabelled (or
    dropped) by the words next to it."""
    placed: list[Mention] = []
    for mention in found:
        study = around.study_words.get(mention.label)
        if study and not _of_our_part(text, mention, study, around):
            continue
        read = _measures(text, mention, around)
        if read is None:
            continue
        cue = _is_cue(text, read, around)
        rule = nearest_rule(text, read, around.rules.get(read.label, ()))
        if rule is None and cue and around.cue_rules.get(read.label):
            rule = nearest_rule(text, _in_clause(text, read), around.cue_rules[read.label])
        if rule is None and cue:
            continue  # a cue says nothing by itself ("lost 2 kg over the winter")
        if rule is None and not read.negated and _named_in(text, read, around.topics):
            continue  # a topic is no finding by its name ("Bladder/bowel: WNL")
        named = [read] if rule is None else _named(read, rule)
        placed += [also for one in named for also in _with_implied(one, around)]
    return clustered(text, placed, around.cluster_tests, around.cluster_needs)


_CLAUSE_ENDS = re.compile(r"[,;:()\[\]]")
# Before the cue a colon ends no clause: the site may be the field the cue answers ("R
# piriformis / sciatic notch: marked TTP").
_CLAUSE_STARTS = re.compile(r"[,;()\[\]]")


def _in_clause(text: str, mention: Mention) -> Mention:
    """The mention with its sentence cut to its clause ("TTP L paraspinals, GT NT": the
    paraspinals are tender, not the trochanter); a field's name before its colon is in it."""
    start, end = mention.sentence
    before = [m.end() for m in _CLAUSE_STARTS.finditer(text, start, mention.start)]
    after = _CLAUSE_ENDS.search(text, mention.end, end)
    clause = (before[-1] if before else start, after.start() if after else end)
    return replace(mention, sentence=clause)


def _is_cue(text: str, mention: Mention, around: Surroundings) -> bool:
    return _named_in(text, mention, around.cues)


def _named_in(text: str, mention: Mention, phrases: Mapping[str, frozenset[str]]) -> bool:
    """Whether the mention's words are one of its finding's ``phrases`` (cues or topics)."""
    words = " ".join(_WORD.findall(text[mention.start : mention.end].lower()))
    return words in phrases.get(mention.label, frozenset())


def _measures(text: str, mention: Mention, around: Surroundings) -> Mention | None:
    """A measure's phrase read by its stated value (a volume, a temperature); None: a
    temperature's name with no reading after it, which says nothing."""
    threshold = around.thresholds.get(mention.label)
    if threshold is not None:
        return measured(text, mention, threshold)
    low = around.low_bmis.get(mention.label)
    if low is not None:
        return body_mass_index(text, mention, low)
    score = around.low_bone_scores.get(mention.label)
    if score is not None:
        return bone_density(text, mention, score)
    fever = around.fevers.get(mention.label)
    return mention if fever is None else temperature(text, mention, fever)


def _named(mention: Mention, rule: NearRule) -> list[Mention]:
    denied = replace(mention, negated=mention.negated or rule.denies)
    return [replace(denied, label=code) for code in rule.findings]


def _with_implied(mention: Mention, around: Surroundings) -> list[Mention]:
    """The mention, and the findings it is too when it is stated (never from a denial:
    "no progressive weakness" says nothing of weakness itself)."""
    also = around.implies.get(mention.label, ()) if not mention.negated else ()
    return [mention] + [replace(mention, label=code) for code in also]


def nearest_rule(text: str, mention: Mention, rules: Sequence[NearRule]) -> NearRule | None:
    """The rule that decides what the mention names: of the rules whose words lie next to it
    (and none of their ``unless``), the one with the nearest word; None: its own finding."""
    if not rules:
        return None
    start, end = mention.sentence
    before = _WORD.findall(text[start : mention.start].lower())[-_BEFORE:]
    after = _WORD.findall(text[mention.end : end].lower())[:_AFTER]
    window = f" {' '.join(before + after)} "
    # Where each word of the window first lies, once per mention (not once per rule): most
    # rule words are one word, found by a look-up instead of a scan of the window.
    away = before[::-1]  # the words before, read away from the phrase
    places = (away, _first_places(away), after, _first_places(after))
    best: tuple[int, NearRule] | None = None
    for rule in rules:
        # A phrase that says the finding is absent ("never below the knee") denies it as a
        # negation does: a rule kept from denials keeps from it too.
        denied = mention.negated or mention.states_absent
        if _names_any(window, rule.unless) or (denied and not rule.when_negated):
            continue
        distance = _nearest(places, rule.words)
        if distance is None or distance > rule.within:
            continue
        if best is None or distance < best[0]:
            best = (distance, rule)
    return None if best is None else best[1]


_Places = tuple[list[str], dict[str, int], list[str], dict[str, int]]


def _nearest(places: _Places, words: Sequence[str]) -> int | None:
    """How many words from the phrase the nearest of ``words`` lies (1: next to it), in the
    window's words before (read away from the phrase) and after it, with their places."""
    away, first_away, after, first_after = places
    found = []
    for parts in _split_words(tuple(words)):
        if len(parts) == 1:
            found += [first_away.get(parts[0]), first_after.get(parts[0])]
        else:
            found += [_index(away, parts[::-1]), _index(after, parts)]
    return min((distance for distance in found if distance is not None), default=None)


def _first_places(words: list[str]) -> dict[str, int]:
    """1 + where each word first lies in ``words`` (as :func:`_index` counts)."""
    places: dict[str, int] = {}
    for i, word in enumerate(words):
        places.setdefault(word, i + 1)
    return places


@functools.lru_cache(maxsize=1024)
def _split_words(words: tuple[str, ...]) -> tuple[list[str], ...]:
    """A rule's words, each split into its parts once per worker, not once per mention."""
    return tuple(word.split() for word in words)


def _index(words: list[str], parts: list[str]) -> int | None:
    """1 + where ``parts`` first lies in ``words``; None when it does not."""
    for i in range(len(words) - len(parts) + 1):
        if words[i : i + len(parts)] == parts:
            return i + 1
    return None


def _of_our_part(text: str, mention: Mention, study: Sequence[str], around: Surroundings) -> bool:
    """A study done, and, when a report's heading or title names it, one of no other part
    than ours: a lumbar spine MRI reporting "no marrow oedema" under its title says nothing
    of the hip's bones (session 10). The parts are the row's ``next_to`` rules naming nothing,
    at their full reach; a sentence naming its study is left to them ("lumbar spine and
    pelvis radiographs normal" is a normal pelvis film)."""
    anchor, headed = study_anchor(text, mention, study)
    if anchor is None:
        return False
    others = around.rules.get(mention.label, ())
    parts = [rule.words for rule in others if not rule.findings and rule.within >= _AFTER]
    return not headed or not any(_names_any(_padded(anchor), words) for words in parts)


def study_anchor(text: str, mention: Mention, study: Sequence[str]) -> tuple[str | None, bool]:
    """The words naming the study the mention is a finding of (None: no study done names
    it), and whether they are a report's heading or title above it rather than its sentence."""
    start, end = mention.sentence
    # The sentence up to the mention's clause end: "An MRI yesterday shows a complete
    # avulsion ..., and I would be grateful if you could see her" is a study done, its
    # request for a review after it another matter (notes-recall).
    clause_end = _CLAUSE_END.search(text, mention.end, end)
    anchor = text[start : clause_end.start() if clause_end else end]
    headed = not _names_any(_padded(anchor), study)
    if headed:
        # The report's last heading naming the study, in its paragraph: "MRI R hip:\n
        # FINDINGS: ...\nIMPRESSION: No bone marrow oedema." (notes-recall)
        paragraph = max(text.rfind("\n\n", 0, start), 0)
        headings = _title(text, paragraph, start) + _HEADING.findall(text, paragraph, start)
        named = [h for h in headings if _names_any(_padded(h), study)]
        anchor = named[-1] if named else ""
    words = _padded(anchor)
    done = (
        _names_any(words, study)
        and not _names_any(words, _PLANNED + _EARLIER)
        and _YEAR.search(anchor) is None
    )
    return (anchor if done else None), headed


def _title(text: str, paragraph: int, start: int) -> list[str]:
    """A formal report's title, its paragraph's first line written without a colon ("MRI
    LUMBAR SPINE WITHOUT CONTRAST", session 10): the study its findings below belong to.
    Written in capitals only: a sentence of prose opening a note names no report."""
    first = text[paragraph:start].lstrip("\n")
    line = first.split("\n", 1)[0]
    if "\n" not in first or ":" in line or not line.isupper() or len(line) > _TITLE_CHARS:
        return []
    return [line]


_TITLE_CHARS = 80


def _padded(words: str) -> str:
    return f" {' '.join(_WORD.findall(words.lower()))} "


def _names_any(padded: str, words: Iterable[str]) -> bool:
    return any(f" {word} " in padded for word in words)
