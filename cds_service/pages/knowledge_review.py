"""The knowledge base arranged for clinical review, one condition at a time.

Everything here is read from the loaded :class:`KnowledgeBase`; the templates only lay it
out. A condition's page gathers the findings for and against it (with the likelihood ratios
the reasoner uses), the tests that help or do not, the cautions and red flags that name it,
and the citation of every rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from differential.review import FindingWeight, finding_weights
from differential.schema import (
    AvoidRule,
    CautionRule,
    ConditionDef,
    DecisiveResult,
    FindingDef,
    FindingGroup,
    GuidelineRating,
    Indication,
    KnowledgeBase,
    OtherCauses,
    Pattern,
    RedFlagRule,
    StandIn,
    StatusFloor,
    TestDef,
    When,
    WorkupRule,
)

__all__ = [
    "ConditionReview",
    "RuleView",
    "TestView",
    "all_rules",
    "describe_when",
    "review_condition",
]


@dataclass(frozen=True)
class RuleView:
    """A rule as a reviewer reads it: what it says, when it applies, where it comes from."""

    id: str
    subject: str  # the code of the test, condition or finding the rule is about
    title: str
    text: str
    when: str
    cite: tuple[str, ...]


@dataclass(frozen=True)
class TestView:
    """A test and the findings it reveals that weigh on the condition."""

    test: TestDef
    findings: tuple[FindingWeight, ...]


@dataclass(frozen=True)
class ConditionReview:
    """What the knowledge base holds about one condition."""

    condition: ConditionDef
    prior_share: float  # before any finding, other causes included
    supporting: tuple[FindingWeight, ...]  # present argues for it
    opposing: tuple[FindingWeight, ...]  # present argues against it
    minor: tuple[FindingWeight, ...]  # present barely moves it either way
    helpful_tests: tuple[TestView, ...]  # reveal findings characteristic of it
    unhelpful_tests: tuple[TestDef, ...]  # reveal nothing that weighs on it either way
    workup: tuple[RuleView, ...]
    avoid: tuple[RuleView, ...]
    cautions: tuple[RuleView, ...]
    red_flags: tuple[RuleView, ...]


def review_condition(kb: KnowledgeBase, condition: ConditionDef) -> ConditionReview:
    """Everything the knowledge base says about ``condition``."""
    code = condition.code
    weights = finding_weights(kb, code)
    bar = math.log(kb.reasoning.evidence_ratio)
    # Characteristic: present argues for it, or absent argues against it.
    telling = {
        w.finding.code: w
        for w in weights
        if math.log(w.ratio_present) >= bar or math.log(w.ratio_absent) <= -bar
    }
    weighty = {w.finding.code for w in weights if w.strength >= bar}
    tests = [(test, tuple(telling[f] for f in test.reveals if f in telling)) for test in kb.tests]
    return ConditionReview(
        condition=condition,
        prior_share=condition.prior
        / sum(c.prior for c in kb.conditions)
        * (1.0 - kb.other_causes.prior),
        supporting=tuple(w for w in weights if math.log(w.ratio_present) >= bar),
        opposing=tuple(w for w in weights if math.log(w.ratio_present) <= -bar),
        minor=tuple(w for w in weights if abs(math.log(w.ratio_present)) < bar),
        helpful_tests=tuple(TestView(test, found) for test, found in tests if found),
        unhelpful_tests=tuple(test for test in kb.tests if not weighty & set(test.reveals)),
        workup=tuple(_test_rule(kb, r) for r in kb.workup if _names(r.when, code)),
        avoid=tuple(_test_rule(kb, r) for r in kb.avoid if _names(r.when, code)),
        cautions=tuple(
            _caution(kb, r) for r in kb.cautions if r.condition == code or _names(r.when, code)
        ),
        red_flags=tuple(_red_flag(kb, r) for r in kb.red_flags if _flags(kb, r, code)),
    )


def all_rules(kb: KnowledgeBase) -> Mapping[str, tuple[RuleView, ...]]:
    """Every rule of the knowledge base as a reviewer reads it, by kind."""
    return {
        "Red flags": tuple(_red_flag(kb, r) for r in kb.red_flags),
        "Tests to put forward": tuple(_test_rule(kb, r) for r in kb.workup),
        "Tests to avoid": tuple(_test_rule(kb, r) for r in kb.avoid),
        "Treatment cautions": tuple(_caution(kb, r) for r in kb.cautions),
        "Imaging results that settle a condition": tuple(
            _decisive(kb, r) for r in kb.decisive_results
        ),
        "Where a guideline makes a test usually appropriate (article and guideline compared)": (
            tuple(_indication(kb, r) for r in kb.indications)
        ),
        "Ratings of imaging orders: the score and the guideline behind it": (
            *(_guideline_rating(kb, r) for r in kb.guideline_ratings),
            *(_indication(kb, r) for r in kb.indications),
            *(_confirming(kb, t) for t in kb.tests if t.confirms),
            _scale(kb),
        ),
        "Studies that stand in for another": tuple(_stand_in(kb, r) for r in kb.stand_ins),
        "Conditions kept in play": tuple(_floor(kb, r) for r in kb.status_floors),
        "Findings read together": (
            *(_pattern(kb, r) for r in kb.patterns),
            *(_group(kb, r) for r in kb.groups),
        ),
    }


def _decisive(kb: KnowledgeBase, rule: DecisiveResult) -> RuleView:
    finding = kb.finding_by_code[rule.finding].label
    effects = [f"present: confirms ({rule.present})"] if rule.present else []
    effects += ["absent: rules it out"] if rule.absent else []
    when = f"{finding} is recorded; " + "; ".join(effects)
    if rule.current_after:
        when += "; an absent result counts only when as recent as the bone-stress findings"
    title = kb.condition_by_code[rule.condition].name
    return RuleView(rule.finding, rule.condition, title, rule.rationale, when, rule.cite)


def _indication(kb: KnowledgeBase, rule: Indication) -> RuleView:
    title = f"{kb.test_by_code[rule.test].name}: rated {rule.score}/9"
    return RuleView(rule.id, rule.test, title, rule.reason, describe_when(kb, rule.when), rule.cite)


def _guideline_rating(kb: KnowledgeBase, rule: GuidelineRating) -> RuleView:
    title = f"{kb.test_by_code[rule.test].name}: rated {rule.score}/9"
    text = " ".join(f"{rule.reason} {rule.ask}".split())
    return RuleView(rule.id, rule.test, title, text, describe_when(kb, rule.when), rule.cite)


def _confirming(kb: KnowledgeBase, test: TestDef) -> RuleView:
    score = kb.appropriateness.indicated
    names = _listed(kb, test.confirms, "or")
    text = (
        f"An order whose indication (reason) is {names} is never rated 1-3 for want of "
        "information: the study confirms or stages it."
    )
    when = f"the order's reason or a diagnosis on record is {names}"
    title = f"{test.name}: at least {score}/9"
    return RuleView(f"{test.code}-indicated", test.code, title, text, when, test.cite)


def _scale(kb: KnowledgeBase) -> RuleView:
    s = kb.appropriateness
    text = (
        f"A study a red flag calls for {s.red_flag}; urgent workup {s.urgent}; named for the "
        f"question at hand {s.workup}; among the next tests {s.suggested}; still informative "
        f"{s.informative}; already done {s.already_done}; barely informative "
        f"{s.uninformative}; a test to avoid {s.avoided}. A guideline rating above, where it "
        "applies, comes first (a red flag's study aside)."
    )
    when = "no guideline rating above applies"
    return RuleView("scale", "", "Where a study stands in the plan", text, when, s.cite)


def _stand_in(kb: KnowledgeBase, rule: StandIn) -> RuleView:
    title = f"{kb.test_by_code[rule.test].name} for {kb.test_by_code[rule.stands_for].name}"
    text = f"When needed: {rule.reason_when_needed} Otherwise: {rule.reason_otherwise}"
    when = f"{kb.test_by_code[rule.stands_for].name} would be rated 7 or more"
    return RuleView(rule.test, rule.test, title, text, when, rule.cite)


def _pattern(kb: KnowledgeBase, rule: Pattern) -> RuleView:
    absent = ", ".join(kb.finding_by_code[c].label for c in rule.not_against)
    when = f"{describe_when(kb, rule.when)}; not counted when absent: {absent}"
    title = kb.condition_by_code[rule.condition].name
    return RuleView(rule.id, rule.condition, title, rule.rationale, when, rule.cite)


def _group(kb: KnowledgeBase, rule: FindingGroup) -> RuleView:
    names = ", ".join(kb.finding_by_code[c].label for c in rule.findings)
    when = f"more than one of: {names} (only the first counts)"
    return RuleView(
        rule.id, rule.id, "One construct, counted once", rule.rationale, when, rule.cite
    )


def _names(when: When, condition: str) -> bool:
    """The rule can fire for ``condition``: it reads it, or applies to everyone."""
    return bool(when.always) or condition in when.condition_codes()


def _flags(kb: KnowledgeBase, rule: RedFlagRule, condition: str) -> bool:
    # A red-flag finding counts for a condition whose row names it (e.g. saddle numbness
    # for disc sciatica), besides rules that read the condition itself.
    findings = [kb.finding_by_code.get(code) for code in rule.when.finding_codes()]
    return _names(rule.when, condition) or any(
        f is not None and condition in f.likelihood for f in findings
    )


def _test_rule(kb: KnowledgeBase, rule: WorkupRule | AvoidRule) -> RuleView:
    title = kb.test_by_code[rule.test].name
    return RuleView(rule.id, rule.test, title, rule.reason, describe_when(kb, rule.when), rule.cite)


def _caution(kb: KnowledgeBase, rule: CautionRule) -> RuleView:
    title = kb.condition_by_code[rule.condition].name
    return RuleView(
        rule.id, rule.condition, title, rule.text, describe_when(kb, rule.when), rule.cite
    )


def _floor(kb: KnowledgeBase, rule: StatusFloor) -> RuleView:
    title = kb.condition_by_code[rule.condition].name
    text = f"{title} stays at least possible. {' '.join(rule.rationale.split())}"
    return RuleView(rule.id, rule.condition, title, text, describe_when(kb, rule.when), rule.cite)


def _red_flag(kb: KnowledgeBase, rule: RedFlagRule) -> RuleView:
    studies = ", ".join(kb.test_by_code[code].name for code in rule.calls_for)
    text = f"{rule.concern} ({rule.urgency}): {' '.join(rule.action.split())} Calls for: {studies}."
    return RuleView(rule.code, rule.code, rule.name, text, describe_when(kb, rule.when), rule.cite)


def _listed(kb: KnowledgeBase, codes: Iterable[str], joiner: str) -> str:
    names = [kb.condition_by_code[code].name for code in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {joiner} {names[-1]}"


# `when` key -> its meaning in words (the file header of the knowledge base defines them).
_PHRASES: Mapping[str, Callable[[KnowledgeBase, When], str]] = {
    "always": lambda kb, w: "always",
    "leading": lambda kb, w: f"{_listed(kb, [w.leading or ''], 'and')} is ranked first or likely",
    "not_unlikely_all": lambda kb, w: (
        f"{_listed(kb, w.not_unlikely_all or (), 'and')} are all still likely or possible"
    ),
    "not_unlikely_any": lambda kb, w: (
        f"{_listed(kb, w.not_unlikely_any or (), 'or')} is still likely or possible"
    ),
    "not_unlikely_at_least": lambda kb, w: (
        f"at least {w.not_unlikely_at_least.n} of "
        f"{_listed(kb, w.not_unlikely_at_least.of, 'and')} are still likely or possible"
        if w.not_unlikely_at_least
        else ""
    ),
    "present": lambda kb, w: f"“{kb.finding_labels[w.present or '']}” is recorded present",
    "absent": lambda kb, w: f"“{kb.finding_labels[w.absent or '']}” is recorded absent",
    "unknown": lambda kb, w: f"“{kb.finding_labels[w.unknown or '']}” is not recorded",
    "supported": lambda kb, w: (
        f"a finding recorded present supports {_listed(kb, [w.supported or ''], 'and')}"
    ),
    "diagnosed": lambda kb, w: (
        f"{_listed(kb, [w.diagnosed or ''], 'and')} is diagnosed or is the order's indication"
    ),
    "among_first": lambda kb, w: (
        f"at least {w.among_first.n} of {_listed(kb, w.among_first.of, 'and')} are among the "
        f"first {w.among_first.within} and still likely or possible"
        if w.among_first
        else ""
    ),
    "likely": lambda kb, w: f"{_listed(kb, [w.likely or ''], 'and')} is likely",
    "first": lambda kb, w: f"{_listed(kb, [w.first or ''], 'and')} is ranked first",
    "any_present": lambda kb, w: "any of “{}” is recorded present".format(
        "”, “".join(kb.finding_labels[c] for c in w.any_present or ())
    ),
    "not_done": lambda kb, w: f"no result of {kb.test_by_code[w.not_done or ''].name} is recorded",
    "done": lambda kb, w: f"a result of {kb.test_by_code[w.done or ''].name} is recorded",
    "flagged": lambda kb, w: f"the red flag “{w.flagged}” is raised",
    "ruled_out": lambda kb, w: f"imaging has ruled out {_listed(kb, [w.ruled_out or ''], 'and')}",
    "age_under": lambda kb, w: f"the patient is younger than {w.age_under}",
    "age_over": lambda kb, w: f"the patient is older than {w.age_over}",
    "any": lambda kb, w: "(" + ") or (".join(describe_when(kb, c) for c in w.any or ()) + ")",
    "unless": lambda kb, w: f"not when {describe_when(kb, w.unless)}" if w.unless else "",
}


def describe_when(kb: KnowledgeBase, when: When) -> str:
    """A rule's `when` clause in words, e.g. "Hip stress fracture is ranked first or likely"."""
    return " and ".join(_PHRASES[key](kb, when) for key in sorted(when.model_fields_set))


@dataclass(frozen=True)
class SupportView:
    """A finding that points away from the seven, and the kinds of cause it suggests."""

    finding: FindingDef
    suspects: tuple[str, ...]
    when: str  # "" when it always counts
    rationale: str
    cite: tuple[str, ...]
    # (when, in words; the further kinds of cause; why) of each variant
    variants: tuple[tuple[str, tuple[str, ...], str], ...] = ()


@dataclass(frozen=True)
class OtherCausesReview:
    """What the knowledge base holds about another cause than the seven."""

    other: OtherCauses
    thresholds: tuple[float, float]  # (unlikely below, likely at)
    supporting: tuple[SupportView, ...]
    weights: tuple[FindingWeight, ...]  # every finding's weight for another cause


def thresholds(kb: KnowledgeBase, code: str) -> tuple[float, float]:
    """(unlikely below, likely at) of a condition, or of another cause: its own where the
    knowledge base sets them, else the shared ones."""
    owner: ConditionDef | OtherCauses = kb.condition_by_code.get(code) or kb.other_causes
    return (
        owner.unlikely_below or kb.reasoning.unlikely_below,
        owner.likely_at or kb.reasoning.likely_at,
    )


def review_other_causes(kb: KnowledgeBase) -> OtherCausesReview:
    """Another cause than the seven: its findings, the causes they point to, its weights."""
    other = kb.other_causes
    return OtherCausesReview(
        other=other,
        thresholds=thresholds(kb, other.code),
        supporting=tuple(
            SupportView(
                kb.finding_by_code[s.finding],
                s.suspects,
                describe_when(kb, s.when) if s.when else "",
                s.rationale,
                s.cite,
                tuple((describe_when(kb, v.when), v.suspects, v.rationale) for v in s.variants),
            )
            for s in other.supporting
        ),
        weights=finding_weights(kb, other.code),
    )
