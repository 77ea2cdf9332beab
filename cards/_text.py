"""Text that is safe to put into a card: Markdown-escaped detail, plain one-line summaries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["escape_markdown", "fit", "humanise", "inline", "join_names", "plain"]

# Plain-text EHR viewers show card detail as it is, so escapes are kept to the characters
# that really start Markdown or HTML: a backslash before an ordinary hyphen or parenthesis
# ("X\-ray", "\(FAIR") or an entity for every ampersand would show raw there. Emphasis,
# code, links, strike-through, tables and raw HTML need one of these, escaped anywhere:
_ALWAYS = re.compile(r"[\\`*_\[\]~|]")
# An ampersand only when it would start an entity ("&lt;", "&#60;"); a bare one reads as "&".
_ENTITY_START = re.compile(r"&(?=#|[A-Za-z][A-Za-z0-9]*;)")
# Block syntax only at the start of the line: list, heading, rule, ordered list.
_BLOCK_START = re.compile(r"^([-+#=]|\d+[.)])")


def plain(text: str) -> str:
    """One line of plain text: whitespace collapsed, angle brackets made harmless."""
    line = " ".join(text.split())  # split(): the whitespace of \s, without a regex
    # Look-alike angle quotes keep the text readable where nothing renders it as HTML.
    return line.replace("<", "\u2039").replace(">", "\u203a")


@lru_cache(maxsize=4096)  # the same knowledge-base names and citations, call after call
def escape_markdown(text: str) -> str:
    """Escape untrusted text for inline use in GitHub-flavoured Markdown (and HTML), with as
    few backslashes as possible, so that a viewer that shows the Markdown as plain text shows
    ordinary clinical text unchanged."""
    # Angle brackets become look-alike quotes: no tag can open, and plain text reads the same.
    line = plain(text)
    line = _ALWAYS.sub(lambda m: "\\" + m.group(), line)
    line = _ENTITY_START.sub("\\&", line)
    return _BLOCK_START.sub(lambda m: _escape_block(m.group()), line)


def _escape_block(start: str) -> str:
    # "1." -> "1\.", "-" -> "\-": the mark stays visible, the block does not start.
    return start[:-1] + "\\" + start[-1]


def fit(*options: str, limit: int) -> str:
    """The first of ``options`` (longest, most complete first) that fits ``limit`` as one
    plain line. A summary is never cut off with an ellipsis: when even the last option is too
    long, it ends at its last clause (";", ":" or a dash) that fits, else at a word."""
    for option in options:  # most summaries fit at the first: the rest are never cleaned
        line = plain(option)
        if len(line) <= limit:
            return line
    last = line[:limit]
    # The latest clause end that fits, of any kind: the first kind found could cut a reason
    # off at its own colon ("... not advised now: It neither confirms ...").
    cut = max(last.rfind(mark) for mark in ("; ", ": ", " — ", ", "))
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
