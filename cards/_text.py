"""Text that is safe to put into a card: Markdown-escaped detail, plain one-line summaries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["escape_markdown", "fit", "humanise", "inline", "join_names", "plain"]

# Characters that start Markdown inline syntax (emphasis, links, images, code, tables,
# strike-through) or a block when they open a line. HTML's < > & become entities instead,
# so no raw tag ever passes through, whatever renders the card.
_MARKDOWN_PUNCTUATION = "\\`*_{}[]()#+-!|~"
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# One pass over the text (str.translate) instead of a generator and a regex per call.
_ESCAPES = str.maketrans(_HTML_ENTITIES | {char: "\\" + char for char in _MARKDOWN_PUNCTUATION})


def plain(text: str) -> str:
    """One line of plain text: whitespace collapsed, angle brackets made harmless."""
    line = " ".join(text.split())  # split(): the whitespace of \s, without a regex
    # Look-alike angle quotes keep the text readable where nothing renders it as HTML.
    return line.replace("<", "\u2039").replace(">", "\u203a")


@lru_cache(maxsize=4096)  # the same knowledge-base names and citations, call after call
def escape_markdown(text: str) -> str:
    """Escape untrusted text for inline use in GitHub-flavoured Markdown (and HTML)."""
    line = " ".join(text.split()).translate(_ESCAPES)  # split(): the whitespace of \s
    if line[:1].isdigit():  # cheap guard: isdigit() accepts all that \d does
        line = _ORDERED_LIST_START.sub(r"\1\\\2", line)
    return line


def fit(*options: str, limit: int) -> str:
    """The first of ``options`` (longest, most complete first) that fits ``limit`` as one
    plain line. A summary is never cut off with an ellipsis: when even the last option is too
    long, it ends at its last clause (";", ":" or a dash) that fits, else at a word."""
    for option in options:  # most summaries fit at the first: the rest are never cleaned
        line = plain(option)
        if len(line) <= limit:
            return line
    last = line[:limit]
    for mark in ("; ", ": ", " — ", ", "):
        cut = last.rfind(mark)
        if cut > limit // 3:
            return last[:cut].rstrip(" ,;:-—")
    return last.rsplit(" ", 1)[0].rstrip(" ,;:-—")


def join_names(names: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def inline(name: str) -> str:
    """A capitalised name as it reads mid-sentence ('Ischial bursitis' -> 'ischial bursitis').

    Acronyms ('MRI lumbar spine') keep their capitals.
    """
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def humanise(code: str) -> str:
    """A code in words, for when no label is at hand ('mri-bone-stress-injury')."""
    words = code.split("-")
    return " ".join(_ACRONYMS.get(word, word) for word in words)


_ACRONYMS = {"mri": "MRI"}
