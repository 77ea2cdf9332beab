"""``/smart/launch``, ``/smart/callback`` and ``/smart/app``: the bedside app's pages.

Launched from the differential card, it signs in with the EHR (SMART App Launch 2.0),
asks the questions that matter for this patient, shows the updated differential (the
hooks' own pipeline, :func:`cds_service.hooks.pipeline.assess`) and writes the answers back.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import timedelta
from functools import partial

import requests
from flask import Blueprint, Flask, current_app, g, redirect, render_template, request
from werkzeug.wrappers import Response

from cds_service.api.errors import note_error
from cds_service.errors import ServiceError
from cds_service.fhir.client import FhirReadError
from cds_service.hooks.pipeline import (
    Evaluation,
    assess,
    data_notes,
    presentation_of,
    record_for,
)
from cds_service.hooks.prefetch import PatientData
from cds_service.pages.errors import register_page_errors
from cds_service.pages.format import register_page_filters
from cds_service.pages.knowledge import loaded_knowledge
from cds_service.pages.try_result import result_for
from cds_service.runtime import runtime
from cds_service.settings import Settings
from cds_service.smart.answers import merged, read_answers
from cds_service.smart.banner import Banner, banner_for
from cds_service.smart.ehr import Ehr
from cds_service.smart.issuers import Issuers
from cds_service.smart.launch import (
    LaunchError,
    OAuthClient,
    begin_launch,
    finish_launch,
    refresh,
    token_expiring,
)
from cds_service.smart.links import smart_launch_url
from cds_service.smart.note_marks import note_marks, without_note_findings
from cds_service.smart.questions import ANSWER_STATES, order_questions
from cds_service.smart.save import SaveOutcome, save_answers
from cds_service.smart.security import check_csrf, secure_headers, set_session_cookie
from cds_service.smart.session_store import SessionsBusyError, SessionStore
from cds_service.smart.sessions import COOKIE, SmartSession
from cds_service.store import store_of
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
_ISSUERS_KEY = "gluteal_cds_smart_issuers"
# The FHIR server's answers that mean the token has expired or was revoked.
_SIGNED_OUT = frozenset({"HTTP 401"})
_UNAVAILABLE = "The EHR's FHIR server did not give the record."


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
    """Register the app's pages, its configured EHRs and their launch slots on ``app``,
    and the differential card's link to launch it (none while SMART is not configured)."""
    app.register_blueprint(smart)
    runtime(app).launch_link = partial(smart_launch_url, settings)
    # Plain sessions: the FHIR call metrics count the hooks' reads, not the app's sign-ins.
    app.extensions[_ISSUERS_KEY] = Issuers.from_settings(settings, requests.Session)
    if settings.smart_client_id and not settings.smart_launch_issuers:
        _log.warning(
            "the bedside app is on but no EHR may launch it: set GLUTEAL_CDS_SMART_ISSUERS"
        )


def _issuers() -> Issuers:
    issuers = current_app.extensions.get(_ISSUERS_KEY)
    assert isinstance(issuers, Issuers)  # noqa: S101 - init_smart stores it
    return issuers


def _sessions() -> SessionStore:
    """The sessions table, on the feedback store's engine (built on first use)."""
    found = current_app.extensions.get(_SESSIONS_KEY)
    if isinstance(found, SessionStore):
        return found
    try:
        store = store_of(current_app)
    except RuntimeError:  # no store plugged in: the same answer as a store that is down
        raise SessionsBusyError("The app's sessions cannot be reached; try again.") from None
    sessions = SessionStore(store.engine)
    current_app.extensions[_SESSIONS_KEY] = sessions
    return sessions


def _base_url() -> str:
    # Never the Host header: a forged Host would send the sign-in code elsewhere.
    base = runtime().settings.public_base_url
    if not base:
        raise NotConfiguredError("The bedside app needs GLUTEAL_CDS_PUBLIC_BASE_URL.")
    return base


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
    """EHR launch: a configured EHR only; its pinned SMART configuration; go to sign in."""
    client = _client()
    iss, code = request.args.get("iss", ""), request.args.get("launch", "")
    if not iss or not code:
        raise LaunchError("Launch the app from the EHR: iss and launch are needed.")
    issuer = _issuers().check(iss)  # before any outbound request
    configuration = _issuers().configuration(issuer)
    state = SmartSession()
    url = begin_launch(client, state, iss=issuer, launch=code, configuration=configuration)
    response = redirect(url)
    set_session_cookie(response, _sessions().start(state))
    return response


@smart.get("/callback")
def callback() -> Response:
    """The EHR's answer to the sign-in: exchange the code, renew the session id, go on."""
    client = _client()
    session_id = request.cookies.get(COOKIE) or ""
    state = _sessions().get(session_id)
    if state is None:
        raise NotLaunchedError("This launch has expired; launch the app again from the EHR.")
    try:
        if request.args.get("error"):
            raise LaunchError("The EHR did not authorise the app; launch it again.")
        finish_launch(
            client,
            state,
            code=request.args.get("code", ""),
            returned_state=request.args.get("state", ""),
            post=_issuers().token_call,
        )
        if state.patient is None:
            raise LaunchError("The EHR launched the app without a patient.")
    except LaunchError:
        _sessions().end(session_id)  # one try per launch
        raise
    response = redirect("/smart/app", code=303)
    # A new id at sign-in: an id planted in the browser before it never holds a token.
    set_session_cookie(response, _sessions().renew(session_id, state))
    return response


def _launched() -> tuple[str, SmartSession]:
    client = _client()
    session_id = request.cookies.get(COOKIE) or ""
    state = _sessions().get(session_id)
    if state is None or not state.authorised:
        raise NotLaunchedError("Launch the app from the patient's record in the EHR.")
    if token_expiring(state, time.time()):
        refresh(client, state, _issuers().token_call)
    _sessions().save(session_id, state)  # use keeps the session alive (and a new token)
    return session_id, state


def _ehr(state: SmartSession) -> Ehr:
    service = runtime()
    return Ehr(
        state.iss,
        str(state.token["access_token"]),
        service.fhir_limits,
        service.fhir_session_factory,
        policy=service.fhir_policy,  # the hooks' SSRF policy guards the app's calls too
    )


def _patient_data(session_id: str, state: SmartSession) -> PatientData:
    """The record; on a refused token, one refresh (when granted) and one retry."""
    assert state.patient is not None  # noqa: S101 - _launched checked it
    for attempt in range(2):
        try:
            return _ehr(state).patient_data(state.patient)
        except FhirReadError as exc:
            if str(exc) not in _SIGNED_OUT:
                raise EhrUnavailableError(
                    "The EHR's FHIR server did not give the record."
                ) from None
            if attempt or not refresh(_client(), state, _issuers().token_call):
                break
            _sessions().save(session_id, state)
    raise NotLaunchedError(
        "The EHR no longer accepts this sign-in; launch the app again from the EHR."
    )


def _recorded(session_id: str, state: SmartSession) -> tuple[Presentation, Banner | None]:
    """What the EHR's record says, and the patient banner when the launch asks for one."""
    data = _patient_data(session_id, state)
    settings = runtime().settings
    evaluation = Evaluation(
        evaluated_at=runtime().clock(),
        max_age=timedelta(days=settings.observation_max_age_days),
        knowledge_url=_base_url(),
    )
    # Per request, never in the session: which findings only a note gave, and its words.
    record = record_for(data, evaluation, loaded_knowledge())
    g.from_notes = record.from_notes
    # What could not be read, in words without patient data: said on the page as the
    # hooks' cards say it, so the differential is not read as complete.
    g.data_notes = data_notes(data, record)
    banner = banner_for(data.patient) if state.need_patient_banner else None
    return presentation_of(record), banner


def _page(
    session_id: str,
    state: SmartSession,
    recorded: Presentation,
    answers: dict[str, bool | None],
    *,
    banner: Banner | None,
    outcome: SaveOutcome | None = None,
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
        fixed=state.question_order,
    )
    if not state.question_order:  # the first page fixes the order for the whole session
        state.question_order = [q.code for q in sheet.first]
        _sessions().save(session_id, state)
    page = render_template(
        "smart/app.html",
        kb=kb,
        sheet=sheet,
        states=ANSWER_STATES,
        result=result_for(assessment),
        csrf=state.csrf,
        keep_key=state.keep_key,
        banner=banner,
        message=outcome.message if outcome else None,
        saved=outcome.response_id if outcome else None,
        note_marks=note_marks(g.get("from_notes", {})),
        data_notes=g.get("data_notes", ()),
    )
    return page, 502 if outcome and outcome.refused else 200


@smart.get("/app")
def show_questions() -> tuple[str, int]:
    """The questions that matter for this patient, pre-filled from the record."""
    session_id, state = _launched()
    recorded, banner = _recorded(session_id, state)
    return _page(session_id, state, recorded, {}, banner=banner)


@smart.post("/app")
def answer_questions() -> tuple[str, int]:
    """Show the differential with the answers; with ``action=save``, write them back."""
    session_id, state = _launched()
    check_csrf(state.csrf, request.form.get("csrf"))
    recorded, banner = _recorded(session_id, state)
    kb = loaded_knowledge()
    codes = [f.code for f in kb.findings if not f.derived_from_patient]
    answers = read_answers(request.form, codes)
    outcome = None
    if request.form.get("action") == "save":
        # An answer that confirms what only a note said is new: written back as today's.
        coded = without_note_findings(recorded.findings, g.get("from_notes", {}))
        outcome = save_answers(_ehr(state), state, kb, coded, answers, authored=runtime().clock())
    return _page(session_id, state, recorded, answers, banner=banner, outcome=outcome)


@smart.errorhandler(NotLaunchedError)
def not_launched(error: NotLaunchedError) -> tuple[str, int]:
    """No live session: say so, and that the answers typed are kept in this tab."""
    note_error(error.message)
    kb = loaded_knowledge()
    labels = {f.code: f.label for f in kb.findings}
    typed = [
        (labels[name[2:]], value)
        for name, value in request.form.items()
        if name.startswith("q-") and name[2:] in labels and value in {"present", "absent"}
    ]
    page = render_template("smart/expired.html", message=error.message, typed=typed)
    return page, error.status
