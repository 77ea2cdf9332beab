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
_PAST = re.compile(
    r"(?<![/.\d-])(?:19[5-9]\d|20[0-2]\d)\b"
    r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|many|few)"
    r"\s*(?:years?|yrs?)\s+ago\b"
    r"|\byears\s+ago\b|\blast (?:year|season|summer|winter|spring|autumn)\b"
    r"|\bas a (?:child|teenager|teen|junior)\b",
    re.IGNORECASE,
)
# ... unless the finding goes on since then ("since 2022", "started 3 years ago", "for the
# last year", "on and off for years", "periods stopped 2 years ago", "noticed it in 2023").
_ONGOING = re.compile(
    r"\b(?:since|started|starting|began|begun|beginning|onset|ongoing|persist\w*|continu\w*"
    r"|worse\w*|for|over the|on and off|intermittent\w*|recurrent|chronic|stopped|ceased"
    r"|developed|came on|noticed|first|has been|have been|has had|have had|gradual\w*)\b",
    re.IGNORECASE,
)
# An earlier episode named by its likeness ("similar pain 2 years ago for 8 weeks", "a
# previous episode lasted 3 months"): its durations date nothing now.
_EPISODE = re.compile(
    r"\b(?:similar|same pain|same symptoms|(?:previous|prior|earlier|last|first|an?) episodes?"
    r"|episode (?:of|in))\b",
    re.IGNORECASE,
)


def earlier_episodes(
    text: str, found: Iterable[Mention], histories: frozenset[str]
) -> list[Mention]:
    """The mentions, each one stated over or dated to an earlier episode marked historical
    (so it counts only for ``histories``); a duration of an earlier episode marked too."""
    return [_marked(text, mention, histories) for mention in found]


def _marked(text: str, mention: Mention, histories: frozenset[str]) -> Mention:
    if mention.historical or mention.label in histories:
        return mention
    start, end = mention.sentence
    before, after = text[start : mention.start], text[mention.end : end]
    if mention.label == DURATION:
        earlier = _episode_duration(_last_clause(before), text[mention.start : mention.end], after)
    else:
        said = text[mention.start : mention.end]
        back = _RECURS.search(after) is not None  # "..., recurred last week": now again
        over = _OVER.search(after) is not None and not back
        earlier = over or (_dated(before, said, after) and not back and not _NOW.search(after))
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


def _dated(before: str, said: str, after: str) -> bool:
    """Dated to the past in its own clause (commas end it), and not going on since then:
    "Was unable to bear weight in 2022 after ankle fracture" (not "periods stopped in 2022",
    whose own words go on)."""
    clause = f"{_last_clause(before).rsplit(',', 1)[-1]} | {_first_clause(after)}"
    ongoing = _ONGOING.search(f"{clause} {said}")
    return _PAST.search(clause) is not None and ongoing is None


# How long an earlier episode lasted: "for 8 weeks", "lasting 3 months".
_LASTING = re.compile(
    r"\b(?:for|lasting|lasted|lasts)\s+(?:about\s+|around\s+|~\s*)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s*"
    r"(?:/\s*(?:7|52|12)\b|(?:days?|d|weeks?|wks?|w|months?|mths?|mo|years?|yrs?)\b)",
    re.IGNORECASE,
)


def _episode_duration(before: str, said: str, after: str) -> bool:
    """A duration of an earlier episode: the words before it name one ("similar pain 2
    years ago for 8 weeks", "a previous episode lasted 3 months"), its clause says it is
    over, or its clause dates it to the past and says how long it lasted ("Had pain in 2019
    for 3 months", "2 years ago for 8 weeks")."""
    if _EPISODE.search(f"{before} {said}") or _OVER.search(after):
        return True
    clause = f"{before} {said} {_first_clause(after)}"
    dated = _PAST.search(clause) is not None or re.search(r"\bago\b", clause) is not None
    return dated and _LASTING.search(clause) is not None
