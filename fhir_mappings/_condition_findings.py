"""Conditions that state a finding (contract section 3, 12-06).

A risk factor or symptom on the problem list (osteoporosis, a cancer, post-partum state, low
back pain) is a finding present, dated at the Condition's ``recordedDate`` (else its onset).
Current states count while clinically active (symptoms also when an encounter diagnosis gives
no clinical status), histories whatever their clinical status, and
a healed stress fracture counts as a prior one. Which findings, codes and statuses: the
``condition_findings`` table of ``codes.json``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from fhir_core.types import DateTimeType
from pydantic import TypeAdapter, ValidationError

from fhir_mappings._condition_model import CodeableConcept, Condition
from fhir_mappings._observations import Reading
from fhir_mappings._resources import RawResource, codings, instant
from terminology import CodeTables, HistoryOf, icd10_key

__all__ = ["condition_onset", "names_finding", "readings", "recorded_instant", "status_codes"]

_DATE_TIME: TypeAdapter[object] = TypeAdapter(DateTimeType)
_RANK = 1  # a Condition ranks with a questionnaire answer at the same instant, under final
# When an undated history counts: before every dated record, so any of them wins over it.
_UNDATED = datetime.min.replace(tzinfo=UTC)


def names_finding(raw: RawResource, tables: CodeTables) -> bool:
    """Whether a raw Condition is coded with a finding a Condition can state (cheap)."""
    return any(
        next(_stated(system, code, tables), None) for system, code in codings(raw.get("code"))
    )


# What a coding states: a finding, and the history rule that matched it (None: its own code).
Stated = tuple[str, HistoryOf | None]


def _stated(system: str, code: str, tables: CodeTables) -> Iterator[Stated]:
    """The findings one coding of a Condition can state, by the finding's codes or a rule."""
    rules = tables.condition_findings
    if tables.in_system(system, "icd10cm"):
        key = icd10_key(code)
        if not key.startswith(rules.icd10_prefixes):
            return  # most of a problem list: decided at once
        yield from ((finding, None) for finding, pattern in rules.icd10cm if pattern.matches(key))
        for history in rules.history_of:
            if any(pattern.matches(key) for pattern in history.icd10cm):
                yield history.finding, history
        return
    named = tables.finding_by_coding.get((system, code))
    if named in rules.findings:
        yield named, None
    if tables.in_system(system, "snomed"):
        yield from ((h.finding, h) for h in rules.history_of if code in h.snomed)


def status_codes(concept: CodeableConcept | None) -> frozenset[str]:
    """The codes of a status CodeableConcept (clinical or verification status)."""
    return frozenset(str(coding.code) for coding in (concept.coding or [] if concept else []))


def condition_onset(condition: Condition) -> datetime | None:
    """``onsetDateTime``, else ``onsetPeriod.start``."""
    period = condition.onsetPeriod
    return instant(condition.onsetDateTime) or (instant(period.start) if period else None)


def recorded_instant(condition: Condition, tables: CodeTables) -> datetime | None:
    """When the Condition is dated: its ``recordedDate``, else a dating extension (US Core's
    assertedDate), else its onset."""
    return (
        instant(condition.recordedDate)
        or _extension_date(condition, tables)
        or condition_onset(condition)
    )


def _extension_date(condition: Condition, tables: CodeTables) -> datetime | None:
    """The first valid ``valueDateTime`` of a dating extension (``condition_date_extensions``)."""
    extensions = condition.extension if isinstance(condition.extension, list) else []
    for extension in extensions:
        if isinstance(extension, dict) and extension.get("url") in tables.condition_date_extensions:
            try:
                return instant(_DATE_TIME.validate_python(extension.get("valueDateTime")))
            except ValidationError:
                continue  # a malformed date dates nothing; the Condition still counts
    return None


def readings(
    condition: Condition, tables: CodeTables, evaluated_at: datetime, max_age: timedelta
) -> list[Reading]:
    """The findings the Condition states present; none when refuted or in error. Undated,
    histories and current states that are not time-limited count, as older than any dated
    record."""
    dated = recorded_instant(condition, tables)
    verification = status_codes(condition.verificationStatus)
    if verification & tables.condition_verification_excluded:
        return []
    clinical = status_codes(condition.clinicalStatus)
    stated = {
        pair
        for coding in (condition.code.coding or [] if condition.code else [])
        for pair in _stated(str(coding.system), str(coding.code), tables)
    }
    found = {
        finding
        for finding, history in stated
        if _counts(finding, history, clinical, tables)
        and (
            _young_enough(
                finding, condition, dated, tables, evaluated_at=evaluated_at, max_age=max_age
            )
            if dated is not None
            else _counts_undated(finding, history, tables)
        )
    }
    at = dated or _UNDATED
    return [Reading(finding, True, condition.id, at, _RANK) for finding in sorted(found)]


def _counts_undated(finding: str, history: HistoryOf | None, tables: CodeTables) -> bool:
    """A history by nature (a cancer, a healed stress fracture), or a current state that is
    not time-limited (osteoporosis, active on the list): its date does not matter. Symptoms
    need the window, post-partum its 12 months."""
    rules = tables.condition_findings
    return (
        history is not None
        or finding in rules.histories
        or (finding in rules.current and finding not in rules.max_age_months)
    )


def _counts(
    finding: str, history: HistoryOf | None, clinical: frozenset[str], tables: CodeTables
) -> bool:
    """Whether the stated finding counts under the Condition's clinical status."""
    if history is not None:
        return bool(clinical & history.clinical) or (history.without_status and not clinical)
    rules = tables.condition_findings
    if finding in rules.histories:
        return True
    if not clinical and rules.symptoms_without_status and finding in rules.symptoms:
        return True  # an encounter diagnosis (no clinical status): the symptom of that visit
    return bool(clinical & tables.condition_clinical_counted)


def _young_enough(
    finding: str,
    condition: Condition,
    dated: datetime,
    tables: CodeTables,
    *,
    evaluated_at: datetime,
    max_age: timedelta,
) -> bool:
    """Symptoms count within the observation window; time-limited states (post-partum, 12
    months after childbirth) while younger than their limit, counted from the onset."""
    rules = tables.condition_findings
    if finding in rules.symptoms and evaluated_at - dated > max_age:
        return False
    months = rules.max_age_months.get(finding)
    if months is None:
        return True
    began = condition_onset(condition) or dated
    return evaluated_at < _months_later(began, months)


def _months_later(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months later (the month's last day if shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )
