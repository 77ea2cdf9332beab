"""What the app factory builds once: the FHIR fallback's share of the request budget."""

from __future__ import annotations

import pytest

from cds_service.runtime import fhir_time_budget
from cds_service.settings import Settings


@pytest.mark.parametrize(
    ("request_budget", "fhir_budget", "expected"),
    [(2.0, 8.0, 1.75), (2.0, 1.0, 1.0), (0.3, 8.0, 0.15), (20.0, 8.0, 8.0)],
)
def test_fhir_budget_is_the_request_budget_less_a_margin(
    request_budget: float, fhir_budget: float, expected: float
) -> None:
    settings = Settings(request_budget_s=request_budget, fhir_time_budget_s=fhir_budget)

    assert fhir_time_budget(settings) == pytest.approx(expected)
