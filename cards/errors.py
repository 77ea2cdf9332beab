"""The one exception family of ``cards``; ``cds_service`` decides what HTTP code it becomes."""

from __future__ import annotations

__all__ = ["CardsError", "InvalidOrderError", "UnknownTestError"]


class CardsError(Exception):
    """Base of every error raised while rendering cards or FHIR resources for them."""


class UnknownTestError(CardsError):
    """A test code that the cards package cannot turn into an order."""

    def __init__(self, test: str) -> None:
        super().__init__(f"no orderable codes for test {test!r}")
        self.test = test


class InvalidOrderError(CardsError):
    """A draft order that is not a valid R4 ServiceRequest, or references that disagree."""
