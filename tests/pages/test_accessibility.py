"""Colour contrast of the stylesheet's text / background pairs (WCAG AA: at least 4.5:1)."""

from __future__ import annotations

import re

import pytest

from tests.support.paths import ROOT

CSS = ROOT / "cds_service" / "pages" / "static" / "pages.css"

# (text, background) variable pairs the stylesheet draws text with.
PAIRS = [
    ("text", "bg"),
    ("text", "panel"),
    ("muted", "bg"),
    ("muted", "panel"),
    ("link", "bg"),
    ("link", "panel"),
    ("header-text", "header-bg"),
    ("likely", "bg"),
    ("critical", "bg"),
    ("text", "alert-bg"),
    *(("on-status", status) for status in ("likely", "possible", "unlikely")),
    *(("on-status", indicator) for indicator in ("info", "warning", "critical")),
    ("header-text", "link"),
]


def _variables() -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6});", CSS.read_text()))


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_contrast_is_at_least_4_5(text: str, background: str) -> None:
    colours = _variables()

    assert contrast(colours[text], colours[background]) >= 4.5


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
