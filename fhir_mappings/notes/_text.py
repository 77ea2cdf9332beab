"""A note's attachment to plain text: text/plain, text/markdown, text/html (reduced safely).

RTF, PDF and anything else is unreadable and said so; the reason never quotes the note.
HTML is reduced with the standard library's tokenising parser (no regular expressions over
markup, no entity tricks): only text nodes are kept, script and style dropped, block elements
become line breaks so that headings and list items stay separate sentences.
"""

from __future__ import annotations

import base64
import binascii
import codecs
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "MAX_NOTE_BYTES",
    "READABLE",
    "Decoded",
    "attachment_text",
    "decode_text",
    "inline_data",
    "media_type",
]

MAX_NOTE_BYTES = 200_000  # contract section 3a: each note at most 200 kB
READABLE = ("text/plain", "text/markdown", "text/html")
_BLOCKS = frozenset(
    {
        "p",
        "br",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "blockquote",
        "hr",
    }
)
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})


@dataclass(frozen=True)
class Decoded:
    """The note's text, or why it could not be read (a reason without patient data)."""

    text: str | None
    problem: str | None = None


def media_type(content_type: object) -> str:
    """``text/plain; charset=utf-8`` → ``text/plain``; missing → ``""``."""
    if not isinstance(content_type, str):
        return ""
    return content_type.split(";", 1)[0].strip().lower()


def attachment_text(content_type: object, data: bytes) -> Decoded:
    """The text of an attachment's bytes, by its content type."""
    kind = media_type(content_type)
    if kind not in READABLE:
        return Decoded(None, f"attachment {kind or 'without a content type'} is not readable")
    if len(data) > MAX_NOTE_BYTES:
        return Decoded(None, f"note larger than {MAX_NOTE_BYTES // 1000} kB")
    text = decode_text(data, _charset(content_type))
    if kind == "text/html":
        return Decoded(html_text(text))
    if kind == "text/markdown":
        return Decoded(_markdown_text(text))
    return Decoded(text)


def inline_data(value: object) -> bytes | None:
    """An attachment's base64 ``data``, decoded; None when it is not valid base64. FHIR's
    base64Binary allows whitespace, and EHRs wrap it at 76 characters (MIME): it is dropped."""
    limit = MAX_NOTE_BYTES * 4 // 3 + 4
    # Wrapping adds 2 characters per 76; anything longer is refused before it is copied.
    if not isinstance(value, str) or len(value) > 2 * limit:
        return None
    data = "".join(value.split())
    if len(data) > limit:
        return None
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return None


def decode_text(data: bytes, charset: str | None = None) -> str:
    """A note's bytes as text, in ``charset`` when the EHR declares one. Undeclared, UTF-8
    (a byte-order mark dropped) when the bytes are valid UTF-8, else Windows-1252: a note
    written in Word or an older EHR carries cp1252 smart quotes and accents, which UTF-8
    would turn into replacement characters. Bytes no charset defines become U+FFFD."""
    if charset is not None:
        return data.decode(charset, errors="replace")
    # UTF-16 announces itself with its byte-order mark (a Windows export, "Unicode" in
    # Notepad); read as cp1252 it had a NUL between every letter and said nothing (10c).
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if (wide := _utf16_without_mark(data)) is not None:
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 sent without its mark: English text then has a NUL in every other byte (odd
    bytes little-endian, even big-endian); no note in a single-byte charset has NULs."""
    sample = data[:400]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    odd = sample[1::2].count(0)
    return "utf-16-le" if odd >= sample[0::2].count(0) else "utf-16-be"


def _charset(content_type: object) -> str | None:
    for part in str(content_type).split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() in {
            "utf-8",
            "utf8",
            "us-ascii",
            "iso-8859-1",
            "latin-1",
            "windows-1252",
            "utf-16",
            "utf-16le",
            "utf-16be",
        }:
            return value.strip().strip('"').lower()
    return None


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment or document, block elements as line breaks."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _markdown_text(text: str) -> str:
    """Markdown read as text: heading marks, emphasis and list bullets carry no meaning here."""
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        stripped = stripped.lstrip("#").lstrip() if stripped.startswith("#") else stripped
        if stripped[:2] in {"- ", "* ", "+ "}:
            stripped = stripped[2:]
        lines.append(stripped.replace("**", "").replace("__", ""))
    return "\n".join(lines)
