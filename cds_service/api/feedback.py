"""``POST /cds-services/<id>/feedback``: what clinicians did with our cards (CDS Hooks 2.0)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from flask import Blueprint, Response, current_app, jsonify
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from pydantic import ValidationInfo as Info
from pydantic_core import PydanticCustomError

from cds_service.api.request_body import request_body
from cds_service.auth.caller import caller_issuer
from cds_service.errors import ServiceError
from cds_service.hooks.services import find_service
from cds_service.runtime import runtime
from cds_service.store import (
    Feedback,
    ForeignCardError,
    StoreBusyError,
    StoreError,
    store_of,
)

__all__ = [
    "MAX_FEEDBACK_ENTRIES",
    "FeedbackEntryModel",
    "FeedbackNotStoredError",
    "FeedbackRequest",
    "ForeignCardFeedbackError",
    "InvalidFeedbackError",
]

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
_MAX_ERRORS = 10


def _no_nul(value: str) -> str:
    # PostgreSQL text cannot hold NUL: refuse it here (400) rather than fail to store (503).
    if "\x00" in value:
        raise PydanticCustomError("feedback", "must not contain NUL characters")
    return value


_NoNul = AfterValidator(_no_nul)
Text = Annotated[str, Field(min_length=1, max_length=500), _NoNul]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ReasonCoding(_Model):
    """A FHIR Coding; the sandbox sends only ``code`` and ``system`` for dismissals."""

    code: Annotated[str, Field(min_length=1, max_length=200), _NoNul]
    system: Text | None = None
    display: Text | None = None


class OverrideReason(_Model):
    """Why a clinician overrode a card."""

    reason: ReasonCoding | None = None
    userComment: Annotated[str, Field(max_length=10_000), _NoNul] | None = None  # noqa: N815


# CDS Hooks types card and suggestion ids as strings (issue 26: non-UUIDs were refused); a
# card id longer than the column holds (64) cannot be one of ours.
CardId = Annotated[str, Field(min_length=1, max_length=64), _NoNul]
SuggestionId = Annotated[str, Field(min_length=1, max_length=100), _NoNul]


class AcceptedSuggestion(_Model):
    """A suggestion of the card the clinician accepted."""

    id: SuggestionId


class FeedbackEntryModel(_Model):
    """One entry of a feedback request."""

    card: CardId
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = Field(  # noqa: N815
        default=None, validate_default=True, max_length=100
    )
    overrideReason: OverrideReason | None = Field(default=None, validate_default=True)  # noqa: N815
    outcomeTimestamp: datetime  # noqa: N815

    @field_validator("acceptedSuggestions")
    @classmethod
    def _suggestions_iff_accepted(
        cls, value: list[AcceptedSuggestion] | None, info: Info
    ) -> list[AcceptedSuggestion] | None:
        outcome = info.data.get("outcome")
        if outcome == "accepted" and value is None:
            raise PydanticCustomError("feedback", "required when outcome is 'accepted'")
        if outcome == "accepted" and not value:
            raise PydanticCustomError(
                "feedback",
                "is empty: an accepted card names the suggestion(s) accepted, "
                "e.g. [{'id': '<suggestion uuid>'}]",
            )
        if outcome == "overridden" and value is not None:
            raise PydanticCustomError("feedback", "allowed only when outcome is 'accepted'")
        return value

    @field_validator("overrideReason")
    @classmethod
    def _reason_only_if_overridden(
        cls, value: OverrideReason | None, info: Info
    ) -> OverrideReason | None:
        if info.data.get("outcome") == "accepted" and value is not None:
            raise PydanticCustomError("feedback", "allowed only when outcome is 'overridden'")
        return value

    @field_validator("outcomeTimestamp", mode="before")
    @classmethod
    def _iso_8601(cls, value: Any) -> Any:
        # pydantic would also take epoch numbers; CDS Hooks says ISO 8601.
        if not isinstance(value, str) or not _ISO_DATETIME.match(value):
            raise PydanticCustomError("feedback", "must be an ISO 8601 date and time")
        return value

    @field_validator("outcomeTimestamp")
    @classmethod
    def _in_utc_range(cls, value: datetime) -> datetime:
        # "9999-12-31T23:59-23:59" parses, but is past the last instant UTC can express.
        try:
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError:
            raise PydanticCustomError("feedback", "is out of range") from None

    def to_feedback(self) -> Feedback:
        """The store's form of this entry; a timestamp without offset is taken as UTC."""
        coding = self.overrideReason.reason if self.overrideReason else None
        return Feedback(
            card_uuid=self.card,
            outcome=self.outcome,
            outcome_timestamp=self.outcomeTimestamp,  # in UTC since validation
            accepted_suggestions=tuple(s.id for s in self.acceptedSuggestions or ()),
            override_reason_code=coding.code if coding else None,
            override_reason_system=coding.system if coding else None,
            override_reason_display=coding.display if coding else None,
            user_comment=self.overrideReason.userComment if self.overrideReason else None,
        )


# One request reports on the cards of one hook call, a handful: more is not a clinician.
MAX_FEEDBACK_ENTRIES = 100


class FeedbackRequest(_Model):
    """The body of a feedback request."""

    feedback: list[FeedbackEntryModel] = Field(max_length=MAX_FEEDBACK_ENTRIES)


# Full paths, no url_prefix: Flask would collapse the "//" of the sandbox's URL.
feedback = Blueprint("feedback", __name__)


class InvalidFeedbackError(ServiceError):
    """One or more entries are invalid; the message names each entry and field."""

    status = 400


class FeedbackNotStoredError(ServiceError):
    """The database did not take the feedback; the EHR may send it again."""

    status = 503
    retry_after_s = 2  # the write gate's back-off after a failure


class ForeignCardFeedbackError(ServiceError):
    """Feedback on a card this caller was not shown (issue 24): refused, nothing stored."""

    status = 403


@feedback.post("/cds-services/<service_id>/feedback")
# The sandbox builds "{discovery URL}/{id}", so a discovery URL typed with "/" gives "//id".
@feedback.post("/cds-services//<service_id>/feedback")
def receive_feedback(service_id: str) -> tuple[Response, int]:
    """Validate every entry, then store all of them in one transaction, or none."""
    service = find_service(service_id, runtime().services)  # 404 for an unknown id
    try:
        body = FeedbackRequest.model_validate_json(request_body())
    except ValidationError as exc:
        messages = [_describe(error) for error in exc.errors()[:_MAX_ERRORS]]
        raise InvalidFeedbackError("; ".join(messages)) from None
    entries = [e.to_feedback() for e in body.feedback]
    try:
        store_of(current_app).save_feedback(service.id, entries, issuer=caller_issuer())
    except ForeignCardError as exc:
        where = ", ".join(f"feedback[{position}].card" for position in exc.positions)
        raise ForeignCardFeedbackError(
            f"{where}: not a card this service showed to the calling EHR; nothing was stored"
        ) from None
    except StoreBusyError:
        # Not tried: refused at once so the threads stay free for hook calls.
        raise FeedbackNotStoredError("feedback could not be stored now, try again later") from None
    except StoreError as exc:
        # The cause's class only: the driver's message quotes the values, comments included.
        cause = type(exc.__cause__ or exc).__name__
        current_app.logger.error("feedback for %s not stored (%s)", service.id, cause)
        raise FeedbackNotStoredError("feedback could not be stored, try again later") from None
    for listener in runtime().feedback_listeners:
        for entry in body.feedback:
            listener(service.id, entry.outcome)
    return jsonify({}), 200


def _describe(error: Any) -> str:
    if error["type"] == "json_invalid":
        return "body: not valid JSON"
    return f"{_path(error['loc'])}: {error['msg']}"


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path.lstrip(".") or "body"
