"""Data dated after the evaluation time is unreadable (review 10, item 11).

An Observation effective two years from now, or in 9999, is a data error (a mistyped
year, a clock set wrong, a test record): read as the newest, it would hide yesterday's
real record. So a resource whose clinical time lies later than the evaluation time plus
:data:`CLOCK_SKEW` is left out and reported as a :class:`~fhir_mappings.record.DataProblem`,
as other unreadable resources are, so that the card says some data could not be read.
Only the time the record is dated by counts: an ongoing period's end ("9999-12-31", a
planned stay) or a second, mistyped date beside a current one does not make current data
future (the 10c review found a fever whose period ran to 9999 dropped).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from fhir_mappings.record import DataProblem

__all__ = ["CLOCK_SKEW", "DATED_IN_THE_FUTURE", "beyond", "future_problem"]

# How far ahead of the evaluation time a record may be dated and still count. A day, since
# the EHR's clock and ours may disagree by minutes, and a date without a time ("2026-12-07",
# read as midnight UTC) written where the local day is already tomorrow (east of UTC, up
# to 14 hours ahead) is today's record there. An estimate, not a published figure.
CLOCK_SKEW = timedelta(hours=24)
# The reason of every problem this module reports (never the date itself).
DATED_IN_THE_FUTURE = "dated after the evaluation time"


def beyond(when: datetime | None, evaluated_at: datetime | None) -> bool:
    """Whether ``when`` lies beyond ``evaluated_at`` plus the skew (never, without both)."""
    return when is not None and evaluated_at is not None and when > evaluated_at + CLOCK_SKEW


def future_problem(
    resource_type: str, resource_id: str | None, when: datetime | None, evaluated_at: datetime
) -> DataProblem | None:
    """The problem to report when ``when`` lies beyond ``evaluated_at`` plus the skew."""
    if not beyond(when, evaluated_at):
        return None
    return DataProblem(resource_type, resource_id, DATED_IN_THE_FUTURE)
