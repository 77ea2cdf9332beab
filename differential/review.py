"""The knowledge base seen from one condition, for clinical review.

What each finding says about a condition: its chance under that condition against the
others (weighted by how common each is), and the likelihood ratios the reasoner multiplies
the condition's odds by when the finding is recorded present or absent. The ratios come
from the same arithmetic :func:`differential.evaluate` uses, so the review pages show
exactly the weights that rank a patient's differential.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from differential.errors import DifferentialError
from differential.posterior import table_for
from differential.schema import FindingDef, KnowledgeBase

__all__ = ["FindingWeight", "finding_weights"]


@dataclass(frozen=True)
class FindingWeight:
    """How much one finding weighs for or against one condition."""

    finding: FindingDef
    chance: float  # P(present | this condition)
    chance_otherwise: float  # P(present | another condition), weighted by prior
    ratio_present: float  # odds multiplier when recorded present
    ratio_absent: float  # odds multiplier when recorded absent
    # Where the chance with this condition comes from: a published study, else "" (an
    # ordinal estimate from the source article).
    published: str = ""

    @property
    def kind(self) -> str:
        """What kind of number the chance is: "published" or "estimate"."""
        return "published" if self.published else "estimate"

    @property
    def strength(self) -> float:
        """How far the stronger of the two ratios moves the odds (natural log)."""
        return max(abs(math.log(self.ratio_present)), abs(math.log(self.ratio_absent)))


def finding_weights(kb: KnowledgeBase, condition: str) -> tuple[FindingWeight, ...]:
    """Every finding's weight for ``condition``, strongest first.

    Raises :class:`DifferentialError` when ``condition`` is not in the knowledge base.
    """
    table = table_for(kb)
    if condition not in table.conditions:
        raise DifferentialError(f"no condition with code {condition!r}")
    index = table.conditions.index(condition)
    weights = []
    for finding in kb.findings:
        chance = table.likelihood(finding.code, present=True)[index]
        ratio_present = table.ratios(finding.code, present=True)[index]
        weights.append(
            FindingWeight(
                finding=finding,
                chance=chance,
                chance_otherwise=chance / ratio_present,
                ratio_present=ratio_present,
                ratio_absent=table.ratios(finding.code, present=False)[index],
                published=_published(finding, condition),
            )
        )
    return tuple(sorted(weights, key=lambda w: (-w.strength, w.finding.code)))


def _published(finding: FindingDef, condition: str) -> str:
    key = condition if condition in finding.likelihood else "otherwise"
    return finding.published.get(key, "")
