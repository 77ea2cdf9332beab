"""Where a note's sentences start: spaCy's rule-based sentencizer, and what it misses.

A negation or a doubt reaches to its sentence's end, so a sentence too long lets a denial
deny the next finding, and one too short lets a finding escape its denial: the line breaks
of templates, wrapped lines and denied lists decide most of the safety of the reading.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["SENTENCE_ENDS", "register_sentence_starts", "unwrapped"]

SENTENCE_ENDS = [".", "!", "\n", "\n\n", ";"]  # not "?": it marks doubt, not an end
# A side or a template's answer ending a sentence ("GT L.", "Fever: N."), kept whole by the
# tokenizer as an initial
_SIDES = frozenset({"L.", "R.", "N.", "Y."})


def register_sentence_starts() -> str:
    """A component that starts the sentences spaCy's sentencizer misses, so that a negation
    or a doubt does not reach into the next one:

    - a "?" leading a sentence ("SLR +ve. ? radiation"): the sentencizer hangs it on the
      sentence before, doubting the wrong finding;
    - a capitalised word after a side ending a sentence ("no TTP over GT L. Worse lying on
      that side"): the tokenizer keeps "L." whole, as an initial, so no full stop is seen;
    - every line break, indented or not, unless the line was wrapped mid-sentence or is an
      item of a list its heading denies ("Negative for:\n  fever\n  saddle anaesthesia").
    """
    from spacy.language import Language  # noqa: PLC0415

    name = "gluteal_sentence_starts"
    if not Language.has_factory(name):

        @Language.component(name)
        def sentence_starts(doc: Any) -> Any:
            texts = [token.text for token in doc]  # one pass: indexing a Doc costs
            listed = _denied_list_lines(doc.text) if "\n" in doc.text else frozenset()
            for i in range(1, len(texts)):
                if listed and doc[i].idx in listed:
                    doc[i].is_sent_start = False  # an item of a denied list, bullet or word
                elif "\n" in texts[i - 1] and not texts[i - 1].strip():
                    # A line break: a new sentence, indented or not ("ROS:\n  Fever: N"),
                    # unless the line was wrapped mid-sentence ("No urinary\nretention") or
                    # is an item of a list a heading denies ("Negative for:\n  fever").
                    joined = _wrapped(doc, i, texts) or doc[i].idx in listed
                    doc[i].is_sent_start = not joined
                elif texts[i] == "?" and texts[i - 1] in SENTENCE_ENDS:
                    doc[i].is_sent_start = True
                    if i + 1 < len(texts):
                        doc[i + 1].is_sent_start = False
                elif texts[i - 1] in _SIDES and texts[i][:1].isupper():
                    doc[i].is_sent_start = True
            return doc

    return name


_WRAP_WIDTH = 60  # a line this long that stops mid-sentence was wrapped by the editor
# Words a sentence does not end on: a line stopping on one was wrapped, however short.
_UNFINISHED = frozenset(
    {
        "no",
        "not",
        "nor",
        "and",
        "or",
        "of",
        "the",
        "a",
        "with",
        "without",
        "to",
        "in",
        "on",
        "urinary",
        "faecal",
        "fecal",
        "bowel",
        "bladder",
        "saddle",
        "perianal",
        "leg",
        "new",
    }
)
# A heading that denies the list under it ("Negative for:", "Denies:", "ROS neg:").
_DENYING_HEADING = re.compile(
    r"(?im)^[^\n:]*\b(denies|denied|negative(?: for)?|neg(?: for)?|nil|none of)\s*:\s*$"
)


def _wrapped(doc: Any, i: int, texts: list[str]) -> bool:
    """Whether the single line break before token ``i`` wraps a sentence: the next line
    starts in lower case and the line before stops without a sentence end or a colon, being
    long or ending on a word no sentence ends on ("no saddle anaesthesia, no urinary\n
    retention"). Other short lines are list items ("no fever\nincontinence x2 today")."""
    if texts[i - 1].count("\n") != 1:
        return False
    text, brk = doc.text, doc[i - 1].idx
    if not _WRAPPED_START.match(text, doc[i].idx):
        return False
    line = text[text.rfind("\n", 0, brk) + 1 : brk].rstrip()
    if line[-1:] in ".:;!?" or not line:
        return False
    return len(line) >= _WRAP_WIDTH or line.rsplit(None, 1)[-1].lower() in _UNFINISHED


# A line an editor may have wrapped onto starts in lower case, with the length of something
# ("... since a 50-mile race\n9 days ago", "Pain ongoing\n~2 months") or with a date in
# brackets (session 10); a list's number does not.
_WRAPPED_START = re.compile(
    r"[a-z]|~?\d{1,3}[ -]?(?:days?|weeks?|wks?|months?|mths?|years?|yrs?)\b(?!:)"
    r"|\(\d{1,2}/\d"  # a date in brackets: "MRI\n(10/05/2026) shows ..."
)
# A single line break before such a start: where an editor may have wrapped a line.
_BREAK = re.compile(r"(?<!\n)\n(?=" + _WRAPPED_START.pattern + ")")


def unwrapped(text: str) -> str:
    """The text with each line break that wraps a sentence (as :func:`_wrapped` decides)
    made a space, every offset kept: a phrase wrapped over two lines ("worsening L buttock
    and low\nback pain") is found whole, as the sentence already was (notes-recall)."""
    if "\n" not in text:
        return text
    chars = None
    for brk in _BREAK.finditer(text):
        at = brk.start()
        line = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
        if not line or line[-1] in ".:;!?":
            continue
        if len(line) >= _WRAP_WIDTH or line.rsplit(None, 1)[-1].lower() in _UNFINISHED:
            chars = chars if chars is not None else list(text)
            chars[at] = " "
    return text if chars is None else "".join(chars)


_FIRST_WORD = re.compile(r"\w")
# An item of a list: a bullet, an indent, or a line in lower case that ends no sentence. A
# sentence of its own after the list ("Saddle numbness since this morning.") is none.
_LIST_ITEM = re.compile(r"\s*[-*\u2022\u00b7\u2013]|\s+\S|[a-z][^.]*$")


def _denied_list_lines(text: str) -> frozenset[int]:
    """Where the lines of a list a heading denies begin: under "Negative for:" or "Denies:"
    each item line (a bullet, an indent, a line in lower case) is an item it denies, to a
    blank line, a line of a field ("Plan: ...") or a sentence of its own."""
    starts: set[int] = set()
    for heading in _DENYING_HEADING.finditer(text):
        at = heading.end() + 1
        while at < len(text):
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            line = text[at:end]
            if not line.strip() or ":" in line or not _LIST_ITEM.match(line):
                break
            # the line's first mark (a bullet) and its first word: spaCy starts the sentence
            # at the word when a bullet follows the break
            starts.add(at + len(line) - len(line.lstrip()))
            word = _FIRST_WORD.search(line)
            if word is not None:
                starts.add(at + word.start())
            at = end + 1
    return frozenset(starts)
