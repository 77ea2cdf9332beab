"""The R4 Patient as far as the mapper reads it: sex and birth date, validated by R4's rules.

An EHR's Patient carries names, identifiers, addresses, contacts and extensions. The full
``fhir.resources`` model validates all of them (about 50 µs for a modest record) and refuses
the whole Patient for a malformed phone number, which would cost the differential the
patient's sex and age. Like :mod:`fhir_mappings._observation_model`, this model declares only
the elements read, with the very primitive types of ``fhir.resources``, so a gender or birth
date is accepted or refused exactly as before; everything else is ignored.
"""

from __future__ import annotations

from typing import Literal

from fhir_core.types import CodeType, DateType, IdType
from pydantic import Field, JsonValue

from fhir_mappings._observation_model import Element, PrimitiveExtension

__all__ = ["Patient"]


class Patient(Element):
    """R4 Patient: the elements the mapper reads."""

    resourceType: Literal["Patient"]  # noqa: N815 - the FHIR element name
    id: IdType | None = None
    gender: CodeType | None = None
    gender_extension: PrimitiveExtension | None = Field(default=None, alias="_gender")
    birthDate: DateType | None = None  # noqa: N815 - the FHIR element name
    birth_date_extension: PrimitiveExtension | None = Field(default=None, alias="_birthDate")
    # Read leniently (any JSON): a malformed race extension must not cost the age and sex.
    extension: JsonValue = None
