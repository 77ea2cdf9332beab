"""A template's field beside a finding's phrase: answered yes or no, left empty, or a
checkbox left unticked ("Saddle anaesthesia: N", "Fever [ ]", "Incontinence: unknown").

Templates are where most red flags are written, and most of them denied: a field's answer
decides the finding's state, and a field nobody answered is never the finding.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

__all__ = [
    "ANSWERED",
    "BRACKET_BOX",
    "CHARACTER_BOX",
    "column_answer",
    "empty_field",
    "field_answer",
    "question_answer",
    "ticked",
    "ticked_answer",
    "unticked",
]


def empty_field(ent: Any, sentence_end: int) -> bool:
    """A template field with no entry: the phrase, a colon, then nothing on its line."""
    after: Sequence[Any] = ent.doc[ent.end : sentence_end]
    words = (token for token in after if not token.is_space)
    first = next(words, None)  # most phrases are no field: stop at their next word
    if first is None or first.text != ":":
        return False
    return all(token.is_punct or set(token.text) <= {"_", "-"} for token in words)


# A template field answered after its item, alone to the sentence's end (safety sweep):
# "Saddle anaesthesia: N", "Fever - denied", "Saddle numbness: denies", "Retention: nil";
# or left unanswered ("Incontinence: unknown", "Bladder/bowel: not asked", "Fever -").
_FIELD_MARKS = frozenset({":", "-", "\u2013", "\u2014", "=", "):"})  # dashes: en, em
_NO_ANSWERS = frozenset(
    {"n", "n.", "no", "nil", "none", "neg", "negative", "denies", "denied", "absent", "0", "nad"}
)
_YES_ANSWERS = frozenset({"y", "yes", "present", "positive"})
ANSWERED = ("yes", "no")
_UNKNOWN_ANSWERS = frozenset({"unknown", "not asked", "unsure", "?", "n / a", "x", "not known"})
# Words that end a field's name after the finding's phrase ("Bowel/bladder changes: N").
_FIELD_TAILS = frozenset({"changes", "change", "symptoms", "sx", "problems", "issues", "habits"})
# Items of one list answered together ("Saddle numbness / retention / incontinence: nil").
_LIST_JOINS = frozenset({"/", ",", "or", "and", "&", "+"})


def field_answer(ent: Any, sentence_end: int, listed: frozenset[int]) -> str | None:
    """ "no", "yes" or "unknown": the phrase (and any findings listed after it), a colon or dash,
    then only that answer to the sentence's end; None: no such field."""
    words: list[str] = []
    for token in ent.doc[ent.end : sentence_end]:
        if token.text == ";":  # "saddle anaes - nil; B&B - NAD; wt loss - ;": a field each
            break
        if token.is_space and len(words) >= 2:  # "Fevers: denies  Wt loss: denies": a run of
            break  # spaces after an answer starts the next field of the line
        if token.is_space or token.text == "." or (not words and token.i in listed):
            continue
        if not words and (token.lower_ in _LIST_JOINS or token.lower_ in _FIELD_TAILS):
            continue  # "Bowel/bladder changes: denies": the field's name goes on a word
        words.append(token.lower_.rstrip("."))
        if len(words) == 1 and words[0] not in _FIELD_MARKS and words[0] != "n":
            return None  # no field (nor "N/A"): the rest of the sentence cannot make one
    if words[:3] == ["n", "/", "a"]:  # "Fever N/A": not asked, not applicable
        return "unknown"
    if not words or words[0] not in _FIELD_MARKS:
        return None
    answer = " ".join(words[1:])
    if answer.startswith("{") and "}" in answer:  # "{YES/NO:21516} - yes, twice today"
        after = answer.split("}", 1)[1].strip(" -:")
        words = [words[0], *after.split()] if after else words
        answer = after or answer
    if words[1:2] and words[1] in _YES_ANSWERS:
        return "yes"
    if answer in _NO_ANSWERS:
        return "no"
    unanswered = not answer or answer in _UNKNOWN_ANSWERS or _placeholder(answer)
    return "unknown" if unanswered else None


def _placeholder(answer: str) -> bool:
    """A template's blank left in the note: Epic's "***" wildcard, or its SmartList braces
    unanswered ("{YES/NO:21516}"): nobody answered the field."""
    return set(answer.replace(" ", "")) <= {"*", "_"} or answer.startswith("{")


# One question closing its line with its answer: "Numbness between legs / around back
# passage? - No", "Any problem passing water or controlling bowels? - No" (notes-recall).
_QUESTION = re.compile(
    r"\?\s*[-:\u2013\u2014]?\s*(no|nil|none|denies|denied|n|yes|y)\s*\.?\s*$", re.IGNORECASE
)


# Where a question begins after a statement (review, session 9): "Saddle numbness since
# Tuesday - any fever? No" answers the fever alone, never the numbness before the dash.
_QUESTION_EDGE = re.compile(r"[,;]|\s[-\u2013\u2014]\s|\b(?:any|and|so)\b", re.IGNORECASE)


def question_answer(text: str, start: int, end: int, at: int) -> str | None:
    """ "no" or "yes": the sentence ``text[start:end]`` is one question, asked before its one
    "?", answered after it, and the phrase at ``at`` is in the question (no comma between
    them); None otherwise. A sentence of several questions ("Fever? no, numbness? yes")
    answers each apart."""
    sentence = text[start:end]
    mark = text.find("?", start, end)
    if sentence.count("?") != 1 or mark < at or _QUESTION_EDGE.search(text, at, mark):
        return None  # "Incontinent x2 today, fever? No" answers the fever alone
    found = _QUESTION.search(sentence)
    if found is None:
        return None
    return "yes" if found.group(1).lower() in _YES_ANSWERS else "no"


# A checkbox: "[ ]", "[x]", or the ballot-box characters (empty, ticked, crossed; a white square)
# A template's checkbox, empty, ticked or crossed: "[ ]", "[x]", "[\u2713]", or a box character.
BRACKET_BOX = r"\[\s*[xX\u2713\u2714]?\s*\]"
CHARACTER_BOX = r"[\u2610\u2611\u2612\u25a1]"
_BOX = re.compile(rf"{BRACKET_BOX}|{CHARACTER_BOX}")


def ticked(box: str) -> bool:
    """Whether a checkbox ("[x]", "(x)", "\u2611") is ticked: not empty ("[ ]", "( )") and
    not an empty box character ("\u2610", "\u25a1")."""
    inside = box.strip("[]() ")
    return box in "\u2611\u2612" or (bool(inside) and box not in "\u2610\u25a1")


def unticked(text: str, ent: Any) -> bool:
    """A template's checkbox left empty beside the phrase ("Fever [ ]", "[ ] saddle
    anaesthesia"): an unanswered field, never the finding (safety sweep). On a line that
    opens with a box the box before the phrase is its own; otherwise the box after it."""
    line_start = text.rfind("\n", 0, ent.start_char) + 1
    line_end = text.find("\n", ent.end_char)
    line_end = len(text) if line_end < 0 else line_end
    if _BOX.search(text, line_start, line_end) is None:
        return False
    if _boxes_first(text[line_start:line_end]):
        before = list(_BOX.finditer(text, line_start, ent.start_char))
        box = before[-1] if before else None
    else:
        box = _BOX.search(text, ent.end_char, line_end)
    if box is None:
        return False
    return not ticked(box.group())


def _boxes_first(line: str) -> bool:
    """The line's boxes stand before their labels: it opens with a box, or its heading does
    ("Red flags screened: [ ] fever [x] saddle numbness": each box is the label's after it,
    review 10b; the last label's is never a box after it)."""
    heading, colon, rest = line.partition(":")
    opened = _BOX.match(line.lstrip()) is not None
    return opened or (
        bool(colon) and _BOX.search(heading) is None and _BOX.match(rest.lstrip()) is not None
    )


# A box and the label after it, on a field's line: "Numbness/tingling: [ ] Y [x] N",
# "FADIR: [ ] pos [x] neg" (session 10).
_LABELLED_BOX = re.compile(rf"({BRACKET_BOX}|{CHARACTER_BOX})\s*([A-Za-z+-]+)")
_YES_LABELS = frozenset({"y", "yes", "pos", "positive", "+"})
_NO_LABELS = frozenset({"n", "no", "neg", "negative", "-"})


def ticked_answer(text: str, ent: Any) -> str | None:
    """ "yes" or "no": the phrase's line offers yes and no boxes after it and one of them is
    ticked; "unknown": none is; None: no such choice on the line ("[x] L [ ] R" is a side)."""
    line_end = text.find("\n", ent.end_char)
    boxes = _LABELLED_BOX.findall(text, ent.end_char, len(text) if line_end < 0 else line_end)
    labels = {label.lower(): ticked(box) for box, label in boxes}
    yes = [ticked for label, ticked in labels.items() if label in _YES_LABELS]
    no = [ticked for label, ticked in labels.items() if label in _NO_LABELS]
    if not yes or not no or len(boxes) != len(labels):
        return None
    if any(yes) == any(no):  # neither ticked, or both: nobody answered it
        return "unknown"
    return "yes" if any(yes) else "no"


# A protocol's row answered by a mark in a Y or an N column under its header ("Protocol
# questions    Y    N" then "Fever > 100.4 F or feels feverish?         X"), session 10; and a
# flowsheet's grid ("REVIEW OF SYSTEMS   Yes   No   Not asked" then "Fever/chills   X"): the
# mark's column answers the row, and a "Not asked" column is no answer (held_out_8's blind
# run read a fever and a bladder change from marks under "No" and "Not asked").
_ROW_MARK = re.compile(r"(?:\?[ ]+|\S[ ]{2,})([xX\u2713\u2714])[ ]*$")
_COLUMN_WORDS = {
    "yes": "yes",
    "y": "yes",
    "positive": "yes",
    "present": "yes",
    "no": "no",
    "n": "no",
    "negative": "no",
    "absent": "no",
    "denies": "no",
    "not asked": "unknown",
    "n/a": "unknown",
    "unknown": "unknown",
    "not assessed": "unknown",
}
_COLUMN = re.compile(
    r"(?<![A-Za-z/])(not asked|not assessed|n/a|unknown|positive|negative|present|absent|"
    r"denies|yes|no|y|n)(?![A-Za-z/])",
    re.IGNORECASE,
)
_COLUMN_SLACK = 2  # characters a mark may sit off its column's heading
_HEADER_ROWS = 15  # lines looked back for the header, to a blank line
_HEADER_CHARS = 4000  # and characters: fifteen rows of a wide protocol table


def column_answer(text: str, ent: Any) -> str | None:
    """ "yes", "no" or "unknown": the phrase's line ends in a mark that sits under a yes, a
    no or a not-asked column of a header above it (spaces only, the mark within two
    characters of the heading)."""
    start = text.rfind("\n", 0, ent.start_char) + 1
    end = text.find("\n", ent.end_char)
    line = text[start : len(text) if end < 0 else end]
    mark = _ROW_MARK.search(line)
    if mark is None or "\t" in line or mark.start(1) < ent.end_char - start:
        return None
    # the lines above, read back from a bounded window (a long note is not split again for
    # every row)
    above = text[max(start - _HEADER_CHARS, 0) : start].split("\n")[-_HEADER_ROWS - 1 : -1]
    for header in reversed(above):
        if not header.strip() or "\t" in header:
            return None
        columns = _header_columns(header)
        if columns:
            return _column_of(mark.start(1), columns)
    return None


def _column_of(at: int, columns: list[tuple[int, int, str]]) -> str:
    """The answer of the column a mark at ``at`` sits under; "unknown" when it sits under
    none, or as near one heading as another (a misaligned grid is no answer, never a "No"
    a clinician did not mean: review 10d)."""
    distances = sorted((max(first - at, at - last, 0), answer) for first, last, answer in columns)
    nearest, answer = distances[0]
    if nearest > _COLUMN_SLACK:
        return "unknown"
    if len(distances) > 1 and distances[1][0] - nearest <= _COLUMN_SLACK:
        return "unknown"
    return answer


def _header_columns(header: str) -> list[tuple[int, int, str]]:
    """A header's columns (first, last character, answer), when it ends in column headings
    that offer both a yes and a no, set off from each other by two spaces or more; else
    none."""
    found = list(_COLUMN.finditer(header))
    answers = {_COLUMN_WORDS[m.group(1).lower()] for m in found}
    apart = all(
        not header[before.end() : after.start()].strip() and after.start() - before.end() >= 2
        for before, after in itertools.pairwise(found)
    )
    ends = bool(found) and not header[found[-1].end() :].strip()
    set_off = bool(found) and found[0].start() >= 1 and header[found[0].start() - 1] == " "
    if not ({"yes", "no"} <= answers and apart and ends and set_off):
        return []
    return [(m.start(), m.end() - 1, _COLUMN_WORDS[m.group(1).lower()]) for m in found]
