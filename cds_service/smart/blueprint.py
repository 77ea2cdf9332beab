"""``/smart/launch``, ``/smart/callback`` and ``/smart/app``: the bedside app's pages.

Launched from the differential card, it signs in with the EHR (SMART App Launch 2.0),
asks the questions that matter for this patient, shows the updated differential (the
hooks' own pipeline, :func:`cds_service.hooks.pipeline.assess`) and writes the answers back.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import requests
from flask import Blueprint, Flask, current_app, g, redirect, render_template, request
from werkzeug.wrappers import Response

from cds_service.errors import ServiceError
from cds_service.fhir.client import FhirReadError
from cds_service.hooks.pipeline import Evaluation, assess, presentation_of, record_for
from cds_service.pages.errors import register_page_errors
from cds_service.pages.format import register_page_filters
from cds_service.pages.knowledge import loaded_knowledge
from cds_service.pages.try_result import result_for
from cds_service.runtime import runtime
from cds_service.settings import Settings
from cds_service.smart.answers import merged, read_answers
from cds_service.smart.ehr import Ehr
from cds_service.smart.launch import LaunchError, OAuthClient, begin_launch, discover, finish_launch
from cds_service.smart.note_marks import note_marks, without_note_findings
from cds_service.smart.questions import ANSWER_STATES, order_questions
from cds_service.smart.save import save_answers
from cds_service.smart.security import check_csrf, secure_headers, set_session_cookie
from cds_service.smart.sessions import COOKIE, SmartSession, SmartSessions
from differential.model import Presentation

__all__ = ["init_smart", "smart"]

_log = logging.getLogger(__name__)

smart = Blueprint(
    "smart", __name__, url_prefix="/smart", template_folder="templates", static_folder="static"
)
register_page_errors(smart)
register_page_filters(smart)
smart.after_request(secure_headers)

_SESSIONS_KEY = "gluteal_cds_smart_sessions"
# The FHIR server's answers that mean the token has expired or was revoked.
_SIGNED_OUT = frozenset({"HTTP 401"})


class NotConfiguredError(ServiceError):
    """SMART is not configured: the app does not exist."""

    status = 404


class NotLaunchedError(ServiceError):
    """No live launch in this browser."""

    status = 401


class EhrUnavailableError(ServiceError):
    """The EHR's FHIR server did not give the record."""

    status = 502


def init_smart(app: Flask, settings: Settings) -> None:
    """Register the app's pages and its session store on ``app``."""
    app.register_blueprint(smart)
    app.extensions[_SESSIONS_KEY] = SmartSessions()
    if settings.smart_client_id and settings.workers > 1:
        _log.warning(
            "the bedside app keeps its sessions in each worker's memory: with %d workers, "
            "route each browser to one worker (sticky sessions)",
            settings.workers,
        )


def _sessions() -> SmartSessions:
    store = current_app.extensions.get(_SESSIONS_KEY)
    assert isinstance(store, SmartSessions)  # noqa: S101 - init_smart stores it
    return store


def _base_url() -> str:
    return runtime().settings.public_base_url or request.host_url.rstrip("/")


def _client() -> OAuthClient:
    settings = runtime().settings
    if not settings.smart_client_id:
        raise NotConfiguredError("The bedside app is not configured on this service.")
    return OAuthClient(
        settings.smart_client_id,
        settings.smart_client_secret,
        f"{_base_url()}/smart/callback",
        settings.smart_scopes,
    )


@smart.get("/launch")
def launch() -> Response:
    """EHR launch: discover the server's SMART configuration and go to sign in."""
    client = _client()
    iss, code = request.args.get("iss", ""), request.args.get("launch", "")
    if not iss or not code:
        raise LaunchError("Launch the app from the EHR: iss and launch are needed.")
    refusal = runtime().fhir_policy.refusal(iss)
    if refusal:
        raise LaunchError(f"The EHR's FHIR server (iss) {refusal}.")
    with requests.Session() as http:
        configuration = discover(iss, http)
    session_id, state = _sessions().start()
    response = redirect(
        begin_launch(client, state, iss=iss, launch=code, configuration=configuration)
    )
    set_session_cookie(response, session_id)
    return response


@smart.get("/callback")
def callback() -> Response:
    """The EHR's answer to the sign-in: exchange the code, then show the questions."""
    client = _client()
    state = _sessions().get(request.cookies.get(COOKIE))
    if state is None:
        raise NotLaunchedError("This launch has expired; launch the app again from the EHR.")
    if request.args.get("error"):
        raise LaunchError("The EHR did not authorise the app; launch it again.")
    finish_launch(
        client,
        state,
        code=request.args.get("code", ""),
        returned_state=request.args.get("state", ""),
    )
    if state.patient is None:
        raise LaunchError("The EHR launched the app without a patient.")
    return redirect("/smart/app", code=303)


def _launched() -> SmartSession:
    _client()
    state = _sessions().get(request.cookies.get(COOKIE))
    if state is None or not state.authorised:
        raise NotLaunchedError("Launch the app from the patient's record in the EHR.")
    return state


def _ehr(state: SmartSession) -> Ehr:
    service = runtime()
    return Ehr(
        state.iss,
        str(state.token["access_token"]),
        service.fhir_limits,
        service.fhir_session_factory,
        policy=service.fhir_policy,  # the hooks' SSRF policy guards the app's calls too
    )


def _recorded(state: SmartSession) -> tuple[Presentation, str | None]:
    """What the EHR's record says, and the patient's name for the banner."""
    assert state.patient is not None  # noqa: S101 - _launched checked it
    try:
        data = _ehr(state).patient_data(state.patient)
    except FhirReadError as exc:
        if str(exc) in _SIGNED_OUT:
            raise NotLaunchedError(
                "The EHR no longer accepts this sign-in; launch the app again from the EHR."
            ) from None
        raise EhrUnavailableError("The EHR's FHIR server did not give the record.") from None
    settings = runtime().settings
    evaluation = Evaluation(
        evaluated_at=runtime().clock(),
        max_age=timedelta(days=settings.observation_max_age_days),
        knowledge_url=_base_url(),
    )
    # Per request, never in the session: which findings only a note gave, and its words.
    record = record_for(data, evaluation, loaded_knowledge())
    g.from_notes = record.from_notes
    return presentation_of(record), _name(data.patient)


def _name(patient: dict[str, Any] | None) -> str | None:
    names = (patient or {}).get("name") or []
    first = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    if isinstance(first.get("text"), str):
        return str(first["text"])
    given = " ".join(g for g in first.get("given") or [] if isinstance(g, str))
    family = first.get("family") if isinstance(first.get("family"), str) else ""
    return " ".join(part for part in (given, family) if part) or None


def _page(
    state: SmartSession,
    recorded: Presentation,
    answers: dict[str, bool | None],
    *,
    patient_name: str | None,
    message: str | None = None,
    saved: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    kb = loaded_knowledge()
    findings = merged(recorded.findings, answers)
    answered = {code for code, value in answers.items() if value is not None}
    recorded_at = {k: v for k, v in recorded.recorded_at.items() if k not in answered}
    presentation = replace(recorded, findings=findings, recorded_at=recorded_at)
    assessment = assess(kb, presentation, knowledge_url=_base_url(), patient_id=state.patient)
    hint = state.hint.get("ask")
    sheet = order_questions(
        kb,
        assessment.differential,
        recorded.findings,
        answers,
        hint if isinstance(hint, list) else (),
    )
    page = render_template(
        "smart/app.html",
        kb=kb,
        sheet=sheet,
        states=ANSWER_STATES,
        result=result_for(assessment),
        csrf=state.csrf,
        patient_name=patient_name,
        message=message,
        saved=saved,
        note_marks=note_marks(g.get("from_notes", {})),
    )
    return page, status


@smart.get("/app")
def show_questions() -> tuple[str, int]:
    """The questions that matter for this patient, pre-filled from the record."""
    state = _launched()
    recorded, name = _recorded(state)
    return _page(state, recorded, {}, patient_name=name)


@smart.post("/app")
def answer_questions() -> tuple[str, int]:
    """Show the differential with the answers; with ``action=save``, write them back."""
    state = _launched()
    check_csrf(state.csrf, request.form.get("csrf"))
    recorded, name = _recorded(state)
    kb = loaded_knowledge()
    codes = [f.code for f in kb.findings if not f.derived_from_patient]
    answers = read_answers(request.form, codes)
    if request.form.get("action") != "save":
        return _page(state, recorded, answers, patient_name=name)
    # An answer that confirms what only a note said is new: written back as today's.
    coded = without_note_findings(recorded.findings, g.get("from_notes", {}))
    outcome = save_answers(_ehr(state), state, kb, coded, answers, authored=runtime().clock())
    return _page(
        state,
        recorded,
        answers,
        patient_name=name,
        message=outcome.message,
        saved=outcome.response_id,
        status=502 if outcome.refused else 200,
    )
