"""``POST /cds-services/<id>``: answer a hook call, then tell the listeners."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, request
from pydantic_core import to_json
from werkzeug.exceptions import HTTPException

from cds_service.auth import caller_issuer
from cds_service.errors import KnowledgeBaseUnavailableError, ServiceError
from cds_service.events import HookEvent, notify_listeners
from cds_service.hook_request import HookRequest, parse_hook_request
from cds_service.pipeline import Evaluation, HookAnswer, answer_hook
from cds_service.prefetch import gather_patient_data
from cds_service.request_body import request_body
from cds_service.runtime import ServiceRuntime, runtime
from cds_service.services import CdsService, find_service

__all__ = ["hooks"]

hooks = Blueprint("hooks", __name__)


@hooks.post("/cds-services/<service_id>")
# The sandbox builds "{discovery URL}/{id}", so a discovery URL typed with "/" gives "//id".
@hooks.post("/cds-services//<service_id>")
def call_hook(service_id: str) -> Response:
    """Validate the call, gather the patient's data, answer with cards."""
    service = find_service(service_id)
    state = runtime()
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
        settings = state.settings
        self.request = parse_hook_request(request_body(), self.service)
        data = gather_patient_data(
            self.request,
            policy=state.fhir_policy,
            limits=state.fhir_limits,
            max_entries=settings.max_prefetch_entries,
            session_factory=state.fhir_session_factory,
            issuer=caller_issuer(),
        )
        evaluation = Evaluation(
            evaluated_at=state.clock(),
            max_age=timedelta(days=settings.observation_max_age_days),
            knowledge_url=settings.public_base_url or request.host_url.rstrip("/"),
        )
        self.answer_ = answer_hook(state.knowledge_base, self.request, data, evaluation)
        self.status = 200
        return self.answer_

    def event(self, latency_s: float) -> HookEvent:
        cards: list[Any] = self.answer_.response.get("cards", []) if self.answer_ else []
        return HookEvent(
            service_id=self.service.id,
            hook=self.service.hook,
            hook_instance=self.request.hookInstance if self.request else None,
            patient_id=self.request.patient_id if self.request else None,
            cards=tuple(cards),
            differential=self.answer_.differential if self.answer_ else None,
            status=self.status,
            latency_s=latency_s,
        )
