"""How numbers read on the pages: a small chance is never shown as 0%, ratios in two figures."""

from __future__ import annotations

import pytest

from cds_service.pages.format import format_chance, format_ratio


@pytest.mark.parametrize(
    ("chance", "shown"), [(0.0, "0%"), (0.004, "<1%"), (0.35, "35%"), (1.0, "100%")]
)
def test_a_chance_reads_as_a_percentage_and_a_small_one_is_not_zero(
    chance: float, shown: str
) -> None:
    assert format_chance(chance) == shown


@pytest.mark.parametrize(
    ("ratio", "shown"), [(32.4, "32"), (6.94, "6.9"), (0.254, "0.25"), (0.0251, "0.025")]
)
def test_a_likelihood_ratio_reads_in_two_significant_figures(ratio: float, shown: str) -> None:
    assert format_ratio(ratio) == shown
