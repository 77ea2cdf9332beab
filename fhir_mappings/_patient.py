"""Patient sex and age (bone-stress risk)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from fhir_mappings._patient_model import Patient
from fhir_mappings._resources import instant
from fhir_mappings.record import Sex
from terminology import CodeTables

__all__ = ["age_years", "sex"]

_SEXES = frozenset({"female", "male", "other", "unknown"})


def sex(patient: Patient, tables: CodeTables) -> Sex | None:
    """Administrative gender; where missing or unknown, a sex extension (US Core birth sex)
    says it; None when nothing does."""
    gender = patient.gender if patient.gender in _SEXES else None
    if gender not in (None, "unknown"):
        return cast(Sex, gender)
    return _extension_sex(patient.extension, tables) or cast(Sex | None, gender)


def _extension_sex(extensions: object, tables: CodeTables) -> Sex | None:
    """The sex the first extension of ``patient_sex_extensions`` with a known code says."""
    for extension in extensions if isinstance(extensions, list) else ():
        if not isinstance(extension, dict):
            continue
        codes = tables.patient_sex_extensions.get(str(extension.get("url")), {})
        found = codes.get(str(extension.get("valueCode")))
        if found in _SEXES:
            return cast(Sex, found)
    return None


def age_years(patient: Patient, evaluated_at: datetime) -> int | None:
    """Completed years at ``evaluated_at``; a partial birth date counts from its first day."""
    born = instant(patient.birthDate)
    if born is None or born > evaluated_at:
        return None
    on = evaluated_at.date()
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - before_birthday
