"""A template field offered as a choice after a finding's phrase (review, session 10):
a yes/no list ("Fever Y/N:", "Fever: Y / N", "Bladder/bowel change (Y/N): **N**"), a row of
boxes ("Fever: [ ] Yes [x] No", "Saddle numbness: Yes [ ] No [x]", "( ) Yes (x) No"), a
score ("Pain on impact: 0/10"), or an answer that says nobody could tell ("Weakness: unable
to assess", "Radiation below knee: N/A").

A choice made reads as that choice; a list offered with no choice made, two choices made, or
an answer that is no answer is a field nobody answered: never the finding (contract 3a).
"""

from __future__ import annotations

import re

from fhir_mappings.notes._fields import BRACKET_BOX, CHARACTER_BOX, ticked

__all__ = ["choice_answer"]

# The words between the phrase and its field's mark that still name the field ("Bladder/bowel
# change (Y/N):"): a tail word, then the offered list.
_TAIL = r"(?:\s*(?:changes?|symptoms|sx|problems|issues|habits|present|now))?"
_LIST = r"\(?\s*(?:(?:y|yes)\s*/\s*(?:n|no)|(?:n|no)\s*/\s*(?:y|yes))\s*\)?\??"
# After an offered list, a tab or a run of spaces is the field's mark too ("Fever Y/N\tY",
# "Saddle anaesthesia (Y/N)   Y": review 10b).
_FIELD = re.compile(
    rf"^{_TAIL}\s*(?P<list>{_LIST})?"
    rf"\s*(?P<mark>[:=\u2013\u2014-])?\s*(?P<answer>.*)$",
    re.IGNORECASE,
)
_GAP = re.compile(r"[nNoO)?](?:[ ]*\t|[ ]{2,})")
_BARE_LIST = re.compile(rf"^{_LIST}$", re.IGNORECASE)
# A run of spaces or a tab starts the next field of the line.
_NEXT_FIELD = re.compile(r"\s{2,}|\t")
# Emphasis and blanks around an answer: "**N**", "__Y__", "_____".
_EMPHASIS = re.compile(r"[*_]+")
_YES = frozenset({"y", "yes", "present", "positive", "+"})
_NO = frozenset({"n", "no", "absent", "negative", "nil", "none", "-"})
# Answers that say the question was not answered or could not be: unknown, never "no".
_UNKNOWN = re.compile(
    r"^(?:n\s*/\s*a|na|n\.a\.?|not applicable|unable to (?:assess|test|examine|check|say)"
    r"|could not (?:be )?(?:assess(?:ed)?|test(?:ed)?|examine[d]?)|not (?:assessed|tested|"
    r"examined|checked|recorded|documented|asked|known)|unknown|unclear|\?+)\b",
    re.IGNORECASE,
)
# An answer that is no answer followed by what was found: a dash, a number, a "but".
_MORE_SAID = re.compile(r"\s*(?:[-\u2013\u2014,;(]\s*\S|.*\d|\s*but\b)", re.IGNORECASE)
# A score out of ten: zero is the finding absent ("Pain on impact: 0/10").
_SCORE = re.compile(r"^(?P<score>\d{1,2}(?:\.\d)?)\s*/\s*10$")
# A row of boxes: a box (empty, ticked, crossed) beside each choice's label.
_BOX = rf"{BRACKET_BOX}|\(\s*[xX\u2713\u2714]?\s*\)|{CHARACTER_BOX}"
_LABEL = r"yes|no|y|n"
_BOX_FIRST = re.compile(rf"(?P<box>{_BOX})\s*(?P<label>{_LABEL})\b", re.IGNORECASE)
_LABEL_FIRST = re.compile(rf"\b(?P<label>{_LABEL})\s*(?P<box>{_BOX})", re.IGNORECASE)


def choice_answer(line: str) -> str | None:
    """ "yes", "no" or "unknown" for the text after a finding's phrase (to its sentence's
    end), when it is a choice field; None when it is not one (other readers decide)."""
    found = _FIELD.match(line.strip())
    if found is None:
        return None
    mark = found["mark"]
    if found["list"] and not mark:  # "Fever Y/N\tY": the gap after the list is its mark
        mark = _GAP.search(line.strip(), found.start("list"), found.start("answer") + 1)
    # the answer is the first field's: "Fever: N  Wt loss: N", "Fever Y/N:  Y" (the run of
    # spaces before the answer is no next field)
    answer = _NEXT_FIELD.split(found["answer"].strip(), maxsplit=1)[0]
    if not (found["list"] or mark):
        # "Saddle numbness 0/10": a score with no field's mark says too little to deny a
        # red flag (the safety sweep), and is no finding either
        return "unknown" if _zero(answer) else None
    answer = answer.strip().rstrip(".").strip()
    boxes = _boxes(answer)
    if boxes is not None:
        return boxes
    plain = _EMPHASIS.sub("", answer).strip()
    if found["list"] and not mark and answer and not _BARE_LIST.match(plain):
        return None  # "Fever Y/N slept badly": no field's mark, nothing chosen we can read
    return _chosen(plain, offered=bool(found["list"]), emphasised=plain != answer)


def _chosen(plain: str, *, offered: bool, emphasised: bool) -> str | None:
    if _BARE_LIST.match(plain) or (offered and not plain):
        return "unknown"  # "Fever: Y / N", "Fever Y/N:": the list offered, nothing chosen
    unknown = _UNKNOWN.match(plain)
    if unknown:  # "Fever: N/A - 38.9 on arrival": the words after it say more (review 10b)
        return None if _MORE_SAID.match(plain, unknown.end()) else "unknown"
    if _SCORE.match(plain):
        return "no" if _zero(plain) else None
    word = plain.lower()
    if (offered or emphasised) and word in _YES:
        return "yes"
    if (offered or emphasised) and word in _NO:
        return "no"
    return None


def _zero(answer: str) -> bool:
    """The whole answer is a score of zero out of ten."""
    score = _SCORE.match(answer.strip().rstrip(".").strip())
    return score is not None and float(score["score"]) == 0


def _boxes(answer: str) -> str | None:
    """A row of boxes with their labels: the one ticked decides; none or both ticked is
    unanswered. None: no row of labelled boxes."""
    pattern = _BOX_FIRST if re.match(_BOX, answer) else _LABEL_FIRST
    marks = [(m["label"].lower(), ticked(m["box"])) for m in pattern.finditer(answer)]
    if len(marks) < 2:
        return None
    chosen = {"yes" if label.startswith("y") else "no" for label, marked in marks if marked}
    return chosen.pop() if len(chosen) == 1 else "unknown"
