"""Caller text made safe for the report: no control characters, one line, visible escapes.

Override displays and comments are typed by whoever calls the feedback endpoint. A newline
would forge a row of the table, an ANSI escape would reach the terminal, a bidirectional
override would reorder what is read. Whitespace becomes a space; every other control or
format character is shown as its escape (``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import unicodedata

__all__ = ["safe_cell"]


def _escaped(char: str) -> str:
    if char.isspace():
        return " "
    if unicodedata.category(char)[0] == "C":  # Cc control, Cf format, Cs, Co, Cn
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


def safe_cell(text: str) -> str:
    """``text`` on one line without control characters, runs of spaces collapsed."""
    return " ".join("".join(_escaped(char) for char in text).split())
