"""Symptom duration (contract section 3, 12-06): ``symptoms-over-6-weeks`` from the onset.

Recorded when a clinician said so; else derived from when the pain began. The onset is that
of the Condition the order names as its reason (``reasonReference``), else the earliest of
the candidates the mapper gathers: the onset of a diagnosis of section 4 recorded within the
window, the period start of a presenting-complaint Observation and, later, a duration stated
in a note (the notes reader adds its own :class:`Onset` to the same list).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from fhir_mappings._findings import winner
from fhir_mappings._observation_model import Observation
from fhir_mappings._observations import Reading
from fhir_mappings._resources import instant
from terminology import CodeTables

__all__ = ["Onset", "duration_reading", "period_onset"]

_DERIVED_RANK = 0  # a derived duration never ties with a record: it is only used without one


@dataclass(frozen=True)
class Onset:
    """When the pain began, by the resource that says so."""

    at: datetime
    resource_id: str | None


def period_onset(obs: Observation, found: Iterable[Reading], tables: CodeTables) -> Onset | None:
    """The start of a presenting-complaint Observation's ``effectivePeriod``: the pain has
    been there since. A single date says when it was seen, not when it began."""
    start = instant(obs.effectivePeriod.start) if obs.effectivePeriod else None
    complaints = tables.symptom_duration.onset_findings
    if start is None or not any(r.present and r.finding in complaints for r in found):
        return None
    return Onset(start, obs.id)


def duration_reading(
    recorded: Iterable[Reading],
    named: Sequence[Onset],
    candidates: Sequence[Onset],
    tables: CodeTables,
    evaluated_at: datetime,
) -> Reading | None:
    """The one reading of the duration finding: the record, else derived from the onset.

    ``recorded`` are the readings of the finding itself; a recorded absence stops counting
    once it is as old as the threshold (the pain may have lasted that long since). ``named``
    are the onsets of the order's reason Conditions, used before any other ``candidates``.
    """
    rule = tables.symptom_duration
    threshold = timedelta(days=rule.days)
    held = winner(recorded)
    if held is not None and (held.present or evaluated_at - held.effective < threshold):
        return held
    onset = min(named or candidates, key=lambda o: o.at, default=None)
    if onset is None:
        return None
    over = evaluated_at - onset.at >= threshold
    return Reading(rule.finding, over, onset.resource_id, onset.at, _DERIVED_RANK)
