"""Bayesian arithmetic over the seven conditions and "other causes" (the open world).

The knowledge base gives, per finding, the chance it is present under each condition. The
conditions, and another cause than the seven, are treated as competing explanations of the
presenting pain, and findings as independent given the condition (a naive Bayes model;
findings that measure one construct are weighed down by the engine, see ``facts``). It is
simple enough to explain line by line, which matters more here than squeezing out accuracy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import add, mul

from differential._reading import Reading
from differential.schema import KnowledgeBase

__all__ = [
    "Outcomes",
    "Table",
    "entropy",
    "expected_information_gain",
    "likelihood_ratios",
    "marginals",
    "posterior",
    "table_for",
]

Distribution = tuple[float, ...]
# "finding" or "diagnosis", its code, its recorded state, the indices of the conditions standing.
ReadingKey = tuple[str, str, bool, tuple[int, ...]]


@dataclass(frozen=True)
class Outcomes:
    """What learning a set of findings can show, fixed by the knowledge base."""

    # Every present / absent combination of the findings: its likelihood per condition.
    likelihoods: tuple[Distribution, ...]
    # Per condition, the entropy (bits) of the result were that condition the cause: with
    # findings independent given the condition, the sum of their binary entropies.
    entropy_given: Distribution


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
    diagnosed: float  # P(diagnosis recorded | that condition)
    diagnosed_otherwise: float  # P(diagnosis recorded | another condition)
    # finding -> (age under, row) bands, where P(present | not this condition) rises with age
    by_age: Mapping[str, tuple[tuple[int, Distribution], ...]] = field(default_factory=dict)
    # Prior share of presentations with two causes at once (the seven and other causes).
    co_occurrence: float = 0.0
    # finding -> the causes whose own row makes it exclude them even beside another cause
    # (the article: pain past the knee, you do NOT have gluteus medius syndrome).
    excludes: Mapping[str, frozenset[int]] = field(default_factory=dict)
    _hypothesis_logs: dict[tuple[str, bool, int | None, float], Distribution] = field(
        default_factory=dict, compare=False, repr=False
    )
    _outcomes: dict[tuple[str, ...], Outcomes] = field(
        default_factory=dict, compare=False, repr=False
    )
    _most_often_present: dict[tuple[str, ...], Distribution] = field(
        default_factory=dict, compare=False, repr=False
    )
    # (finding, state, age band, weight) -> the row's natural logs, as the posterior adds them
    _logs: dict[tuple[str, bool, int | None, float], Distribution] = field(
        default_factory=dict, compare=False, repr=False
    )
    # (kind, code, state, conditions standing) -> what that fact says about each condition
    # (``differential.readings``); kept here so it lives exactly as long as the table.
    readings: dict[ReadingKey, tuple[Reading, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def outcomes(self, findings: tuple[str, ...]) -> Outcomes:
        """The outcomes of learning ``findings``, built once per set of findings."""
        known = self._outcomes.get(findings)
        if known is not None:
            return known
        rows: list[Distribution] = [tuple(1.0 for _ in self.conditions)]
        for finding in findings:
            rows = [
                tuple(a * b for a, b in zip(row, state, strict=True))
                for row in rows
                for state in (self.present[finding], self.absent[finding])
            ]
        given = tuple(
            sum(_binary_entropy(self.present[finding][i]) for finding in findings)
            for i in range(len(self.conditions))
        )
        self._outcomes[findings] = Outcomes(tuple(rows), given)
        return self._outcomes[findings]

    def most_often_present(self, findings: tuple[str, ...]) -> Distribution:
        """Per condition, the chance of whichever of ``findings`` is most often present: how
        often a study revealing them shows something. Built once per set of findings."""
        known = self._most_often_present.get(findings)
        if known is None:
            known = tuple(
                max(self.present[finding][i] for finding in findings)
                for i in range(len(self.conditions))
            )
            self._most_often_present[findings] = known
        return known

    @cached_property
    def columns(self) -> dict[str, int]:
        """Each condition's column (index), by code."""
        return {code: i for i, code in enumerate(self.conditions)}

    @property
    def other(self) -> int:
        """The index of "other causes", the open world's last column."""
        return len(self.conditions) - 1

    def likelihood(self, finding: str, present: bool, age: int | None = None) -> Distribution:
        """P(the recorded state of ``finding`` | condition), per condition (and other
        causes), for a patient of ``age`` where the knowledge base makes it depend on age."""
        row = self.present[finding]
        if age is not None and finding in self.by_age:
            row = next((r for under, r in self.by_age[finding] if age < under), row)
            return row if present else tuple(1.0 - p for p in row)
        return row if present else self.absent[finding]

    def log_likelihood(
        self, finding: str, present: bool, age: int | None = None, weight: float = 1.0
    ) -> Distribution:
        """The natural log of :meth:`likelihood` raised to ``weight`` (a finding repeating a
        construct weighs less): what the posterior adds up. Worked out once per finding,
        state, age band and weight, not once per call."""
        key = (finding, present, self._age_band(finding, age), weight)
        known = self._logs.get(key)
        if known is None:
            row = self.likelihood(finding, present, age)
            if weight != 1.0:
                row = tuple(p**weight for p in row)
            known = tuple(math.log(p) for p in row)
            self._logs[key] = known
        return known

    def _age_band(self, finding: str, age: int | None) -> int | None:
        """Which of the finding's age bands ``age`` falls in (one past the last when older
        than all); None when its row does not depend on age."""
        bands = self.by_age.get(finding)
        if age is None or bands is None:
            return None
        return next((i for i, (under, _) in enumerate(bands) if age < under), len(bands))

    @cached_property
    def hypotheses(self) -> tuple[tuple[int, ...], ...]:
        """The explanations weighed for each condition's own probability: every cause alone,
        then (when co-occurrence is allowed) every two causes together."""
        singles = tuple((i,) for i in range(len(self.conditions)))
        if self.co_occurrence <= 0.0:
            return singles
        pairs = tuple(
            (i, j) for i in range(len(self.conditions)) for j in range(i + 1, len(self.conditions))
        )
        return singles + pairs

    @cached_property
    def hypothesis_log_priors(self) -> Distribution:
        """A cause alone keeps its prior share of 1 - co_occurrence; two causes together share
        co_occurrence in proportion to the product of their priors."""
        p = self.priors
        pair_total = sum(p[h[0]] * p[h[1]] for h in self.hypotheses if len(h) == 2)
        single = 1.0 - self.co_occurrence
        return tuple(
            math.log(single * p[h[0]])
            if len(h) == 1
            else math.log(self.co_occurrence * p[h[0]] * p[h[1]] / pair_total)
            for h in self.hypotheses
        )

    def hypothesis_log_likelihood(
        self, finding: str, present: bool, age: int | None = None, weight: float = 1.0
    ) -> Distribution:
        """Per hypothesis, the log chance of the finding's recorded state: with two causes the
        finding is as often present as with the cause that shows it more often, so a finding
        typical of one of them is no evidence against the other."""
        key = (finding, present, self._age_band(finding, age), weight)
        known = self._hypothesis_logs.get(key)
        if known is None:
            row = self.likelihood(finding, True, age)
            excluded = self.excludes.get(finding, frozenset()) if present else frozenset()
            known = tuple(
                weight * math.log(_state(_chance(row, h, excluded), present))
                for h in self.hypotheses
            )
            self._hypothesis_logs[key] = known
        return known

    def hypothesis_row(self, per_cause: Distribution) -> Distribution:
        """A per-cause log row (a prior factor) spread over the hypotheses: a hypothesis
        holding several causes takes the largest."""
        return tuple(max(per_cause[i] for i in h) for h in self.hypotheses)

    @cached_property
    def log_priors(self) -> Distribution:
        """The natural log of each prior."""
        return tuple(math.log(p) for p in self.priors)

    def ratios(self, finding: str, present: bool) -> Distribution:
        """Likelihood ratio of the recorded state of ``finding``, per condition."""
        return self.ratio_present[finding] if present else self.ratio_absent[finding]

    def diagnosis_likelihood(self, condition: str) -> Distribution:
        """P(a recorded diagnosis of ``condition`` | each condition)."""
        return tuple(
            self.diagnosed if code == condition else self.diagnosed_otherwise
            for code in self.conditions
        )


def _state(p_present: float, present: bool) -> float:
    return p_present if present else 1.0 - p_present


def _chance(row: Distribution, hypothesis: tuple[int, ...], excluded: frozenset[int]) -> float:
    """P(present) with every cause of ``hypothesis`` there: as often as with the cause that
    shows it most, unless it excludes one of them."""
    if excluded.intersection(hypothesis):
        return min(row[i] for i in hypothesis)
    return max(row[i] for i in hypothesis)


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
    other = kb.other_causes
    codes = (*(c.code for c in kb.conditions), other.code)
    total = sum(c.prior for c in kb.conditions)
    priors = (*(c.prior / total * (1.0 - other.prior) for c in kb.conditions), other.prior)
    present = {f.code: _row(f.likelihood, codes, other.default_likelihood) for f in kb.findings}
    by_age = {
        f.code: tuple(
            (band.under, _row(f.likelihood | {"otherwise": band.otherwise}, codes, band.otherwise))
            for band in f.otherwise_by_age
        )
        for f in kb.findings
        if f.otherwise_by_age
    }
    absent = {code: tuple(1.0 - p for p in row) for code, row in present.items()}
    return Table(
        conditions=codes,
        priors=priors,
        present=present,
        absent=absent,
        ratio_present={code: likelihood_ratios(priors, row) for code, row in present.items()},
        ratio_absent={code: likelihood_ratios(priors, row) for code, row in absent.items()},
        diagnosed=kb.reasoning.diagnosis.given_condition,
        diagnosed_otherwise=kb.reasoning.diagnosis.otherwise,
        by_age=by_age,
        co_occurrence=kb.reasoning.co_occurrence,
        excludes={
            f.code: frozenset(
                codes.index(code)
                for code, p in f.likelihood.items()
                if code in codes and p <= kb.reasoning.excludes_at
            )
            for f in kb.findings
        },
    )


def _row(likelihood: Mapping[str, float], codes: tuple[str, ...], default: float) -> Distribution:
    """A finding's row: each named condition, then `otherwise` for the rest; other causes
    by their own key, else `otherwise`, else the knowledge base's default."""
    otherwise = likelihood.get("otherwise")
    named = [
        likelihood.get(code, otherwise if otherwise is not None else 0.5) for code in codes[:-1]
    ]
    return (*named, likelihood.get("other", otherwise if otherwise is not None else default))


def likelihood_ratios(priors: Distribution, row: Distribution) -> Distribution:
    """Per condition: P(fact | it) / P(fact | any other condition, weighted by prior)."""
    total = sum(p * q for p, q in zip(priors, row, strict=True))
    return tuple(q / ((total - p * q) / (1.0 - p)) for p, q in zip(priors, row, strict=True))


def posterior(table: Table, log_likelihoods: Iterable[Distribution]) -> Distribution:
    """Prior times every likelihood row, normalised; computed in logs to avoid underflow
    (``log_likelihoods`` as :meth:`Table.log_likelihood` gives them)."""
    logs = list(table.log_priors)
    for row in log_likelihoods:
        logs = list(map(add, logs, row))
    top = max(logs)
    weights = [math.exp(value - top) for value in logs]
    total = sum(weights)
    return tuple(w / total for w in weights)


def marginals(
    table: Table,
    log_rows: Iterable[Distribution],
    excluded: frozenset[int] = frozenset(),
    required: frozenset[int] = frozenset(),
) -> Distribution:
    """Each cause's own probability: the posterior of every hypothesis holding it, summed.
    Two causes can then both be probable when each explains findings of its own.
    Hypotheses holding an ``excluded`` cause (ruled out by imaging), or missing a
    ``required`` one (confirmed), are left out."""
    logs = list(table.hypothesis_log_priors)
    for row in log_rows:
        logs = list(map(add, logs, row))
    kept = [
        i
        for i, h in enumerate(table.hypotheses)
        if not excluded.intersection(h) and required.issubset(h)
    ] or list(range(len(logs)))
    top = max(logs[i] for i in kept)
    weights = {i: math.exp(logs[i] - top) for i in kept}
    total = sum(weights.values())
    shares = [0.0] * len(table.conditions)
    for i, weight in weights.items():
        for cause in table.hypotheses[i]:
            shares[cause] += weight / total
    return tuple(min(1.0, share) for share in shares)


def entropy(distribution: Sequence[float]) -> float:
    """Shannon entropy in bits."""
    return -sum(p * math.log2(p) for p in distribution if p > 0.0)


def expected_information_gain(
    table: Table, current: Distribution, findings: Sequence[str]
) -> float:
    """Expected drop in entropy (bits) of ``current`` from learning every finding in
    ``findings``: H(condition) - E[H(condition | result)].

    Computed as the mutual information of condition and result, which is the same quantity:
    H(result) - sum over conditions of p(c) * H(result | c). The second term's entropies
    are fixed by the knowledge base (:class:`Outcomes`), so a call is one dot product per
    outcome and no posterior is ever normalised. Every combination of present / absent is an
    outcome; an MRI of the hip reveals five findings: 32 outcomes.
    """
    outcomes = table.outcomes(tuple(findings))
    log2 = math.log2
    result_entropy = 0.0
    for likelihood in outcomes.likelihoods:
        mass: float = sum(map(mul, current, likelihood))  # a dot product, in C
        if mass > 0.0:
            result_entropy -= mass * log2(mass)
    given: float = sum(map(mul, current, outcomes.entropy_given))
    return max(0.0, result_entropy - given)


def _binary_entropy(p: float) -> float:
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return -(p * math.log2(p) + (1.0 - p) * math.log2(1.0 - p))
