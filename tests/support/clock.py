"""The one clock of the tests: the app factory takes any zero-argument callable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

__all__ = ["FIXED_NOW", "FakeClock"]

# The instant the vignettes and the hook builders are written for.
FIXED_NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    """A clock the test sets or moves by hand."""

    now: datetime = field(default_factory=lambda: datetime(2025, 11, 25, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
