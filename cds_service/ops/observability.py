"""Wire metrics and request logging into an app through its extension points."""

from __future__ import annotations

from flask import Flask, Response, request

from cds_service.fhir.session import observed_session_factory
from cds_service.ops.metrics import init_metrics
from cds_service.ops.request_log import current_request_id, init_request_log, remember_hook_event
from cds_service.runtime import runtime

__all__ = ["init_observability"]


def init_observability(app: Flask) -> None:
    """Metrics at /metrics, one log line and an id per request, every answer counted.

    Call after the runtime is built: hook calls are observed as events, FHIR calls through
    the fallback's session factory; rejected callers, stored feedback and shown cards the
    store could not record through the runtime's listener lists.
    """
    state = runtime(app)
    metrics = init_metrics(app)
    kb = state.knowledge_base
    metrics.record_build(kb.version if kb is not None else "not-loaded")
    init_request_log(app)

    @app.after_request
    def _count(response: Response) -> Response:
        # The rule, never the path: paths are caller text and would make labels unbounded.
        route = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.observe_response(route, request.method, response.status_code)
        return response

    state.hook_listeners.extend([metrics.observe_hook, remember_hook_event])
    state.fhir_session_factory = observed_session_factory(
        metrics.observe_fhir_call, current_request_id
    )
    state.rejection_listeners.append(metrics.record_jwt_rejection)
    state.feedback_listeners.append(metrics.record_feedback)
    state.shown_cards_drop_listeners.append(metrics.record_shown_cards_dropped)
    state.replay_check_listeners.append(metrics.record_replay_check_event)
