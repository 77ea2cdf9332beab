"""The R4 Observation as far as the mapper reads it, validated by R4's rules.

A full ``fhir.resources`` Observation costs about 50 µs to validate, most of it in Python
validators that walk every one of the model's ~100 fields on every nested element. This
model declares only the elements the mapper reads, plus the other choices of ``effective[x]``
and ``value[x]`` (so that two choices at once are still rejected). Primitives use the very
types of ``fhir.resources`` (``fhir_core.types``), so a status, code, id or date is accepted
or refused exactly as before; rarely present elements that are not read (a Quantity, a
Period, ...) are validated with the ``fhir.resources`` R4B element models themselves.
Elements not declared here are ignored rather than validated: a relevant Observation is
rejected when what we read from it is malformed, not for an unread part such as its subject.
About ten times cheaper than the full model.
"""

from __future__ import annotations

from typing import Literal

from fhir.resources.R4B.period import Period
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.range import Range
from fhir.resources.R4B.ratio import Ratio
from fhir.resources.R4B.sampleddata import SampledData
from fhir.resources.R4B.timing import Timing
from fhir_core.types import (
    CodeType,
    DateTimeType,
    IdType,
    InstantType,
    IntegerType,
    StringType,
    TimeType,
    UriType,
)
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationInfo,
    field_validator,
    model_validator,
)

__all__ = [
    "VALUE_ELEMENTS",
    "CodeableConcept",
    "Coding",
    "Element",
    "Observation",
    "ObservationComponent",
    "PrimitiveExtension",
    "one_choice",
]

_EFFECTIVE = frozenset(
    {"effectiveDateTime", "effectivePeriod", "effectiveTiming", "effectiveInstant"}
)
# Observation.value[x] choices of R4: any of them set means "a value was given".
VALUE_ELEMENTS = frozenset(
    {
        "valueQuantity",
        "valueCodeableConcept",
        "valueString",
        "valueBoolean",
        "valueInteger",
        "valueRange",
        "valueRatio",
        "valueSampledData",
        "valueTime",
        "valueDateTime",
        "valuePeriod",
    }
)


def one_choice(data: object, choice: str, names: frozenset[str]) -> object:
    """R4: a choice element nnn[x] holds at most one of its types."""
    if isinstance(data, dict) and len(present := data.keys() & names) > 1:
        given = sorted(name for name in present if data[name] is not None)
        if len(given) > 1:
            raise ValueError(f"{choice} holds more than one value: {', '.join(given)}")
    return data


class Element(BaseModel):
    """Read-only, and unknown elements ignored: real EHR data carries many."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class PrimitiveExtension(Element):
    """The "_element" sibling of a primitive: extensions instead of (or beside) a value."""

    id: StringType | None = None
    extension: list[dict[str, JsonValue]] | None = None
    fhir_comments: list[StringType] | str | None = None

    @model_validator(mode="after")
    def _says_something(self) -> PrimitiveExtension:
        if not self.extension and not self.fhir_comments:
            raise ValueError("a primitive's extension element needs extension or fhir_comments")
        return self


class Coding(Element):
    """R4 Coding."""

    system: UriType | None = None
    version: StringType | None = None
    code: CodeType | None = None
    display: StringType | None = None
    userSelected: bool | None = None  # noqa: N815 - the FHIR element name


class CodeableConcept(Element):
    """R4 CodeableConcept."""

    coding: list[Coding] | None = None
    text: StringType | None = None


class _Valued(Element):
    """The value[x], interpretation and dataAbsentReason shared by Observation and component."""

    valueQuantity: Quantity | None = None  # noqa: N815 - FHIR element names from here on
    valueCodeableConcept: CodeableConcept | None = None  # noqa: N815
    valueString: StringType | None = None  # noqa: N815
    valueBoolean: bool | None = None  # noqa: N815
    valueInteger: IntegerType | None = None  # noqa: N815
    valueRange: Range | None = None  # noqa: N815
    valueRatio: Ratio | None = None  # noqa: N815
    valueSampledData: SampledData | None = None  # noqa: N815
    valueTime: TimeType | None = None  # noqa: N815
    valueDateTime: DateTimeType | None = None  # noqa: N815
    valuePeriod: Period | None = None  # noqa: N815
    interpretation: list[CodeableConcept] | None = None
    dataAbsentReason: CodeableConcept | None = None  # noqa: N815

    @model_validator(mode="before")
    @classmethod
    def _one_value(cls, data: object) -> object:
        return one_choice(data, "value[x]", VALUE_ELEMENTS)


class ObservationComponent(_Valued):
    """R4 Observation.component."""

    code: CodeableConcept | None  # required, yet null is let through, as fhir.resources does


class Observation(_Valued):
    """R4 Observation: the elements the mapper reads."""

    resourceType: Literal["Observation"]  # noqa: N815
    id: IdType | None = None
    # Before status: its validator reads it. R4 lets a required primitive be absent when
    # its "_status" sibling carries extensions instead.
    status_extension: PrimitiveExtension | None = Field(default=None, alias="_status")
    status: CodeType | None = Field(default=None, validate_default=True)
    code: CodeableConcept | None  # required, yet null is let through, as fhir.resources does
    effectiveDateTime: DateTimeType | None = None  # noqa: N815
    effectivePeriod: Period | None = None  # noqa: N815
    effectiveTiming: Timing | None = None  # noqa: N815
    effectiveInstant: InstantType | None = None  # noqa: N815
    issued: InstantType | None = None
    component: list[ObservationComponent] | None = None

    @model_validator(mode="before")
    @classmethod
    def _one_effective(cls, data: object) -> object:
        return one_choice(data, "effective[x]", _EFFECTIVE)

    @field_validator("status")
    @classmethod
    def _status_given(cls, status: str | None, info: ValidationInfo) -> str | None:
        extension = info.data.get("status_extension")
        if status is None and (extension is None or not extension.extension):
            raise ValueError("status is required")
        return status
