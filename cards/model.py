"""Typed CDS Hooks 2.0 response: an invalid card cannot be built.

Pure data and validators. Every model serialises without null or empty elements
(:meth:`CdsModel.to_json`), as CDS Hooks asks; the contents of ``extension`` and of an
action's FHIR ``resource`` are opaque JSON and are kept exactly as given.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from cards._ids import new_uuid

__all__ = [
    "Action",
    "ActionType",
    "Card",
    "CdsModel",
    "CdsResponse",
    "Coding",
    "Indicator",
    "Link",
    "LinkType",
    "SelectionBehavior",
    "Source",
    "Suggestion",
]

SUMMARY_MAX_CHARS = 139  # the spec says "<140-character"

# A relative reference such as "ServiceRequest/xr-1" (FHIR id: 1-64 of [A-Za-z0-9-.]).
_RELATIVE_REFERENCE = re.compile(r"^[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}$")


def _absolute_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError("must be an absolute http(s) URL")
    return value


Text = Annotated[str, StringConstraints(min_length=1)]
AbsoluteUrl = Annotated[str, AfterValidator(_absolute_url)]
Summary = Annotated[
    str, StringConstraints(min_length=1, max_length=SUMMARY_MAX_CHARS, pattern=r"^[^\r\n]+$")
]
# Extensions and FHIR resources are built by this package from plain JSON data (and the
# resources validated with fhir.resources): checking every nested node again with
# ``JsonValue`` cost more than the rest of a card, so only the outer object is checked.
JsonObject = dict[str, Any]


_CONTAINERS = frozenset({tuple, list, dict})


def _is_empty(value: object) -> bool:
    return value is None or (not value and type(value) in _CONTAINERS)


def _may_hold_container(annotation: object) -> bool:
    """Whether a field of this type can hold a tuple, list or dict (which may be empty)."""
    if get_origin(annotation) in _CONTAINERS or annotation in _CONTAINERS:
        return True
    return any(_may_hold_container(member) for member in get_args(annotation))


class Indicator(StrEnum):
    """Urgency of a card, in increasing order."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class SelectionBehavior(StrEnum):
    """How many of a card's suggestions the user may choose."""

    AT_MOST_ONE = "at-most-one"
    ANY = "any"


class ActionType(StrEnum):
    """What a suggested action does to its FHIR resource."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class LinkType(StrEnum):
    """An ordinary web link, or a SMART app launch."""

    ABSOLUTE = "absolute"
    SMART = "smart"


class CdsModel(BaseModel):
    """Base of every CDS Hooks element: immutable, no unknown keys, no empty output."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )
    # Fields that are REQUIRED by the spec even when empty (e.g. ``cards: []``).
    _keep_empty: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Leave out every empty optional element when serialising.

        Null elements are left out by :meth:`to_json` (``exclude_none``, done by pydantic
        itself); empty lists and objects by a per-field ``exclude_if``, set only on fields
        that can hold one, since each check is a call back into Python.
        """
        super().__pydantic_init_subclass__(**kwargs)
        for name, field in cls.model_fields.items():
            optional = name not in cls._keep_empty and not field.is_required()
            if optional and _may_hold_container(field.annotation):
                field.exclude_if = _is_empty
        cls.model_rebuild(force=True)

    def to_json(self) -> dict[str, Any]:
        """The element as JSON-ready data, without null or empty elements."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class Coding(CdsModel):
    """A code in a code system (CDS Hooks' trimmed FHIR Coding)."""

    system: Text
    code: Text
    display: Text | None = None


class Source(CdsModel):
    """Where the guidance on a card comes from."""

    label: Text
    url: AbsoluteUrl | None = None
    icon: AbsoluteUrl | None = None
    topic: Coding | None = None


class Link(CdsModel):
    """A link the user may follow for more, or a SMART app to launch."""

    label: Text
    url: AbsoluteUrl
    type: LinkType
    app_context: Text | None = Field(default=None, alias="appContext")
    # CDS Hooks 3.0 (ballot): the EHR may open this SMART app without a click.
    autolaunchable: bool | None = None

    @model_validator(mode="after")
    def _app_context_only_for_smart(self) -> Self:
        if self.app_context is not None and self.type is not LinkType.SMART:
            raise ValueError("appContext is valid only for smart links")
        if self.autolaunchable is not None and self.type is not LinkType.SMART:
            raise ValueError("autolaunchable is valid only for smart links")
        return self


class Action(CdsModel):
    """One change to a FHIR resource: create or update carry it, delete names it."""

    type: ActionType
    description: Text
    resource: JsonObject | None = None
    resource_id: str | None = Field(default=None, alias="resourceId")

    @model_validator(mode="after")
    def _resource_matches_type(self) -> Self:
        if self.type is ActionType.DELETE:
            if self.resource is not None:
                raise ValueError("a delete action names its target in resourceId, not resource")
            if self.resource_id is None or not _RELATIVE_REFERENCE.match(self.resource_id):
                raise ValueError("a delete action needs resourceId like 'ServiceRequest/<id>'")
            return self
        if self.resource is None or not isinstance(self.resource.get("resourceType"), str):
            raise ValueError(f"a {self.type} action needs a FHIR resource with resourceType")
        if self.type is ActionType.UPDATE and not isinstance(self.resource.get("id"), str):
            raise ValueError("an update action needs the resource's id")
        return self


class Suggestion(CdsModel):
    """A set of actions the user can accept with one click."""

    label: Text
    uuid: Text = Field(default_factory=new_uuid)
    is_recommended: bool | None = Field(default=None, alias="isRecommended")
    actions: tuple[Action, ...] = ()


class Card(CdsModel):
    """One piece of decision support shown to the clinician."""

    uuid: Text = Field(default_factory=new_uuid)
    summary: Summary
    detail: Text | None = None  # GitHub-flavoured Markdown
    indicator: Indicator
    source: Source
    suggestions: tuple[Suggestion, ...] = ()
    selection_behavior: SelectionBehavior | None = Field(default=None, alias="selectionBehavior")
    override_reasons: tuple[Coding, ...] = Field(default=(), alias="overrideReasons")
    links: tuple[Link, ...] = ()
    extension: JsonObject | None = None

    @model_validator(mode="after")
    def _suggestions_are_well_formed(self) -> Self:
        if self.suggestions and self.selection_behavior is None:
            raise ValueError("selectionBehavior is required whenever there are suggestions")
        recommended = sum(1 for s in self.suggestions if s.is_recommended)
        if self.selection_behavior is SelectionBehavior.AT_MOST_ONE and recommended > 1:
            raise ValueError("at most one suggestion may be recommended with 'at-most-one'")
        if len({s.uuid for s in self.suggestions}) != len(self.suggestions):
            raise ValueError("suggestion uuids must be unique within a card")
        return self

    @model_validator(mode="after")
    def _override_reasons_have_display(self) -> Self:
        if any(reason.display is None for reason in self.override_reasons):
            raise ValueError("every override reason needs a display")
        return self


class CdsResponse(CdsModel):
    """The body of a CDS service's answer: cards, and actions to auto-apply."""

    _keep_empty: ClassVar[frozenset[str]] = frozenset({"cards"})

    cards: tuple[Card, ...] = ()
    system_actions: tuple[Action, ...] = Field(default=(), alias="systemActions")
    # CDS Hooks 2.0 reserves `extension` for such uses: ours repeats `systemActions`.
    extension: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """The answer as JSON; system actions also under ``extension.systemActions``, where
        the public sandbox (older than CDS Hooks 2.0) reads them (contract section 5)."""
        data = super().to_json()
        if "systemActions" in data:
            data["extension"] = {"systemActions": data["systemActions"]}
        return data
