"""Shared vignettes whose issue is not done yet: expected failures, each naming its issue.

A vignette listed here runs as ``xfail(strict=True)``: it must fail while its issue is open,
and the suite goes red the moment it passes, so the entry is removed when the issue lands.
Keyed by the layer that runs it (``api``, ``differential``, ``fhir_mappings``), since a
vignette can already hold at one layer and not yet at another.
"""

from __future__ import annotations

from typing import Any

import pytest

__all__ = ["OPEN_VIGNETTES", "vignette_param"]

OPEN_VIGNETTES: dict[str, dict[str, int]] = {
    "api": {},
    "differential": {},
    "fhir_mappings": {},
}


def vignette_param(value: Any, stem: str, layer: str) -> Any:
    """The vignette as a ``pytest.param``: an expected failure while its issue is open."""
    issue = OPEN_VIGNETTES[layer].get(stem)
    marks = [pytest.mark.xfail(strict=True, reason=f"issue {issue} not done")] if issue else []
    return pytest.param(value, id=stem, marks=marks)
