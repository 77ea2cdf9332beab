"""What the store needs to know of a hook call to record the cards it showed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from cards import Card
from differential.model import Differential

__all__ = ["CardsShown"]


class CardsShown(Protocol):
    """The cards one hook call showed, and whom and what they were about: the part of the
    hook route's :class:`~cds_service.hooks.events.HookCallEvent` the store reads."""

    @property
    def service_id(self) -> str: ...
    @property
    def hook(self) -> str: ...
    @property
    def hook_instance(self) -> str | None: ...
    @property
    def patient_id(self) -> str | None: ...
    @property
    def cards(self) -> Sequence[Card | Mapping[str, Any]]: ...
    @property
    def differential(self) -> Differential | None: ...
    @property
    def issuer(self) -> str | None: ...
