"""Patient sex and age (bone-stress risk)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from fhir_mappings._patient_model import Patient
from fhir_mappings._resources import instant
from fhir_mappings.record import Sex

__all__ = ["age_years", "sex"]

_SEXES = frozenset({"female", "male", "other", "unknown"})


def sex(patient: Patient) -> Sex | None:
    """Administrative gender, or None when not recorded."""
    gender = patient.gender
    return cast(Sex, gender) if gender in _SEXES else None


def age_years(patient: Patient, evaluated_at: datetime) -> int | None:
    """Completed years at ``evaluated_at``; a partial birth date counts from its first day."""
    born = instant(patient.birthDate)
    if born is None or born > evaluated_at:
        return None
    on = evaluated_at.date()
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - before_birthday
