"""Bayesian arithmetic over the seven conditions.

The knowledge base gives, per finding, the chance it is present under each condition. The
conditions are treated as competing explanations of the presenting pain (one of them is the
main problem), and findings as independent given the condition: a naive Bayes model. It is
simple enough to explain line by line, which matters more here than squeezing out accuracy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from differential.schema import KnowledgeBase

__all__ = [
    "Table",
    "entropy",
    "expected_information_gain",
    "likelihood_ratios",
    "posterior",
    "table_for",
]

Distribution = tuple[float, ...]
Outcome = tuple[Distribution, Distribution]  # likelihood per condition, and its log2


@dataclass(frozen=True)
class Table:
    """The knowledge base as arrays, in the order of ``conditions``."""

    conditions: tuple[str, ...]
    priors: Distribution
    present: Mapping[str, Distribution]  # finding -> P(present | condition)
    absent: Mapping[str, Distribution]  # finding -> P(absent | condition)
    # finding -> per condition, P(state | condition) / P(state | the other conditions)
    ratio_present: Mapping[str, Distribution]
    ratio_absent: Mapping[str, Distribution]
    # finding -> log2 of the rows above, for the single-finding information gain
    log_present: Mapping[str, Distribution]
    log_absent: Mapping[str, Distribution]
    diagnosed: float  # P(diagnosis recorded | that condition)
    diagnosed_otherwise: float  # P(diagnosis recorded | another condition)
    _outcomes: dict[tuple[str, ...], tuple[Outcome, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # (finding, state) -> per condition, whatever the engine derives from that row once
    # (its Evidence); kept here so it lives exactly as long as the knowledge base's table.
    derived_rows: dict[tuple[str, bool], tuple[object, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def outcomes(self, findings: tuple[str, ...]) -> tuple[Outcome, ...]:
        """Every present / absent combination of ``findings``: its likelihood per condition
        and their log2. Fixed by the knowledge base, so built once per set of findings."""
        if findings not in self._outcomes:
            rows: list[Distribution] = [tuple(1.0 for _ in self.conditions)]
            for finding in findings:
                rows = [
                    tuple(a * b for a, b in zip(row, state, strict=True))
                    for row in rows
                    for state in (self.present[finding], self.absent[finding])
                ]
            self._outcomes[findings] = tuple(
                (row, tuple(math.log2(x) for x in row)) for row in rows
            )
        return self._outcomes[findings]

    def likelihood(self, finding: str, present: bool) -> Distribution:
        """P(the recorded state of ``finding`` | condition), per condition."""
        return self.present[finding] if present else self.absent[finding]

    def ratios(self, finding: str, present: bool) -> Distribution:
        """Likelihood ratio of the recorded state of ``finding``, per condition."""
        return self.ratio_present[finding] if present else self.ratio_absent[finding]

    def diagnosis_likelihood(self, condition: str) -> Distribution:
        """P(a recorded diagnosis of ``condition`` | each condition)."""
        return tuple(
            self.diagnosed if code == condition else self.diagnosed_otherwise
            for code in self.conditions
        )


_TABLES: dict[int, tuple[KnowledgeBase, Table]] = {}


def table_for(kb: KnowledgeBase) -> Table:
    """The arrays of ``kb``, computed once per knowledge base object."""
    cached = _TABLES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    table = _build_table(kb)
    _TABLES[id(kb)] = (kb, table)
    return table


def _build_table(kb: KnowledgeBase) -> Table:
    codes = tuple(c.code for c in kb.conditions)
    total = sum(c.prior for c in kb.conditions)
    priors = tuple(c.prior / total for c in kb.conditions)
    present = {
        f.code: tuple(f.likelihood.get(code, f.likelihood.get("otherwise", 0.5)) for code in codes)
        for f in kb.findings
    }
    absent = {code: tuple(1.0 - p for p in row) for code, row in present.items()}
    return Table(
        conditions=codes,
        priors=priors,
        present=present,
        absent=absent,
        ratio_present={code: likelihood_ratios(priors, row) for code, row in present.items()},
        ratio_absent={code: likelihood_ratios(priors, row) for code, row in absent.items()},
        log_present={code: tuple(math.log2(p) for p in row) for code, row in present.items()},
        log_absent={code: tuple(math.log2(p) for p in row) for code, row in absent.items()},
        diagnosed=kb.reasoning.diagnosis.given_condition,
        diagnosed_otherwise=kb.reasoning.diagnosis.otherwise,
    )


def likelihood_ratios(priors: Distribution, row: Distribution) -> Distribution:
    """Per condition: P(fact | it) / P(fact | any other condition, weighted by prior)."""
    total = sum(p * q for p, q in zip(priors, row, strict=True))
    return tuple(q / ((total - p * q) / (1.0 - p)) for p, q in zip(priors, row, strict=True))


def posterior(table: Table, likelihoods: Iterable[Distribution]) -> Distribution:
    """Prior times every likelihood row, normalised; computed in logs to avoid underflow."""
    logs = [math.log(p) for p in table.priors]
    for row in likelihoods:
        logs = [acc + math.log(p) for acc, p in zip(logs, row, strict=True)]
    top = max(logs)
    weights = [math.exp(value - top) for value in logs]
    total = sum(weights)
    return tuple(w / total for w in weights)


def entropy(distribution: Sequence[float]) -> float:
    """Shannon entropy in bits."""
    return -sum(p * math.log2(p) for p in distribution if p > 0.0)


def expected_information_gain(
    table: Table,
    current: Distribution,
    findings: Sequence[str],
    *,
    prior_entropy: float | None = None,
) -> float:
    """Expected drop in entropy (bits) from learning every finding in ``findings``.

    Every combination of present / absent is an outcome; with at most a handful of findings
    per test this stays small (an MRI of the hip reveals five: 32 outcomes). ``prior_entropy``
    saves recomputing the entropy of ``current`` when many tests are scored against it.
    """
    before = entropy(current) if prior_entropy is None else prior_entropy
    if len(findings) == 1:
        return max(0.0, before - _expected_entropy_one(table, current, findings[0]))
    # mass * H(joint / mass) == mass * log2(mass) - sum(j * log2(j)), and with j = p * L
    # (L the outcome's likelihood, fixed by the knowledge base) j * log2(j) is
    # p * L * (log2 p + log2 L): one pass per outcome, nothing normalised.
    log2 = math.log2
    logs = [log2(p) if p > 0.0 else 0.0 for p in current]
    expected = 0.0
    for rates, log_rates in table.outcomes(tuple(findings)):
        mass = total = 0.0
        for p, lp, rate, log_rate in zip(current, logs, rates, log_rates, strict=True):
            joint = p * rate
            mass += joint
            total += joint * (lp + log_rate)
        if mass > 0.0:
            expected += mass * log2(mass) - total
    return max(0.0, before - expected)


def _expected_entropy_one(table: Table, current: Distribution, finding: str) -> float:
    """Expected posterior entropy after learning one finding, in one pass over the conditions.

    Uses sum(j * log2 j) with j = p * r written as p * r * (log2 p + log2 r), the logs of
    the rates being precomputed: the same quantity as the general case, several times faster.
    """
    log2 = math.log2
    m1 = t1 = m0 = t0 = 0.0
    rows = zip(
        current,
        table.present[finding],
        table.log_present[finding],
        table.absent[finding],
        table.log_absent[finding],
        strict=True,
    )
    for p, r, lr, q, lq in rows:
        if p > 0.0:
            lp = log2(p)
            x, y = p * r, p * q
            m1 += x
            t1 += x * (lp + lr)
            m0 += y
            t0 += y * (lp + lq)
    return (m1 * log2(m1) - t1 if m1 > 0.0 else 0.0) + (m0 * log2(m0) - t0 if m0 > 0.0 else 0.0)
