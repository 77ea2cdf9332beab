"""What one counted fact says about one condition: the type ``readings`` builds.

It sits below both ``posterior`` (whose table keeps the readings, so they live exactly as
long as it does) and ``readings`` (which works them out), so neither imports the other back.
"""

from __future__ import annotations

from dataclasses import dataclass

from differential.model import Evidence

__all__ = ["Reading"]


@dataclass(frozen=True, slots=True)
class Reading:
    """One fact read for one condition."""

    evidence: Evidence  # as it is shown; whether it settles the condition is decided per call
    strength: tuple[float, str]  # sort key: strongest first, the finding code breaks ties
    supports: bool  # a reason for the condition
    opposes: bool  # a reason against it
    # What it adds to the condition's independent support: the group of findings measuring
    # one construct (counted once), else the finding itself; None when it adds nothing.
    piece: str | None
