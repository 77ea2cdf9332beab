"""How numbers read on the pages for clinicians: chances as percentages, ratios as multipliers."""

from __future__ import annotations

from flask import Blueprint

from cards import band

__all__ = ["format_band", "format_chance", "format_ratio", "register_page_filters"]


def format_chance(value: float) -> str:
    """A probability as a percentage a clinician reads at a glance: "35%", "<1%"."""
    if 0.0 < value < 0.01:
        return "<1%"
    return f"{value:.0%}"


def format_band(value: float) -> str:
    """A patient's probability as the band the cards show ("25-50%"): most numbers behind it
    are estimates, so a precise figure would claim more than is known."""
    return band(value)


def format_ratio(value: float) -> str:
    """A likelihood ratio with two significant figures: "32", "6.9", "0.25", "0.025"."""
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.2g}" if value < 1 else f"{value:.1f}"


def register_page_filters(blueprint: Blueprint) -> None:
    """Make ``chance`` and ``ratio`` available to every template once ``blueprint`` is in."""
    blueprint.add_app_template_filter(format_chance, "chance")
    blueprint.add_app_template_filter(format_band, "band")
    blueprint.add_app_template_filter(format_ratio, "ratio")
