"""Many readings of a finding to one state: the newest wins."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from fhir_mappings._observations import Reading
from fhir_mappings.record import FindingSource

__all__ = ["Decided", "earliest", "newest_wins", "winner"]


@dataclass(frozen=True)
class Decided:
    """The state of each finding with a definite reading, and the reading that won."""

    findings: Mapping[str, bool]
    sources: tuple[FindingSource, ...]
    # When each finding was first recorded present / absent among the readings (contract 5:
    # a complaint recorded again is not new since a result).
    first_present_at: Mapping[str, datetime] = field(default_factory=dict)
    first_absent_at: Mapping[str, datetime] = field(default_factory=dict)
    # Every definite reading's (time, present?) per finding, oldest first: the state a
    # complaint was in when a result was taken (contract 5).
    recorded_states: Mapping[str, tuple[tuple[datetime, bool], ...]] = field(default_factory=dict)


def _precedence(reading: Reading) -> tuple[datetime, int, bool, str]:
    """Newest first; at the same instant amended/corrected over final over preliminary,
    then present over absent (a positive record is not silently dropped), then resource id
    so that the winner never depends on the order the EHR listed things in."""
    return (
        reading.effective,
        reading.status_rank,
        bool(reading.present),
        reading.resource_id or "",
    )


def newest_wins(readings: Iterable[Reading]) -> Decided:
    """One state per finding from definite readings; unknown readings never override."""
    winners: dict[str, Reading] = {}
    firsts: dict[bool, dict[str, datetime]] = {True: {}, False: {}}
    states: dict[str, list[tuple[datetime, bool]]] = {}
    for reading in readings:
        if reading.present is None:
            continue
        earliest(firsts[reading.present], reading.finding, reading.effective)
        states.setdefault(reading.finding, []).append((reading.effective, reading.present))
        held = winners.get(reading.finding)
        if held is None or _precedence(reading) > _precedence(held):
            winners[reading.finding] = reading
    ordered = sorted(winners.values(), key=lambda r: r.finding)
    return Decided(
        findings={r.finding: bool(r.present) for r in ordered},
        sources=tuple(
            FindingSource(r.finding, bool(r.present), r.resource_id, r.effective) for r in ordered
        ),
        first_present_at=firsts[True],
        first_absent_at=firsts[False],
        recorded_states={code: tuple(sorted(found)) for code, found in states.items()},
    )


def earliest(times: dict[str, datetime], finding: str, when: datetime) -> None:
    """Keep in ``times`` the earliest of its time for ``finding`` and ``when``."""
    held = times.get(finding)
    if held is None or when < held:
        times[finding] = when


def winner(readings: Iterable[Reading]) -> Reading | None:
    """The definite reading that wins among readings of one finding, if any."""
    definite = (reading for reading in readings if reading.present is not None)
    return max(definite, key=_precedence, default=None)
