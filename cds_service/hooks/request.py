"""The CDS Hooks 2.0 request, parsed and validated with pydantic (contract section 6).

Errors name the field (``context.patientId``) and never repeat the value sent: a value
may be an access token or patient data.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from cds_service.errors import InvalidRequestError
from cds_service.hooks.prefetch_templates import PREFETCH_TEMPLATES
from cds_service.hooks.request_json import decode_hook_call
from fhir_mappings import DraftOrdersError, draft_order_entries

__all__ = [
    "FhirAuthorization",
    "HookContext",
    "HookRequest",
    "OrderContext",
    "OrderSelectContext",
    "ServiceCalled",
    "parse_hook_request",
]

_Text = Field(min_length=1)
_PREFETCH_KEYS = tuple(PREFETCH_TEMPLATES)


class _Lenient(BaseModel):
    # CDS Hooks allows extensions and fields of later versions: keep them, check ours.
    model_config = ConfigDict(extra="allow", strict=True)


class FhirAuthorization(_Lenient):
    """The OAuth 2.0 token the service may use against ``fhirServer``."""

    access_token: SecretStr = Field(min_length=1)  # SecretStr: never printed by accident
    token_type: Literal["Bearer", "bearer"]
    expires_in: int | None = None
    scope: str | None = None
    subject: str | None = None


class HookContext(_Lenient):
    """Context of ``patient-view``; the order hooks add their own fields."""

    patientId: str = _Text  # noqa: N815 - CDS Hooks field name
    userId: str | None = None  # noqa: N815 - CDS Hooks field name
    encounterId: str | None = None  # noqa: N815 - CDS Hooks field name


class OrderContext(HookContext):
    """Context of ``order-sign``: the draft orders as a FHIR Bundle."""

    draftOrders: dict[str, Any]  # noqa: N815 - CDS Hooks field name

    @field_validator("draftOrders", mode="before")
    @classmethod
    def _is_a_bundle(cls, value: object) -> object:
        # Checked here so that a malformed call is refused before any FHIR server is asked;
        # an array of orders (some EHRs send one) becomes the Bundle it stands for.
        try:
            entries = draft_order_entries(value)
        except DraftOrdersError as error:
            raise ValueError(f"must be a FHIR Bundle with a list of entries ({error})") from None
        return value if isinstance(value, dict) else {"resourceType": "Bundle", "entry": entries}


class OrderSelectContext(OrderContext):
    """Context of ``order-select``: the draft orders and which of them were selected."""

    selections: list[str]


class HookRequest(_Lenient):
    """A CDS Hooks 2.0 hook call."""

    hook: str = _Text
    hookInstance: str = _Text  # noqa: N815 - CDS Hooks field name
    fhirServer: str | None = None  # noqa: N815 - CDS Hooks field name
    fhirAuthorization: FhirAuthorization | None = None  # noqa: N815 - CDS Hooks field name
    context: HookContext
    # A key with value None means "no data" (contract section 2): keep the distinction.
    prefetch: dict[str, dict[str, Any] | None] | None = None

    @property
    def patient_id(self) -> str:
        """The patient the hook is about."""
        return self.context.patientId

    @property
    def access_token(self) -> str | None:
        """The bearer token for ``fhirServer``, if one came."""
        auth = self.fhirAuthorization
        return auth.access_token.get_secret_value() if auth else None


class ServiceCalled(Protocol):
    """What the parser needs of the service called (its declaration)."""

    @property
    def id(self) -> str: ...
    @property
    def hook(self) -> str: ...
    @property
    def context(self) -> type[HookContext]: ...


def parse_hook_request(body: bytes, service: ServiceCalled) -> HookRequest:
    """Parse and validate a hook call to ``service``; raise :class:`InvalidRequestError`."""
    document = _json_object(body)
    hook = document.get("hook")
    if hook is None:
        raise InvalidRequestError("hook", "is required")
    if hook != service.hook:
        raise InvalidRequestError("hook", f"service {service.id} answers {service.hook!r} only")
    try:
        request = HookRequest.model_validate(document)
    except ValidationError as exc:
        raise InvalidRequestError(*_first_problem(exc, "", service.context)) from None
    try:
        # The context's fields depend on the hook, so it is validated on its own.
        request.context = service.context.model_validate(document["context"])
    except ValidationError as exc:
        raise InvalidRequestError(*_first_problem(exc, "context.", service.context)) from None
    if request.fhirAuthorization is not None and request.fhirServer is None:
        raise InvalidRequestError("fhirAuthorization", "given without fhirServer")
    return request


def _json_object(body: bytes) -> dict[str, Any]:
    # Not json.loads: it would hit the recursion limit on deep nesting (a 500) and take NaN.
    document = decode_hook_call(body, _PREFETCH_KEYS)
    if not isinstance(document, dict):
        raise InvalidRequestError("body", "must be a JSON object")
    return document


def _first_problem(
    error: ValidationError, prefix: str, context: type[HookContext]
) -> tuple[str, str]:
    problem = error.errors(include_input=False, include_url=False)[0]
    names = _field_names(context)
    parts = [_named(part, names) for part in problem["loc"] if not _is_union_tag(part)]
    return prefix + (".".join(parts) or "body"), problem["msg"]


def _named(part: str | int, names: frozenset[str]) -> str:
    # A location may be a key the caller chose (a prefetch key): never repeat caller text.
    if isinstance(part, int) or part in names:
        return str(part)
    return "(a key)"


@cache
def _field_names(context: type[HookContext]) -> frozenset[str]:
    """The names of our models' fields (the request's and ``context``'s), and the prefetch
    keys: the only location parts an error repeats."""
    models: list[type[BaseModel]] = [HookRequest, FhirAuthorization, context]
    return frozenset(name for model in models for name in model.model_fields) | frozenset(
        PREFETCH_TEMPLATES
    )


def _is_union_tag(part: str | int) -> bool:
    # pydantic names the union member tried ("dict[str,any]") in the location; drop it.
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "none"})
