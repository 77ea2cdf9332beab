"""Untrusted text cannot inject markup into card detail or summaries."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from cards._text import escape_markdown, fit, plain

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](https://evil.example/pixel.png)",
    "**bold** _it_ `code` ~~gone~~ | table |",
    "ok\n\n# heading\n<script>alert(2)</script>",
    "1. not a list",
    "&lt;script&gt;",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_renders_as_the_same_text_even_with_raw_html_on(text: str) -> None:
    # commonmark preset has raw HTML enabled: the escaping alone must be enough.
    html = MarkdownIt("commonmark").enable("strikethrough").enable("table")
    rendered = html.render(f"- {escape_markdown(text)}")
    assert "<script" not in rendered
    assert "<img" not in rendered
    assert "href" not in rendered
    assert "<strong>" not in rendered
    assert "<h1>" not in rendered
    assert "<ol>" not in rendered


def test_escaped_text_reads_back_as_the_original_words() -> None:
    rendered = MarkdownIt("commonmark").renderInline(escape_markdown("a <b> & [c](d)"))
    assert rendered == "a \u2039b\u203a &amp; [c](d)"


@pytest.mark.parametrize(
    "text", ["X-ray of hip or pelvis", "Piriformis tests (FAIR, seated stretch)", "CRP & ESR"]
)
def test_ordinary_clinical_text_needs_no_escape_a_plain_text_viewer_would_show(
    text: str,
) -> None:
    # Plain-text EHR viewers show the Markdown source: "X\\-ray" or "&amp;" would show raw.
    assert escape_markdown(text) == text


def test_plain_text_has_no_angle_brackets_or_newlines() -> None:
    assert plain("  pain <b>\n here ") == "pain \u2039b\u203a here"


def test_fit_takes_the_first_option_that_fits_and_never_adds_an_ellipsis() -> None:
    assert fit("a long first option " * 10, "short", limit=139) == "short"
    assert fit("short", limit=139) == "short"
    first = "Stop running and offload now, and arrange the study within days"
    assert fit(f"{first}; " + "then that " * 20, limit=139) == first
    # The latest clause end that fits, whatever its kind: not the reason's own colon.
    long = "MRI not advised now: it neither confirms nor stages it, the leading one, " * 3
    assert fit(long, limit=139).startswith("MRI not advised now: it neither confirms")
    assert len(fit(long, limit=139)) > len("MRI not advised now: it neither confirms")
    cut = fit("word " * 40, limit=139)
    assert len(cut) <= 139
    assert cut.endswith("word")
    assert "…" not in cut
