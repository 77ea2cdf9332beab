"""Evaluate the `when` clauses of the knowledge base's rules.

One small predicate per key of :class:`~differential.schema.When`, in a look-up table; a clause
holds when every key it sets holds (`any` and `unless` nest clauses).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial

from differential.model import Status
from differential.schema import When

__all__ = ["RuleContext", "holds"]


@dataclass(frozen=True)
class RuleContext:
    """What the rules may read: each condition's status and rank, the recorded findings,
    the patient's age, the tests already done, what imaging has ruled out, the red flags."""

    statuses: Mapping[str, Status]
    first: str  # the condition ranked first
    findings: Mapping[str, bool]
    age_years: int | None = None
    done: frozenset[str] = frozenset()  # tests with a recorded result
    ruled_out: frozenset[str] = frozenset()  # conditions a decisive imaging result excludes
    confirmed: frozenset[str] = frozenset()  # conditions a decisive imaging result confirms
    flags: frozenset[str] = frozenset()  # red flags raised
    supported: frozenset[str] = frozenset()  # conditions with a supporting finding recorded
    diagnosed: frozenset[str] = frozenset()  # recorded diagnoses and orders' indications

    def leading(self, condition: str) -> bool:
        """Ranked first, or likely."""
        return condition == self.first or self.statuses.get(condition) is Status.LIKELY

    def in_play(self, condition: str) -> bool:
        """Likely or possible: not yet argued away."""
        return self.statuses.get(condition, Status.UNLIKELY) is not Status.UNLIKELY

    @cached_property
    def ranked_in_play(self) -> tuple[str, ...]:
        """The conditions in play, most likely first (``statuses`` is in rank order)."""
        return tuple(code for code in self.statuses if self.in_play(code))

    def present(self, finding: str) -> bool:
        """Recorded present (absent and unknown are not)."""
        return self.findings.get(finding) is True


Predicate = Callable[[When, RuleContext], bool]

_PREDICATES: dict[str, Predicate] = {
    "always": lambda when, _: bool(when.always),
    "leading": lambda when, ctx: ctx.leading(when.leading or ""),
    "likely": lambda when, ctx: ctx.statuses.get(when.likely or "") is Status.LIKELY,
    "first": lambda when, ctx: ctx.first == when.first,
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
    "among_first": lambda when, ctx: (
        when.among_first is not None
        and sum(
            ctx.in_play(code)
            for code in tuple(ctx.statuses)[: when.among_first.within]
            if code in when.among_first.of
        )
        >= when.among_first.n
    ),
    "supported": lambda when, ctx: when.supported in ctx.supported,
    "diagnosed": lambda when, ctx: when.diagnosed in ctx.diagnosed,
    "present": lambda when, ctx: ctx.present(when.present or ""),
    # Unknown is not absent: only a recorded absence counts as absent.
    "absent": lambda when, ctx: ctx.findings.get(when.absent or "") is False,
    "unknown": lambda when, ctx: (when.unknown or "") not in ctx.findings,
    "any_present": lambda when, ctx: any(ctx.present(code) for code in when.any_present or ()),
    "not_done": lambda when, ctx: when.not_done not in ctx.done,
    "done": lambda when, ctx: when.done in ctx.done,
    "flagged": lambda when, ctx: when.flagged in ctx.flags,
    "ruled_out": lambda when, ctx: when.ruled_out in ctx.ruled_out,
    # Unknown age satisfies neither bound: an age rule never fires on a guess.
    "age_under": lambda when, ctx: (
        ctx.age_years is not None and when.age_under is not None and ctx.age_years < when.age_under
    ),
    "age_over": lambda when, ctx: (
        ctx.age_years is not None and when.age_over is not None and ctx.age_years > when.age_over
    ),
    "any": lambda when, ctx: any(holds(clause, ctx) for clause in when.any or ()),
    "unless": lambda when, ctx: when.unless is None or not holds(when.unless, ctx),
}


Check = Callable[[RuleContext], bool]


def holds(when: When, context: RuleContext) -> bool:
    """True when every key set in ``when`` holds in ``context``."""
    return _check(when)(context)


# id(clause) -> (clause, its check). Keyed by identity: hashing a clause would walk all its
# fields on every look-up. The clause is kept with its check, so its id cannot be reused
# by another while cached; the knowledge base's clauses are few and live as long as it.
_CHECKS: dict[int, tuple[When, Check]] = {}


def _check(when: When) -> Check:
    """The clause as one function of the context, built on first use."""
    known = _CHECKS.get(id(when))
    if known is None or known[0] is not when:
        known = (when, _compile(when))
        _CHECKS[id(when)] = known
    return known[1]


def _compile(when: When) -> Check:
    # Sorted: the same order of evaluation in every process (the predicates are pure).
    predicates = tuple(partial(_PREDICATES[key], when) for key in sorted(when.model_fields_set))
    if len(predicates) == 1:
        return predicates[0]
    return lambda context: all(predicate(context) for predicate in predicates)
