"""The OpenAPI 3.1 description of the service, generated from the models it validates with.

Request bodies are the pydantic models the routes parse with (:class:`HookRequest` with the
context of each hook, :class:`FeedbackRequest`); the hook response is ``cards``'
:class:`CdsResponse`; every error is :class:`ErrorBody`. No schema is written by hand: the
few answers that have no model of their own (discovery, health) get one here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import models_json_schema

from cards import CdsResponse
from cds_service.api.feedback import FeedbackRequest
from cds_service.errors import ErrorBody
from cds_service.hooks.request import HookContext, HookRequest
from cds_service.hooks.services import SERVICES, CdsService, DiscoveryDocument

__all__ = ["FeedbackAccepted", "Health", "Readiness", "openapi_document"]

_REF = "#/components/schemas/{model}"
_JSON = "application/json"
_JWT = "callerJwt"


class FeedbackAccepted(BaseModel):
    """The answer to stored feedback: an empty object."""

    model_config = ConfigDict(extra="forbid")


class Health(BaseModel):
    """``/healthz``: the process answers."""

    status: Literal["ok"]


class Readiness(BaseModel):
    """``/readyz``: whether hook calls can be served, and what is failing when not."""

    status: Literal["ready", "unavailable"]
    knowledgeVersion: str | None = None  # noqa: N815 - JSON field name
    failing: list[str] = Field(default_factory=list)


def _hook_request_model(hook: str, context: type[HookContext]) -> type[BaseModel]:
    """:class:`HookRequest` narrowed to one hook and the context that hook carries."""
    name = "".join(part.capitalize() for part in hook.split("-")) + "Request"
    only_this_hook: Any = Literal.__getitem__(hook)  # Literal[hook], built at run time
    model: type[BaseModel] = create_model(
        name,
        __base__=HookRequest,
        hook=(only_this_hook, ...),
        context=(context, ...),
    )
    return model


def _schemas(
    services: Sequence[CdsService],
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    hook_models = {s.hook: _hook_request_model(s.hook, s.context) for s in services}
    models: list[type[BaseModel]] = [
        *hook_models.values(),
        FeedbackRequest,
        FeedbackAccepted,
        CdsResponse,
        ErrorBody,
        DiscoveryDocument,
        Health,
        Readiness,
    ]
    # Responses are described in validation mode too: CdsResponse's serializer only drops
    # empty fields, and pydantic cannot describe a wrapping serializer.
    refs, top = models_json_schema([(m, "validation") for m in models], ref_template=_REF)
    by_name = {model.__name__: refs[(model, "validation")] for model in models}
    by_name |= {hook: refs[(model, "validation")] for hook, model in hook_models.items()}
    return by_name, top.get("$defs", {})


def _content(schema: Mapping[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": dict(schema)}}}


def _errors(ref: Mapping[str, Any], *statuses: tuple[int, str]) -> dict[str, Any]:
    return {str(status): _content(ref, text) for status, text in statuses}


_UNAUTHORIZED = (401, "No valid caller JWT (only when trusted issuers are configured)")
_TOO_LARGE = (413, "The body is over the size limit")


def _hook_path(
    refs: Mapping[str, Mapping[str, Any]], services: Sequence[CdsService]
) -> dict[str, Any]:
    requests = [refs[service.hook] for service in services]
    return {
        "post": {
            "operationId": "callHook",
            "summary": "Call a CDS service with a hook (CDS Hooks 2.0)",
            "parameters": [_service_id(services)],
            "requestBody": {"required": True, "content": {_JSON: {"schema": {"oneOf": requests}}}},
            "responses": {
                "200": _content(refs["CdsResponse"], "Cards and system actions"),
                **_errors(
                    refs["ErrorBody"],
                    (400, "Malformed request; the message names the field"),
                    _UNAUTHORIZED,
                    (404, "No CDS service with this id"),
                    (412, "Needed FHIR data came neither in prefetch nor from fhirServer"),
                    _TOO_LARGE,
                    (503, "The knowledge base is not loaded"),
                ),
            },
        }
    }


def _feedback_path(
    refs: Mapping[str, Mapping[str, Any]], services: Sequence[CdsService]
) -> dict[str, Any]:
    return {
        "post": {
            "operationId": "sendFeedback",
            "summary": "What the clinician did with the cards (CDS Hooks 2.0 feedback)",
            "parameters": [_service_id(services)],
            "requestBody": {
                "required": True,
                "content": {_JSON: {"schema": dict(refs["FeedbackRequest"])}},
            },
            "responses": {
                "200": _content(refs["FeedbackAccepted"], "All entries stored"),
                **_errors(
                    refs["ErrorBody"],
                    (400, "An invalid entry; the message names each entry and field"),
                    _UNAUTHORIZED,
                    (403, "A card shown to another caller (issuer); nothing was stored"),
                    (404, "No CDS service with this id"),
                    _TOO_LARGE,
                    (503, "The database did not take the feedback, or is busy; send it again"),
                ),
            },
        }
    }


def _service_id(services: Sequence[CdsService]) -> dict[str, Any]:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": [service.id for service in services]},
    }


def _get(operation_id: str, summary: str, responses: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "summary": summary, "responses": responses}}


def _authenticated(path: dict[str, Any]) -> dict[str, Any]:
    # Optional: a caller JWT is required only when trusted issuers are configured.
    return {
        method: {**operation, "security": [{}, {_JWT: []}]} for method, operation in path.items()
    }


@cache
def openapi_document(services: tuple[CdsService, ...] = tuple(SERVICES.values())) -> dict[str, Any]:
    """The OpenAPI 3.1 document served at ``/openapi.json`` for the ``services`` offered
    (built on first use for each set of service declarations)."""
    refs, schemas = _schemas(services)
    paths = {
        "/cds-services": _authenticated(
            _get(
                "discovery",
                "The CDS services offered (CDS Hooks 2.0 discovery)",
                {
                    "200": _content(refs["DiscoveryDocument"], "The services"),
                    **_errors(refs["ErrorBody"], _UNAUTHORIZED),
                },
            )
        ),
        "/cds-services/{id}": _authenticated(_hook_path(refs, services)),
        "/cds-services/{id}/feedback": _authenticated(_feedback_path(refs, services)),
        "/healthz": _get(
            "healthz", "Liveness", {"200": _content(refs["Health"], "The process is up")}
        ),
        "/readyz": _get(
            "readyz",
            "Readiness: knowledge base loaded and database answering",
            {
                "200": _content(refs["Readiness"], "Ready"),
                "503": _content(refs["Readiness"], "Not ready; `failing` says why"),
            },
        ),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gluteal-cds",
            "version": "1.0.0",
            "description": "CDS Hooks 2.0 service: differential diagnosis of buttock / "
            "posterior hip pain in runners.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {_JWT: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
    }
