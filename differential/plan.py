"""One plan per evaluation: red flags first, then what separates the candidates still standing.

Everything the answer advises is derived here from one ranking and one set of facts: the red
flags and what to do now, the tests to do next (a red flag's studies first), the tests to
avoid (never one a red flag calls for or a guideline makes usually appropriate), the treatment
cautions, and the rating of every imaging study. Cards and order ratings read this plan, so
they cannot disagree with each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from differential.appropriateness import rate_studies
from differential.guidance import (
    Situation,
    avoid_tests,
    informative_unknowns,
    next_tests,
    rule_advice,
)
from differential.model import Candidate, Caution, Differential, RedFlag, TestAdvice
from differential.rules import RuleContext, holds
from differential.schema import ActionNote, KnowledgeBase

__all__ = ["build_plan"]


def build_plan(
    kb: KnowledgeBase,
    situation: Situation,
    findings_only: RuleContext,
    candidates: tuple[Candidate, ...],
) -> Differential:
    """The whole answer for one presentation, ``candidates`` ranked from ``situation``.

    ``findings_only`` is the ranking without recorded diagnoses: red flags are raised from it.
    """
    flags = red_flags(kb, findings_only)
    context = replace(situation.context, flags=frozenset(flag.code for flag in flags))
    situation = replace(situation, context=context)
    indicated = indications(kb, context)
    ahead = first_studies(kb, situation)
    protected = {code for flag in flags for code in flag.calls_for} | {i.code for i in indicated}
    protected |= {a.code for a in ahead}
    avoided = tuple(a for a in avoid_tests(kb, context) if a.code not in protected)
    first = _put_ahead(kb, flag_studies(kb, flags, context.done), ahead)
    tests = first + next_tests(kb, situation, avoided, exclude={a.code for a in first})
    unknowns = informative_unknowns(kb, situation)
    ratings = rate_studies(
        kb, situation, flags=flags, next_tests=tests, avoided=avoided, indicated=indicated
    )
    # Words for every code the answer names without evidence: the unknowns worth recording,
    # and the findings an order's rating turned on (the card may quote their note).
    named = {*unknowns, *(code for rating in ratings.values() for code, _ in rating.findings)}
    return Differential(
        knowledge_version=kb.version,
        active=True,
        candidates=candidates,
        next_tests=tests,
        avoid_tests=avoided,
        cautions=cautions(kb, context),
        red_flags=flags,
        most_informative_unknowns=unknowns,
        finding_labels={code: kb.finding_by_code[code].label for code in sorted(named)},
        indications=indicated,
        advice=tuple(" ".join(a.text.split()) for a in kb.advice if holds(a.when, context)),
        ratings=ratings,
    )


def red_flags(kb: KnowledgeBase, context: RuleContext) -> tuple[RedFlag, ...]:
    """The red flags raised, in the knowledge base's order (cauda equina, infection, fracture),
    each saying what to do now given what is already known."""
    return tuple(
        RedFlag(
            code=rule.code,
            name=_text(rule.name, rule.name_variants, (), context),
            action=_text(rule.action, rule.variants, rule.notes, context),
            citation="; ".join(rule.cite),
            concern=rule.concern,
            urgency=rule.urgency,
            calls_for=next(
                (v.calls_for for v in rule.studies_variants if holds(v.when, context)),
                rule.calls_for,
            ),
            order_warnings=tuple((w.order, " ".join(w.text.split())) for w in rule.order_warnings),
        )
        for rule in kb.red_flags
        if holds(rule.when, context)
    )


def flag_studies(
    kb: KnowledgeBase, flags: Iterable[RedFlag], done: frozenset[str]
) -> tuple[TestAdvice, ...]:
    """The studies the red flags call for, most urgent flag first; none already done."""
    advice: dict[str, TestAdvice] = {}
    for flag in flags:
        for code in flag.calls_for:
            if code in advice or code in done:
                continue
            test = kb.test_by_code[code]
            about = (flag.code,) if flag.code in kb.condition_by_code else ()
            advice[code] = TestAdvice(
                test.code,
                test.name,
                f"{flag.concern}: {flag.action}",
                flag.citation,
                test.kind,
                about,
                urgent=True,
                red_flag=flag.code,
            )
    return tuple(advice.values())


def first_studies(kb: KnowledgeBase, situation: Situation) -> tuple[TestAdvice, ...]:
    """Studies a workup rule puts ahead of a red flag's (the bone-fragility and under-18
    X-ray before the fracture MRI), not yet done."""
    rules = [rule for rule in kb.workup if rule.ahead_of_flag]
    return tuple(
        advice
        for advice in rule_advice(kb, rules, situation.context)
        if advice.code not in situation.context.done
    )


def _put_ahead(
    kb: KnowledgeBase, flagged: tuple[TestAdvice, ...], ahead: tuple[TestAdvice, ...]
) -> tuple[TestAdvice, ...]:
    """``flagged`` with each of ``ahead`` before the first study of the red flag its rule
    names (after every other flag's studies when that flag is not raised)."""
    studies = list(flagged)
    flag_of = {rule.id: rule.ahead_of_flag for rule in kb.workup}
    for advice in ahead:
        if any(a.code == advice.code for a in studies):
            continue  # a red flag already asks for it, at least as early
        flag = flag_of.get(advice.rule or "")
        at = next((i for i, a in enumerate(studies) if a.red_flag == flag), len(studies))
        studies.insert(at, replace(advice, urgent=True))
    return tuple(studies)


def indications(kb: KnowledgeBase, context: RuleContext) -> tuple[TestAdvice, ...]:
    """Tests a published guideline rates usually appropriate now; the first rule per test."""
    return rule_advice(kb, kb.indications, context)


def cautions(kb: KnowledgeBase, context: RuleContext) -> tuple[Caution, ...]:
    """Treatment cautions that hold: one that guards against harm now first (no impact while
    a fracture is possible; it led only when the fracture ranked first, 1.24.0), then the
    leading condition's, in words that fit what is already known (e.g. groin pain: the
    femoral neck)."""
    rank = {code: i for i, code in enumerate(context.statuses)}
    fired = [rule for rule in kb.cautions if holds(rule.when, context)]
    fired.sort(
        key=lambda rule: (
            not rule.guards_harm,
            rule.condition != context.first,
            rank.get(rule.condition, 99),
        )
    )
    return tuple(
        Caution(
            rule.id,
            rule.condition,
            _text(rule.text, rule.variants, (), context),
            "; ".join(rule.cite),
            rule.warns_on_orders,
        )
        for rule in fired
    )


def _text(
    base: str, variants: Sequence[ActionNote], notes: Sequence[ActionNote], context: RuleContext
) -> str:
    chosen = next((v.text for v in variants if holds(v.when, context)), base)
    added = [note.text for note in notes if holds(note.when, context)]
    return " ".join(" ".join([chosen, *added]).split())
