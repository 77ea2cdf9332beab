"""The patient banner the app shows when the launch asks for one (``need_patient_banner``).

The app writes to the record, so the clinician must see whose record it is: name, birth
date and sex, from the Patient resource the EHR gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Banner", "banner_for"]

_SEX = {"male": "male", "female": "female", "other": "other", "unknown": "sex unknown"}


@dataclass(frozen=True)
class Banner:
    """Whose record the app is working on."""

    name: str
    birth_date: str
    sex: str


def banner_for(patient: dict[str, Any] | None) -> Banner:
    """The banner of ``patient``; each part the record lacks says so."""
    patient = patient or {}
    birth = patient.get("birthDate")
    gender = patient.get("gender")
    return Banner(
        name=_name(patient) or "name not recorded",
        birth_date=birth if isinstance(birth, str) and birth else "birth date not recorded",
        sex=_SEX.get(gender, "sex not recorded") if isinstance(gender, str) else "sex not recorded",
    )


def _name(patient: dict[str, Any]) -> str | None:
    names = patient.get("name") or []
    first = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    if isinstance(first.get("text"), str):
        return str(first["text"])
    given = " ".join(g for g in first.get("given") or [] if isinstance(g, str))
    family = first.get("family") if isinstance(first.get("family"), str) else ""
    return " ".join(part for part in (given, family) if part) or None
