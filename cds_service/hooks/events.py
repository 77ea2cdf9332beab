"""What happened in a hook call, for whoever listens (feedback store, metrics).

The hook route tells every listener after each answer, so later features plug in by
appending to :attr:`cds_service.runtime.ServiceRuntime.hook_listeners` instead of
editing routes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cards import Card
from differential.model import Differential

__all__ = ["HookCallEvent", "HookListener", "notify_listeners"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HookCallEvent:
    """One hook call, answered or refused, as its listeners are told of it.

    Fields unknown at the time of an error are None or empty.
    """

    service_id: str
    hook: str
    hook_instance: str | None
    patient_id: str | None  # for hashing by the store; listeners must never log it
    cards: tuple[Card, ...]  # the cards answered, typed
    differential: Differential | None
    status: int  # the HTTP status answered
    latency_s: float
    other_patients: int = 0  # resources left out: not about the call's patient
    issuer: str | None = None  # the authenticated caller's; only it may give feedback


HookListener = Callable[[HookCallEvent], None]


def notify_listeners(listeners: Iterable[HookListener], event: HookCallEvent) -> None:
    """Tell each listener; one that fails is logged and does not affect the answer."""
    for listener in listeners:
        try:
            listener(event)
        except Exception:  # noqa: BLE001 - a broken listener must not fail the clinician's call
            _log.exception("hook listener %s failed", getattr(listener, "__name__", listener))
