"""An earlier episode: a finding stated as over, or dated to the past (review, session 10).

"Leg weakness resolved after physio", "Had urinary incontinence after childbirth 3 years ago,
resolved", "Was unable to bear weight in 2022 after ankle fracture" read red flags as now. A
mention so stated is a history: it counts only for the findings that are histories by nature
(a stress fracture "in 2019" is still a prior stress fracture, contract 3a), never for a
current finding. A duration of an earlier episode ("similar pain 2 years ago for 8 weeks")
dates nothing now.

The mention's clause decides: its sentence, cut where the note turns to now ("but", "now",
"still") or to another clause of its own (a semicolon already ends the sentence). A finding
that goes on since the time named ("since 2022", "started 3 years ago") is current.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from fhir_mappings.notes._nlp import DURATION, Mention

__all__ = ["earlier_episodes"]

# Where a sentence turns from an earlier episode to now: the clause ends there.
_TURN = re.compile(
    r"\b(?:but|however|now|currently|still|again|recurred|returned|this time|today|since then"
    r"|this episode|presently|new)\b|\bnow\b",
    re.IGNORECASE,
)
# Over: "resolved", "settled", "recovered", right after the finding ("Leg weakness resolved
# after physio") or closing its clause after a comma ("..., resolved", "..., now settled");
# not "unresolved", "not resolved", "partially resolved" or "resolving": still there.
_DONE = r"(?:resolved|settled|subsided|recovered|cleared|went away)\b"
_OVER = re.compile(
    rf"^\W{{0,3}}(?:(?:has|had|have|now|since|then|fully|completely|spontaneously|quickly)\s+)*"
    rf"{_DONE}"
    rf"|^[^,]*,\s*(?:(?:now|since|all|which|that|then|has|have|had|fully|completely|both)\s+)*"
    rf"{_DONE}",
    re.IGNORECASE,
)
# What makes "resolved" no end of the episode, right after it: only partly ("resolved
# partially"), or eased by what treats the symptom or by rest ("Urinary retention, resolved
# with catheter", "Fever settled with paracetamol", "pain on running, settled with rest"):
# the cause is still there (review 10b). Physio, surgery or time mend it ("Leg weakness
# resolved after physio", "settled after 2 weeks").
_NOT_ENDED = re.compile(
    r"\s*(?:partially|partly|in part|somewhat|a bit|a little|mostly|almost|nearly|slightly"
    r"|(?:with|after|on|by|using|following|when|if|once|in)\b(?!\s+(?:physio|physiotherapy|rehab"
    r"|rehabilitation|surgery|time|treatment of|\d|a few|several|one|two|three|four|five|six"
    r"|(?:a|one|the) (?:week|month|year|day|fortnight)|weeks|months|days|years)))",
    re.IGNORECASE,
)


def _over(after: str, *, pain: bool = False) -> bool:
    """The words after a mention state its episode over: "Leg weakness resolved after
    physio", "..., now settled"; not "resolved partially", "resolved with catheter". A
    ``pain`` is over only when the word closes its clause ("Back pain resolved.")."""
    done = _OVER.search(after)
    if done is None or _NOT_ENDED.match(after, done.end()) is not None:
        return False
    return not pain or _CLAUSE_CLOSED.match(after, done.end()) is not None


_CLAUSE_CLOSED = re.compile(r"\s*(?:(?:completely|fully|entirely|now)\s*)?(?:[.,;)]|\n|$)")


# Back again after the earlier episode, later in the sentence: current.
_RECURS = re.compile(
    r"\b(?:recurred|recurring|recurrence|returned|returning|again|came back|come back|relapsed"
    r"|still|persists|persisting)\b",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(?:now|currently|today|this week|at present)\b", re.IGNORECASE)
# Dated to the past: a calendar year ("in 2022", "(2019)"; not a date's "03/2022"), "3
# years ago", "a year ago", "last year", "as a child". Not months: "periods stopped 8 months
# ago" goes on (held_out_4), and a recent episode is too close to call.
_YEAR = re.compile(r"(?<![/.\d-])(?P<year>19[5-9]\d|20\d\d)\b")
_PAST = re.compile(
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)"
    r"\s*(?:years?|yrs?)\s+ago\b"
    r"|\byears\s+ago\b|\blast (?P<last>year|season|summer|winter|spring|autumn)\b"
    r"|\bas a (?:child|teenager|teen|junior)\b",
    re.IGNORECASE,
)
# ... unless the finding goes on since then ("since 2022", "started 3 years ago", "for the
# last year", "on and off for years", "periods stopped 2 years ago", "noticed it in 2023").
_ONGOING = re.compile(
    r"\b(?:since|started|starting|began|begun|beginning|onset|ongoing|persist\w*|continu\w*"
    r"|worse\w*|for|over the|on and off|intermittent\w*|recurrent|chronic|stopped|ceased"
    r"|developed|came on|noticed|first|has been|have been|has had|have had|gradual\w*"
    r"|to date|to present|until now|up to now|till now)\b",
    re.IGNORECASE,
)
# An earlier episode named as one ("a previous episode lasted 3 months", "last episode 2
# years ago lasted 3 weeks"): its durations date nothing now. Not "episode of", "an
# episode", "similar pain" alone: "Episode of buttock pain for 8 weeks", "Second episode of
# buttock pain, x 10/52", "Similar buttock pain for 10 weeks" date the complaint (review 10b);
# a likeness dated to the past is read by its date ("similar pain 2 years ago for 8 weeks").
_EPISODE = re.compile(
    r"\b(?:previous|prior|earlier|last|past|similar|old) episodes?\b",
    re.IGNORECASE,
)
_LIKENESS = re.compile(r"\b(?:similar|same pain|same symptoms)\b", re.IGNORECASE)
# ... but the episode going on is the current one: "First episode of buttock pain, 10 weeks",
# "Current episode of buttock pain for 8 weeks", "this episode" (review 10b).
_THIS_EPISODE = re.compile(
    r"\b(?:first|current|this|present|presenting|index|latest|new)\s+episode\b", re.IGNORECASE
)


@dataclasses.dataclass(frozen=True)
class _Dating:
    """What dates a mention to the past: the note's year, and the finding."""

    year: int
    label: str


# Findings measured over a year: "weight loss of 6 kg last year" is the weight lost now.
_OVER_A_YEAR = frozenset({"unexplained-weight-loss"})


# A span of time running to now: "2025 - present", "Jun 2025 to date", "2025-2026" or
# "2025/26" in a note of 2026 (review 10d: read as history, they silenced red flags).
_RANGE = re.compile(
    r"(?:19|20)\d\d\s*(?:-|\u2013|\u2014|/|to|until|till|through|thru)\s*"
    r"(?:[A-Za-z]{3,9}\.?\s+)?(?:(?P<to>(?:19|20)\d\d|\d\d)\b|(?P<now>present|date|now|today))",
    re.IGNORECASE,
)


def _to_now(clause: str, year: int) -> bool:
    """The clause names a span that runs to the note's year or to now."""
    for m in _RANGE.finditer(clause):
        if m["now"]:
            return True
        end = int(m["to"])
        if (end + 2000 if end < 100 else end) >= year:
            return True
    return False


def _past(clause: str, dating: _Dating) -> bool:
    """The clause names a time before the note's year: a calendar year before it ("in
    2022"; not "on 2026-12-05", "December 2026" in a note of 2026, nor a span running to
    now, "2025 - present"), "3 years ago", "last year" (not for weight lost over a year),
    "as a child"."""
    if _to_now(clause, dating.year):
        return False
    if any(int(m["year"]) < dating.year for m in _YEAR.finditer(clause)):
        return True
    return any(
        not (m["last"] == "year" and dating.label in _OVER_A_YEAR) for m in _PAST.finditer(clause)
    )


def earlier_episodes(
    text: str, found: Iterable[Mention], histories: frozenset[str], year: int
) -> list[Mention]:
    """The mentions, each one stated over or dated to an earlier episode marked historical
    (so it counts only for ``histories``); a duration of an earlier episode marked too.
    ``year``: the note's own year; only a year before it is the past (review 10b)."""
    return [_marked(text, mention, histories, year) for mention in found]


def _marked(text: str, mention: Mention, histories: frozenset[str], year: int) -> Mention:
    if mention.historical or mention.label in histories:
        return mention
    start, end = mention.sentence
    before, after = text[start : mention.start], text[mention.end : end]
    if mention.label == DURATION:
        said = text[mention.start : mention.end]
        earlier = _episode_duration(_last_clause(before), said, after, year)
    else:
        said = text[mention.start : mention.end]
        back = _RECURS.search(after) is not None  # "..., recurred last week": now again
        # the complaint's pain is never dropped by how it eases ("pain on running, settled
        # overnight", review 10b): only "resolved" closing its clause ends it
        over = _over(after, pain=mention.label.endswith("-pain")) and not back
        dated = _dated(before, said, after, _Dating(year, mention.label))
        earlier = over or (dated and not back and not _NOW.search(after))
    return dataclasses.replace(mention, historical=True) if earlier else mention


def _last_clause(before: str) -> str:
    """The words before the mention since the note last turned to now ("but", "now")."""
    turns = list(_TURN.finditer(before))
    return before[turns[-1].end() :] if turns else before


def _first_clause(after: str) -> str:
    """The words after the mention to a comma or a turn to now."""
    cut = _TURN.search(after)
    after = after[: cut.start()] if cut else after
    return after.split(",", 1)[0]


def _dated(before: str, said: str, after: str, dating: _Dating) -> bool:
    """Dated to the past in its own clause (commas end it), and not going on since then:
    "Was unable to bear weight in 2022 after ankle fracture" (not "periods stopped in 2022",
    whose own words go on)."""
    clause = f"{_last_clause(before).rsplit(',', 1)[-1]} | {_first_clause(after)}"
    ongoing = _ONGOING.search(f"{clause} {said}")
    return _past(clause, dating) and ongoing is None


# How long an earlier episode lasted: "for 8 weeks", "lasting 3 months".
_LASTING = re.compile(
    r"\b(?:for|lasting|lasted|lasts)\s+(?:about\s+|around\s+|~\s*)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s*"
    r"(?:/\s*(?:7|52|12)\b|(?:days?|d|weeks?|wks?|w|months?|mths?|mo|years?|yrs?)\b)",
    re.IGNORECASE,
)


def _episode_duration(before: str, said: str, after: str, year: int) -> bool:
    """A duration of an earlier episode: the words before it name one ("similar pain 2
    years ago for 8 weeks", "a previous episode lasted 3 months"), its clause says it is
    over, or its clause dates it to the past and says how long it lasted ("Had pain in 2019
    for 3 months", "2 years ago for 8 weeks")."""
    own = f"{before.rsplit(',', 1)[-1]} {said}"  # the duration's own clause
    named = _EPISODE.search(f"{before} {said}") and not _THIS_EPISODE.search(own)
    # a likeness at a time ago: "similar pain 2 years ago" (not "similar pain for 10 weeks")
    alike = _LIKENESS.search(own) is not None and re.match(r"\s*ago\b", after) is not None
    if named or alike or (_over(after) and not _RECURS.search(after)):  # "settled, returned"
        return True
    clause = f"{before} {said} {_first_clause(after)}"
    dated = _past(clause, _Dating(year, DURATION)) or re.search(r"\bago\b", clause) is not None
    return dated and _LASTING.search(clause) is not None
