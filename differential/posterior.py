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
from typing import TYPE_CHECKING

from differential.schema import KnowledgeBase

if TYPE_CHECKING:  # the readings are built on top of this module, which only keeps them
    from differential.readings import Reading

__all__ = [
    "Outcomes",
    "Table",
    "entropy",
    "expected_information_gain",
    "likelihood_ratios",
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


_TABLES: dict[int, tuple[KnowledgeBase, Table]] = {}


def table_for(kb: KnowledgeBase) -> Table:
    """The arrays of ``kb``, computed once per knowledge base object."""
    cached = _TABLES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    table = _build_table(kb)
    _TABLES[id(kb)] = (kb, table)
    return table


OTHER_CAUSES = "other-causes"


def _build_table(kb: KnowledgeBase) -> Table:
    other = kb.other_causes
    codes = (*(c.code for c in kb.conditions), OTHER_CAUSES)
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
