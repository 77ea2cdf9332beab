"""Attachments to text: plain, markdown, HTML reduced safely; RTF and PDF unreadable."""

from __future__ import annotations

import base64

from fhir_mappings.notes._text import (
    MAX_NOTE_BYTES,
    attachment_text,
    decode_text,
    html_text,
    inline_data,
)


def test_plain_text_is_read_in_its_charset() -> None:
    decoded = attachment_text(
        "text/plain; charset=iso-8859-1", "Douleur fessière".encode("latin-1")
    )

    assert decoded.text == "Douleur fessière"


def test_undeclared_text_is_utf8_else_windows_1252() -> None:
    # A note from Word: "pt\u2019s" with the cp1252 smart quote (0x92), no charset declared.
    word = "L buttock pain, pt\u2019s hop test painful.".encode("cp1252")
    assert attachment_text("text/plain", word).text == "L buttock pain, pt\u2019s hop test painful."
    assert decode_text("Douleur fessière".encode()) == "Douleur fessière"  # UTF-8 stays
    assert decode_text("\ufeffButtock pain".encode()) == "Buttock pain"  # Notepad's BOM
    assert decode_text(b"pain \x81 here") == "pain \ufffd here"  # undefined in cp1252
    # A declared charset wins: the bytes are not second-guessed.
    assert decode_text("pt\u2019s".encode("cp1252"), "utf-8") == "pt\ufffds"


def test_utf16_is_read_declared_marked_or_not() -> None:
    # Review 10c: a "Unicode" export read as cp1252 had a NUL between every letter, and its
    # fever and saddle numbness said nothing, with no word that the note was unread.
    note = "Fever 39.1 today. Saddle numbness since Monday."
    assert attachment_text("text/plain", note.encode("utf-16")).text == note  # its mark
    assert attachment_text("text/plain; charset=UTF-16LE", note.encode("utf-16-le")).text == note
    assert attachment_text("text/plain", note.encode("utf-16-le")).text == note  # no mark
    assert attachment_text("text/plain", note.encode("utf-16-be")).text == note
    assert decode_text(note.encode()) == note  # UTF-8 has no NULs: never taken for UTF-16


def test_html_keeps_visible_text_only_and_blocks_become_lines() -> None:
    markup = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<h2>Exam</h2><p>SLR &gt; positive</p><script>alert('numbness')</script>"
        "<ul><li>No fever</li><li>No saddle numbness</li></ul></body></html>"
    )

    assert html_text(markup) == "Exam\nSLR > positive\nNo fever\nNo saddle numbness"


def test_markdown_headings_and_bullets_are_plain_lines() -> None:
    decoded = attachment_text("text/markdown", b"## Plan\n- **physio**\n* return if numbness")

    assert decoded.text == "Plan\nphysio\nreturn if numbness"


def test_rtf_and_pdf_are_unreadable_and_say_so_without_quoting() -> None:
    for kind in ("application/rtf", "application/pdf", None):
        decoded = attachment_text(kind, b"{\\rtf1 saddle numbness}")

        assert decoded.text is None
        assert decoded.problem is not None
        assert "numbness" not in decoded.problem


def test_a_note_over_200_kb_is_not_read() -> None:
    decoded = attachment_text("text/plain", b"a" * (MAX_NOTE_BYTES + 1))

    assert decoded.text is None
    assert "200 kB" in str(decoded.problem)


def test_inline_data_must_be_valid_base64() -> None:
    assert inline_data(base64.b64encode(b"ok").decode()) == b"ok"
    assert inline_data("not base64!") is None
    assert inline_data(12) is None
