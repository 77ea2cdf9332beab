"""One Condition to all it says: diagnoses (section 4), findings and the onset (section 3).

Each relevant Condition is validated once and read here for everything at once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from fhir_mappings import _condition_findings, _conditions
from fhir_mappings._condition_model import Condition
from fhir_mappings._observations import Reading
from fhir_mappings._onset import Onset
from fhir_mappings._resources import RawResource, codings, resource_id
from terminology import CodeTables, icd10_key

__all__ = ["Charted", "read_condition", "relevant"]


@dataclass(frozen=True)
class Charted:
    """What one Condition says about the patient."""

    diagnoses: frozenset[str] = frozenset()
    readings: tuple[Reading, ...] = ()
    onset: Onset | None = None  # a counted diagnosis of section 4 recorded within the window
    named: Onset | None = None  # the onset of a Condition an order names as its reason


def relevant(raw: RawResource, tables: CodeTables, reasons: Collection[str]) -> bool:
    """Whether a raw Condition is worth validating: one of our codes, or an order's reason."""
    if reasons and resource_id(raw) in reasons:
        return True
    return _screened(raw, tables) and (
        _conditions.names_condition(raw, tables) or _condition_findings.names_finding(raw, tables)
    )


def _screened(raw: RawResource, tables: CodeTables) -> bool:
    """A cheap first look: most of a problem list (hypertension, asthma) stops here."""
    return any(
        icd10_key(code).startswith(tables.condition_icd10_prefixes)
        if tables.in_system(system, "icd10cm")
        else (system, code) in tables.condition_screen
        for system, code in codings(raw.get("code"))
    )


def read_condition(
    condition: Condition,
    tables: CodeTables,
    *,
    evaluated_at: datetime,
    max_age: timedelta,
    reasons: Collection[str],
) -> Charted:
    """Diagnoses, findings and onsets of one validated Condition (``reasons``: the ids of
    the Conditions the orders under review name as their reason)."""
    counted = _conditions.counts(condition, tables)
    diagnoses = _conditions.condition_codes(condition, tables) if counted else set()
    began = _condition_findings.condition_onset(condition)
    return Charted(
        diagnoses=frozenset(diagnoses),
        readings=tuple(_condition_findings.readings(condition, tables, evaluated_at, max_age)),
        onset=_diagnosis_onset(
            condition,
            began,
            _condition_findings.recorded_instant(condition, tables),
            diagnosed=bool(diagnoses),
            evaluated_at=evaluated_at,
            max_age=max_age,
        ),
        named=_reason_onset(condition, began, tables, reasons),
    )


def _diagnosis_onset(
    condition: Condition,
    began: datetime | None,
    recorded: datetime | None,
    *,
    diagnosed: bool,
    evaluated_at: datetime,
    max_age: timedelta,
) -> Onset | None:
    if not diagnosed or began is None or recorded is None or evaluated_at - recorded > max_age:
        return None
    return Onset(began, condition.id)


def _reason_onset(
    condition: Condition, began: datetime | None, tables: CodeTables, reasons: Collection[str]
) -> Onset | None:
    """The onset of an order's reason Condition, unless refuted or entered in error."""
    verification = _condition_findings.status_codes(condition.verificationStatus)
    excluded = verification & tables.condition_verification_excluded
    if began is None or condition.id not in reasons or excluded:
        return None
    return Onset(began, condition.id)
