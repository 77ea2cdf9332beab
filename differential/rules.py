"""Evaluate the `when` clauses of workup, avoid, caution and red-flag rules.

One small predicate per key of :class:`~differential.schema.When`, in a look-up table; a clause
holds when every key it sets holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from differential.model import Status
from differential.schema import When

__all__ = ["RuleContext", "holds"]


@dataclass(frozen=True)
class RuleContext:
    """What the rules may read: each condition's status and rank, and the recorded findings."""

    statuses: Mapping[str, Status]
    first: str  # the condition ranked first
    findings: Mapping[str, bool]

    def leading(self, condition: str) -> bool:
        """Ranked first, or likely."""
        return condition == self.first or self.statuses.get(condition) is Status.LIKELY

    def in_play(self, condition: str) -> bool:
        """Likely or possible: not yet argued away."""
        return self.statuses.get(condition, Status.UNLIKELY) is not Status.UNLIKELY


Predicate = Callable[[When, RuleContext], bool]

_PREDICATES: dict[str, Predicate] = {
    "always": lambda when, _: bool(when.always),
    "leading": lambda when, ctx: ctx.leading(when.leading or ""),
    "not_unlikely_all": lambda when, ctx: all(
        ctx.in_play(code) for code in when.not_unlikely_all or ()
    ),
    "not_unlikely_any": lambda when, ctx: any(
        ctx.in_play(code) for code in when.not_unlikely_any or ()
    ),
    "not_unlikely_at_least": lambda when, ctx: (
        when.not_unlikely_at_least is not None
        and sum(ctx.in_play(code) for code in when.not_unlikely_at_least.of)
        >= when.not_unlikely_at_least.n
    ),
    "present": lambda when, ctx: ctx.findings.get(when.present or "") is True,
}


def holds(when: When, context: RuleContext) -> bool:
    """True when every key set in ``when`` holds in ``context``."""
    return all(_PREDICATES[key](when, context) for key in when.model_fields_set)
