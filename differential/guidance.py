"""Test guidance: what to examine or image next, what to avoid, what is worth recording.

Next tests are ranked by expected information gain per unit of cost over the current
posterior: the test whose result is expected to shrink the uncertainty among the candidates
still standing the most comes first. Workup rules of the knowledge base add the studies the
source names for a question (e.g. MRI for sciatica vs piriformis) or for staging the leading
condition; urgent ones go first. The plan (``differential.plan``) puts the studies a red flag
calls for before all of these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from differential.model import Status, TestAdvice
from differential.posterior import Distribution, Table, expected_information_gain
from differential.rules import RuleContext, holds
from differential.schema import AvoidRule, Indication, KnowledgeBase, TestDef, WorkupRule

__all__ = ["Situation", "avoid_tests", "informative_unknowns", "next_tests", "rule_advice"]

_SEPARATION = 0.2  # a condition counts as separated when its positive rate differs this much
_TYPICAL = 0.5  # a finding present in at least this share of a condition's patients is typical


def avoid_tests(kb: KnowledgeBase, context: RuleContext) -> tuple[TestAdvice, ...]:
    """Tests that will not help now, each once, in the order of the knowledge base."""
    return rule_advice(kb, kb.avoid, context)


def rule_advice(
    kb: KnowledgeBase,
    rules: Iterable[AvoidRule | Indication | WorkupRule],
    context: RuleContext,
) -> tuple[TestAdvice, ...]:
    """For each test, the first of ``rules`` that holds, as advice, in the rules' order."""
    advice: dict[str, TestAdvice] = {}
    for rule in rules:
        if rule.test in advice or not holds(rule.when, context):
            continue
        test = kb.test_by_code[rule.test]
        # In the order of the ranking: a card links to the first, so it is the one that leads.
        rank = {code: i for i, code in enumerate(context.statuses)}
        conditions = tuple(sorted(rule.when.condition_codes(), key=lambda c: (rank.get(c, 99), c)))
        reason = " ".join(rule.reason.split())
        advice[rule.test] = TestAdvice(
            test.code, test.name, reason, rule.cite[0], test.kind, conditions, rule=rule.id
        )
    return tuple(advice.values())


@dataclass(frozen=True)
class Situation:
    """Where the reasoning stands: the arrays, the posterior, the facts and the statuses."""

    table: Table
    shares: Distribution
    facts: Mapping[str, bool]
    context: RuleContext
    _gains: dict[tuple[str, ...], float] = field(default_factory=dict, compare=False)

    def gain(self, findings: tuple[str, ...]) -> float:
        """Expected information gain of learning ``findings``, computed once per evaluation."""
        if findings not in self._gains:
            self._gains[findings] = expected_information_gain(self.table, self.shares, findings)
        return self._gains[findings]


def next_tests(
    kb: KnowledgeBase,
    situation: Situation,
    avoided: tuple[TestAdvice, ...],
    exclude: Iterable[str] = (),
) -> tuple[TestAdvice, ...]:
    """Tests to do next, bedside before imaging (contract section 5, the plan); never one
    whose result is recorded and current, one to avoid, or one in ``exclude`` (already put
    first, e.g. by a red flag)."""
    context = situation.context
    skip = {a.code for a in avoided} | set(exclude) | _waiting(kb, context)
    open_tests = {
        t.code: t
        for t in kb.tests
        if t.reveals and t.suggest and t.code not in skip and t.code not in context.done
    }
    bits = {code: situation.gain(t.reveals) for code, t in open_tests.items()}
    workup = [
        r
        for r in kb.workup
        if r.test in open_tests and not r.ahead_of_flag and holds(r.when, context)
    ]
    rules = {code: next(r for r in workup if r.test == code) for code in {r.test for r in workup}}
    urgent, bedside, later, staging = _by_place(workup, open_tests, context)
    useful = _useful(kb, situation, open_tests, bits, skip={*urgent, *bedside, *later})
    room = max(kb.reasoning.max_next_tests - len(later), 1)
    separating = [c for c in useful if open_tests[c].kind == "exam"][:room]
    exams = [*separating, *later]
    # Imaging on information grounds only once no bedside test would still separate the
    # candidates; and no imaging at all but a red flag's while the article's examinations
    # of the buttock three are still to do. A screen waiting behind the leading candidates
    # does not hold back the study that stages the leading one.
    by_gain = [c for c in useful if open_tests[c].kind != "exam"] if not exams else []
    imaging = [] if bedside else [*staging, *(c for c in by_gain if c not in staging)]
    advice = [
        _advice(kb, situation, open_tests[code], bits[code], rules.get(code))
        for code in (*urgent, *_screens_placed([*bedside, *separating], later, workup), *imaging)
    ]
    return tuple(a for a in advice if a.rule or a.kind == "exam" or _supported(a, context))


def _by_place(
    workup: list[WorkupRule], open_tests: Mapping[str, TestDef], context: RuleContext
) -> tuple[list[str], list[str], list[str], list[str]]:
    """The tests the workup rules put forward, by where they go: urgent first, then bedside
    examinations, screens that wait behind the leading candidates, and staging imaging."""
    urgent = _unique(r.test for r in workup if r.urgent)
    later = _unique(r.test for r in workup if r.test not in urgent and _screen_waits(r, context))
    rest = [r for r in workup if r.test not in urgent and r.test not in later]
    # The examination for the best-placed candidate first (stable: the knowledge base's
    # order among equals), so the card leads with the test the picture most calls for.
    rank = {code: i for i, code in enumerate(context.statuses)}
    rest.sort(key=lambda r: min((rank.get(c, len(rank)) for c in r.about), default=-1))
    bedside = _unique(r.test for r in rest if open_tests[r.test].kind == "exam")
    staging = _unique(
        r.test for r in workup if r.test not in urgent and open_tests[r.test].kind != "exam"
    )
    return urgent, bedside, later, staging


def _screens_placed(ahead: list[str], later: list[str], workup: list[WorkupRule]) -> list[str]:
    """The examinations, the waiting screens after those for the leading candidates but
    never behind more of them than their `screen_waits_behind` allows: a cheap screen for a
    harmful condition stays among the tests the clinician reads first."""
    limits = [r.screen_waits_behind for r in workup if r.test in later]
    behind = min((n for n in limits if n is not None), default=len(ahead))
    return _unique([*ahead[:behind], *later, *ahead[behind:]])


def _screen_waits(rule: WorkupRule, context: RuleContext) -> bool:
    """A screen whose conditions all rank below its `screen_leads_within`: it follows the
    examinations that separate the leading candidates instead of going first."""
    if rule.screen_leads_within is None:
        return False
    leading = tuple(context.statuses)[: rule.screen_leads_within]
    return not any(code in leading for code in rule.about)


def _waiting(kb: KnowledgeBase, context: RuleContext) -> set[str]:
    """Studies a guideline's timing rule rates 1-3 now (the lumbar MRI under 6 weeks without
    a red flag): the plan does not list them, whatever the information arithmetic says."""
    return {r.test for r in kb.guideline_ratings if r.score < 4 and holds(r.when, context)}


def _useful(
    kb: KnowledgeBase,
    situation: Situation,
    open_tests: Mapping[str, TestDef],
    bits: Mapping[str, float],
    skip: set[str],
) -> list[str]:
    """Tests put forward on information grounds, most information per unit of cost first:
    only while at least two candidates are still standing (with one left, or imaging having
    confirmed it, the workup rules say what stages it)."""
    context = situation.context
    standing = sum(context.in_play(code) for code in situation.table.conditions)
    if standing < 2 or context.confirmed:
        return []
    gains = {code: bits[code] / open_tests[code].cost for code in bits}
    return [
        code
        for code in sorted(gains, key=lambda c: (-gains[c], c))
        if gains[code] >= kb.reasoning.min_information_gain and code not in skip
    ]


def _supported(advice: TestAdvice, context: RuleContext) -> bool:
    """Imaging put forward on information grounds must be about a candidate with a finding
    recorded in its favour: never for a condition nothing supports."""
    return any(code in context.supported for code in advice.conditions[:2])


def informative_unknowns(kb: KnowledgeBase, situation: Situation) -> tuple[str, ...]:
    """Unrecorded findings whose answer would most sharpen the differential."""
    gains = {
        f.code: situation.gain((f.code,))
        for f in kb.findings
        # History and examination only: imaging results come from the studies in next_tests.
        if f.code not in situation.context.findings and f.group in {"history", "examination"}
    }
    ranked = sorted((c for c in gains if gains[c] >= 0.01), key=lambda c: (-gains[c], c))
    return tuple(ranked[: kb.reasoning.max_unknowns])


def _unique(codes: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for code in codes:
        if code not in seen:
            seen.append(code)
    return seen


def _advice(
    kb: KnowledgeBase,
    situation: Situation,
    test: TestDef,
    gain: float,
    rule: WorkupRule | None,
) -> TestAdvice:
    table, context = situation.table, situation.context
    separated = _separated(kb, table, context, test)
    if rule is None:
        reason, named = _explain(kb, table, context, test)
        conditions = (*named, *(c for c in separated if c not in named))
        return TestAdvice(
            test.code, test.name, reason, test.cite[0], test.kind, conditions, round(gain, 4)
        )
    # The question the rule names comes first (e.g. stress fracture vs trochanteric bursitis),
    # in the order of the current ranking, then any other candidate the result separates.
    rank = {code: i for i, code in enumerate(context.statuses)}
    asked = sorted(rule.when.condition_codes(), key=lambda code: rank.get(code, len(rank)))
    named = (*rule.about, *(c for c in asked if c not in rule.about))
    # A screen looks for its own conditions; it does not separate them from a rival (the
    # hop test says nothing about a disc), so the card names only what it screens for.
    screen = rule.screen_leads_within is not None
    conditions = named if screen else (*named, *(c for c in separated if c not in named))
    return TestAdvice(
        test.code,
        test.name,
        rule.reason.strip(),
        rule.cite[0],
        test.kind,
        conditions,
        round(gain, 4),
        rule=rule.id,
        urgent=rule.urgent,
    )


def _separated(
    kb: KnowledgeBase, table: Table, context: RuleContext, test: TestDef
) -> tuple[str, ...]:
    """Candidates in play whose chance of a positive result stands apart from the others."""
    in_play = sorted(
        table.columns[code] for code in context.ranked_in_play if code in kb.condition_by_code
    )
    rates = table.most_often_present(test.reveals)
    if not in_play:
        return ()
    # A rate stands apart from another in play exactly when it stands apart from the lowest
    # or the highest of them (its distance to itself, 0, never counts).
    low = min(rates[i] for i in in_play)
    high = max(rates[i] for i in in_play)
    return tuple(
        kb.conditions[i].code
        for i in in_play
        if rates[i] - low >= _SEPARATION or high - rates[i] >= _SEPARATION
    )


def _explain(
    kb: KnowledgeBase, table: Table, context: RuleContext, test: TestDef
) -> tuple[str, tuple[str, ...]]:
    """A one-line reason (which candidates the result tells apart, how sharply) and those two:
    the candidate in play most often positive, against the highest-ranked rival in play
    whose rate stands apart from it (else the one least often positive)."""
    ranked = [code for code in context.statuses if code in kb.condition_by_code]
    in_play = [c for c in context.ranked_in_play if c in kb.condition_by_code]
    in_play = in_play or ranked or list(kb.condition_by_code)
    columns = [table.columns[code] for code in in_play]

    def rates(finding: str) -> list[float]:
        """The finding's chance in each candidate in play, in their order."""
        row = table.present[finding]
        return [row[i] for i in columns]

    # A study that reveals several findings is explained by the one that separates most
    # (the first of them on a tie).
    spreads = [max(chances) - min(chances) for chances in map(rates, test.reveals)]
    finding = test.reveals[spreads.index(max(spreads))]
    chances = rates(finding)
    # The first (highest-ranked) candidate at the highest rate, against the first that
    # stands apart from it, else the first at the lowest rate.
    top = max(chances)
    high = chances.index(top)
    apart = (j for j, chance in enumerate(chances) if j != high and top - chance >= _SEPARATION)
    low = next(apart, None)
    label = kb.finding_by_code[finding].label
    if low is None:
        # No candidate stands apart: "15 % vs 13 %" would be noise, not a reason. The card
        # names the candidate only when the finding is typical of it ("straight leg raise
        # for lumbar disc sciatica", never "for hip stress fracture").
        typical = (in_play[high],) if top >= _TYPICAL else ()
        return f"Would add to the picture: {label}.", typical
    high_name, low_name = (kb.condition_by_code[in_play[j]].name for j in (high, low))
    rate = f"{label} in about {chances[high]:.0%} vs {chances[low]:.0%}"
    both = all(context.statuses.get(in_play[j]) is Status.LIKELY for j in (high, low))
    # Two problems both likely are not told apart: the result says which findings are whose.
    reason = (
        f"Adds to {high_name.lower()} beside {low_name.lower()} (both likely): {rate}."
        if both
        else f"Tells {high_name.lower()} from {low_name.lower()}: {rate}."
    )
    return reason, (in_play[high], in_play[low])
