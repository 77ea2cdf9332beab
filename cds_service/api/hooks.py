"""``POST /cds-services/<id>``: answer a hook call, then tell the listeners."""

from __future__ import annotations

import time

from flask import Blueprint, Response, request
from pydantic_core import to_json
from werkzeug.exceptions import HTTPException

from cds_service.api.request_body import request_body
from cds_service.auth.caller import caller_issuer
from cds_service.errors import KnowledgeBaseUnavailableError, ServiceError
from cds_service.hooks.events import HookCallEvent, notify_listeners
from cds_service.hooks.pipeline import HookAnswer, answer_hook
from cds_service.hooks.request import HookRequest, parse_hook_request
from cds_service.hooks.services import CdsService, find_service
from cds_service.runtime import ServiceRuntime, runtime

__all__ = ["hooks"]

hooks = Blueprint("hooks", __name__)


@hooks.post("/cds-services/<service_id>")
# The sandbox builds "{discovery URL}/{id}", so a discovery URL typed with "/" gives "//id".
@hooks.post("/cds-services//<service_id>")
def call_hook(service_id: str) -> Response:
    """Validate the call, answer it through the pipeline, tell the listeners."""
    state = runtime()
    service = find_service(service_id, state.services)
    started = time.perf_counter()
    call = _Call(service)
    try:
        answer = call.answer(state)
    except ServiceError as error:
        call.status = error.status
        raise
    except HTTPException as error:  # e.g. 413 while reading the body
        call.status = error.code or 500
        raise
    finally:
        notify_listeners(state.hook_listeners, call.event(time.perf_counter() - started))
    # pydantic-core's encoder: the answer is plain JSON data already, and it is faster.
    return Response(to_json(answer.response), mimetype="application/json")


class _Call:
    """What is known about one hook call as it proceeds, for the event at its end."""

    def __init__(self, service: CdsService) -> None:
        self.service = service
        self.request: HookRequest | None = None
        self.answer_: HookAnswer | None = None
        self.status = 500  # until proven otherwise

    def answer(self, state: ServiceRuntime) -> HookAnswer:
        if state.knowledge_base is None:
            raise KnowledgeBaseUnavailableError("the knowledge base is not loaded")
        self.request = parse_hook_request(request_body(), self.service)
        self.answer_ = answer_hook(
            state.knowledge_base,
            self.request,
            state.fhir_fallback(issuer=caller_issuer()),
            state.evaluation(request.host_url),
            self.service.handler,
        )
        self.status = 200
        return self.answer_

    def event(self, latency_s: float) -> HookCallEvent:
        return HookCallEvent(
            service_id=self.service.id,
            hook=self.service.hook,
            hook_instance=self.request.hookInstance if self.request else None,
            patient_id=self.request.patient_id if self.request else None,
            cards=self.answer_.cards if self.answer_ else (),
            differential=self.answer_.differential if self.answer_ else None,
            status=self.status,
            latency_s=latency_s,
            other_patients=self.answer_.other_patients if self.answer_ else 0,
            issuer=caller_issuer(),
        )
