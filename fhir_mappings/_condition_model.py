"""The R4 Condition as far as the mapper reads it, validated by R4's rules.

Since a problem list's risk factors count (contract section 3, 12-06), many more Conditions
are read than the few diagnoses of section 4; the full ``fhir.resources`` Condition costs
about 100 µs each to validate. Like :mod:`fhir_mappings._observation_model`, this model
declares only the elements read, plus the other choices of ``onset[x]`` (two at once are
still refused), with the very primitive and element types of ``fhir.resources``, so what is
read is accepted or refused exactly as before; unread elements are ignored.
"""

from __future__ import annotations

from typing import Literal

from fhir.resources.R4B.age import Age
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.range import Range
from fhir_core.types import DateTimeType, IdType, StringType
from pydantic import JsonValue, model_validator

from fhir_mappings._observation_model import CodeableConcept, Element, one_choice

__all__ = ["CodeableConcept", "Condition"]

_ONSET = frozenset({"onsetDateTime", "onsetAge", "onsetPeriod", "onsetRange", "onsetString"})


class Condition(Element):
    """R4 Condition: the elements the mapper reads."""

    resourceType: Literal["Condition"]  # noqa: N815 - FHIR element names from here on
    id: IdType | None = None
    clinicalStatus: CodeableConcept | None = None  # noqa: N815
    verificationStatus: CodeableConcept | None = None  # noqa: N815
    code: CodeableConcept | None = None
    onsetDateTime: DateTimeType | None = None  # noqa: N815
    onsetAge: Age | None = None  # noqa: N815
    onsetPeriod: Period | None = None  # noqa: N815
    onsetRange: Range | None = None  # noqa: N815
    onsetString: StringType | None = None  # noqa: N815
    recordedDate: DateTimeType | None = None  # noqa: N815
    # Read leniently (any JSON): only a dating extension is looked at, and a malformed
    # extension of another kind must not cost the Condition.
    extension: JsonValue = None

    @model_validator(mode="before")
    @classmethod
    def _one_onset(cls, data: object) -> object:
        return one_choice(data, "onset[x]", _ONSET)
