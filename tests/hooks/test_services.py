"""One declaration per service: a fourth one is discovered, routed and described."""

from __future__ import annotations

from typing import Any

from flask import Flask

from cds_service.hooks.pipeline import Evaluation, HookAnswer
from cds_service.hooks.prefetch import PatientData
from cds_service.hooks.request import HookContext, HookRequest
from cds_service.hooks.services import SERVICES, CdsService
from cds_service.runtime import runtime
from differential import KnowledgeBase
from tests.support.app import AppMaker
from tests.support.hook_requests import hook_request

HOOK = "encounter-discharge"


class DischargeContext(HookContext):
    """A context with a field of its own, so validation by the declared model shows."""

    dischargeReason: str  # noqa: N815 - CDS Hooks style field name


class _Handler:
    """Answers with no cards and remembers the contexts it was given."""

    def __init__(self) -> None:
        self.contexts: list[HookContext] = []

    def __call__(
        self, kb: KnowledgeBase, request: HookRequest, data: PatientData, evaluation: Evaluation
    ) -> HookAnswer:
        self.contexts.append(request.context)
        return HookAnswer({"cards": []}, None)


def _with_fourth_service(make_app: AppMaker) -> tuple[Flask, _Handler]:
    handler = _Handler()
    fourth = CdsService(
        id="fake-discharge",
        hook=HOOK,
        title="A fourth service",
        description="Declared by a test.",
        context=DischargeContext,
        handler=handler,
    )
    app = make_app()
    runtime(app).services[fourth.id] = fourth
    return app, handler


def _call(**context: Any) -> dict[str, Any]:
    call = hook_request()
    return {**call, "hook": HOOK, "context": {**call["context"], **context}}


def test_a_fourth_declaration_is_discovered_and_routed_to_its_handler(
    make_app: AppMaker,
) -> None:
    app, handler = _with_fourth_service(make_app)
    client = app.test_client()

    services = client.get("/cds-services").get_json()["services"]
    answer = client.post("/cds-services/fake-discharge", json=_call(dischargeReason="home"))

    assert [s["id"] for s in services] == [*SERVICES, "fake-discharge"]
    assert services[-1]["hook"] == HOOK
    assert answer.status_code == 200
    assert answer.get_json() == {"cards": []}
    assert [type(c) for c in handler.contexts] == [DischargeContext]


def test_a_fourth_declaration_validates_its_own_context(make_app: AppMaker) -> None:
    app, handler = _with_fourth_service(make_app)

    answer = app.test_client().post("/cds-services/fake-discharge", json=_call())

    assert answer.status_code == 400
    assert "context.dischargeReason" in answer.get_json()["error"]
    assert handler.contexts == []


def test_a_fourth_declaration_is_in_the_openapi_document(make_app: AppMaker) -> None:
    app, _ = _with_fourth_service(make_app)

    document = app.test_client().get("/openapi.json").get_json()

    call = document["paths"]["/cds-services/{id}"]["post"]
    assert call["parameters"][0]["schema"]["enum"] == [*SERVICES, "fake-discharge"]
    requests = call["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert {"$ref": "#/components/schemas/EncounterDischargeRequest"} in requests
    assert "dischargeReason" in document["components"]["schemas"]["DischargeContext"]["properties"]


def test_a_declaration_registered_on_one_app_is_not_offered_by_another(
    make_app: AppMaker,
) -> None:
    _with_fourth_service(make_app)

    services = make_app().test_client().get("/cds-services").get_json()["services"]

    assert [s["id"] for s in services] == list(SERVICES)
