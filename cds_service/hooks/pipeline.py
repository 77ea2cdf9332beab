"""The one seam between the web layer and the clinical packages.

FHIR resources (prefetch, else the FHIR server) → ``fhir_mappings`` → :class:`Presentation`
→ ``differential`` → ``cards`` → the CDS Hooks response. A route parses the request and
calls :func:`answer_hook` once with the handler its service declares
(:func:`answer_patient_view`, :func:`answer_order_hook`): gathering, evaluation and
answering happen here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from cards import Card, CdsResponse, NoteQuote, SmartLink, render_cards
from cds_service.errors import InvalidRequestError
from cds_service.hooks.ehr_profile import EhrProfile
from cds_service.hooks.notes import note_reader, read_call_notes, with_notes
from cds_service.hooks.order_review import OrderUnderReview, review_orders
from cds_service.hooks.prefetch import FhirFallback, PatientData, gather_patient_data
from cds_service.hooks.request import HookRequest, OrderContext, OrderSelectContext
from cds_service.settings import Settings
from differential import KnowledgeBase, evaluate, load_knowledge_base
from differential.model import Differential, Presentation
from fhir_mappings import (
    NOT_THIS_PATIENT,
    DraftOrdersError,
    ImagingOrders,
    PatientContext,
    PatientRecord,
    SearchResults,
    map_patient_record,
    read_imaging_orders,
    read_treatment_orders,
)
from fhir_mappings.notes import note_onsets

__all__ = [
    "Assessment",
    "Evaluation",
    "HookAnswer",
    "HookHandler",
    "answer_hook",
    "answer_order_hook",
    "answer_patient_view",
    "assess",
    "data_notes",
    "load_knowledge",
    "note_quotes",
    "other_patients",
    "presentation_of",
    "record_for",
]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HookAnswer:
    """The JSON answer of a hook call, its cards, and the differential behind it, if any."""

    response: dict[str, Any]
    differential: Differential | None
    cards: tuple[Card, ...] = ()
    # Resources left out because they were not about the call's patient (a metric counts them).
    other_patients: int = 0


@dataclass(frozen=True)
class Evaluation:
    """When the call is evaluated, how old an observation may be, where cards link to."""

    evaluated_at: datetime
    max_age: timedelta
    knowledge_url: str  # the service's base URL: knowledge pages are under /knowledge/
    smart_launch_url: str | None = None  # the bedside app, when SMART is configured
    # The app's link opens by itself when only the complaint is recorded (CDS Hooks 3.0).
    autolaunch_bedside_app: bool = False
    profile: EhrProfile = field(default_factory=EhrProfile)  # how the answer is shaped


def load_knowledge(settings: Settings) -> KnowledgeBase:
    """The knowledge base the settings point at (the packaged one by default)."""
    return load_knowledge_base(settings.knowledge_base_path)


def record_for(data: PatientData, evaluation: Evaluation, kb: KnowledgeBase) -> PatientRecord:
    """The patient's record with what the clinical notes say (``from_notes`` names the
    findings a note decided): for the bedside app, which marks them to confirm."""
    return _record(data, evaluation, kb=kb)


def _record(
    data: PatientData,
    evaluation: Evaluation,
    reason_conditions: frozenset[str] = frozenset(),
    kb: KnowledgeBase | None = None,
) -> PatientRecord:
    reader = note_reader(kb) if kb is not None else None
    notes = read_call_notes(
        data.notes,
        reader=reader,
        patient_id=data.patient_id,
        fhir_server=data.fhir_server,
        fetched=dict(data.note_attachments),
        evaluated_at=evaluation.evaluated_at,
    )
    at, max_age = evaluation.evaluated_at, evaluation.max_age
    record = map_patient_record(
        data.patient,
        SearchResults(data.observations),  # fetched pages were merged into one list
        SearchResults(data.conditions),
        evaluated_at=at,
        max_age=max_age,
        questionnaire_responses=SearchResults(data.questionnaire_responses),
        reason_conditions=reason_conditions,
        note_onsets=note_onsets(notes, evaluated_at=at, max_age=max_age) if notes else (),
        patient_context=(
            PatientContext(data.patient_id, data.fhir_server) if data.patient_id else None
        ),
    )
    record = with_notes(record, notes, reader=reader, evaluated_at=at, max_age=max_age)
    if record.problems:
        # Counts only: the problems may quote patient data.
        _log.info("%d resources could not be read", len(record.problems))
    return record


def other_patients(record: PatientRecord) -> int:
    """How many resources were left out as not about the call's patient."""
    return sum(1 for problem in record.problems if problem.reason == NOT_THIS_PATIENT)


def presentation_of(record: PatientRecord) -> Presentation:
    """What the reasoner is asked about: the record's findings, diagnoses and demographics."""
    return Presentation(
        findings=record.findings,
        diagnoses=record.diagnoses,
        sex=record.sex,
        age_years=record.age_years,
        recorded_at={source.finding: source.effective for source in record.sources},
        first_present_at=record.first_present_at,
        first_absent_at=record.first_absent_at,
        onset_at=record.onset_at,
        recorded_states=record.recorded_states,
    )


def note_quotes(record: PatientRecord) -> dict[str, NoteQuote]:
    """The findings a clinical note decided, with the note and its words, for the cards."""
    return {
        code: NoteQuote(source.reference, source.quote)
        for code, source in record.from_notes.items()
    }


def data_notes(data: PatientData, record: PatientRecord) -> tuple[str, ...]:
    """What the card should say is missing: unread FHIR pages, unreadable resources (a count)."""
    count = len(record.problems)
    unreadable = (f"{count} resource{'s' if count > 1 else ''} could not be read",) if count else ()
    return (*data.shortfalls, *unreadable)


@dataclass(frozen=True)
class Assessment:
    """A differential and the patient-view cards rendered from it."""

    differential: Differential
    cards: tuple[Card, ...]


def assess(
    kb: KnowledgeBase,
    presentation: Presentation,
    *,
    knowledge_url: str,
    patient_id: str | None,
    data_notes: Sequence[str] = (),
    smart_link: SmartLink | None = None,
    from_notes: Mapping[str, NoteQuote] | None = None,
) -> Assessment:
    """Evaluate ``presentation`` and render its cards: the patient-view hook and /try share it.

    ``data_notes`` say what the data lacked; the differential card says so. With
    ``smart_link`` the differential card links to the bedside app. ``from_notes``: the
    findings clinical notes decided, quoted in the reasons (contract 3a).
    """
    differential = evaluate(kb, presentation)
    if smart_link is not None:
        recorded = presentation.findings.keys()
        complaint_only = bool(recorded) and recorded <= kb.presenting_findings
        smart_link = replace(smart_link, complaint_only=complaint_only)
    cards = render_cards(
        differential,
        knowledge_url=knowledge_url,
        patient_id=patient_id,
        data_notes=data_notes,
        smart_link=smart_link,
        from_notes=from_notes,
    )
    return Assessment(differential, tuple(cards))


def answer_patient_view(
    kb: KnowledgeBase, request: HookRequest, data: PatientData, evaluation: Evaluation
) -> HookAnswer:
    """The patient-view answer: the differential and the cards rendered from it."""
    record = _record(data, evaluation, kb=kb)
    assessment = assess(
        kb,
        presentation_of(record),
        knowledge_url=evaluation.knowledge_url,
        patient_id=request.patient_id,
        data_notes=data_notes(data, record),
        smart_link=_smart_link(request, evaluation),
        from_notes=note_quotes(record),
    )
    response = CdsResponse(cards=assessment.cards)
    return HookAnswer(
        response.to_json(), assessment.differential, response.cards, other_patients(record)
    )


def _smart_link(request: HookRequest, evaluation: Evaluation) -> SmartLink | None:
    if evaluation.smart_launch_url is None:
        return None
    return SmartLink(
        evaluation.smart_launch_url,
        hook_instance=request.hookInstance,
        autolaunchable=evaluation.autolaunch_bedside_app,
    )


def answer_order_hook(
    kb: KnowledgeBase, request: HookRequest, data: PatientData, evaluation: Evaluation
) -> HookAnswer:
    """The order-select / order-sign answer: each imaging order under review rated."""
    orders = _imaging_orders(request)
    named = frozenset().union(*(order.reason_conditions for order in orders.orders))
    record = _record(data, evaluation, named, kb)
    presentation = presentation_of(record)
    differential = evaluate(kb, presentation)
    # An order's reason is the ordering clinician's working diagnosis for rating that order
    # (contract section 3): one evaluation per distinct reason, shared by its orders.
    by_reasons: dict[frozenset[str], Differential] = {frozenset(): differential}
    for order in orders.orders:
        if order.reasons not in by_reasons:
            with_reason = replace(presentation, diagnoses=presentation.diagnoses | order.reasons)
            by_reasons[order.reasons] = evaluate(kb, with_reason)
    reviewed = [OrderUnderReview(order, by_reasons[order.reasons]) for order in orders.orders]
    drafted = _drafted_tests(request)
    if not differential.active and not any(item.differential.active for item in reviewed):
        # Contract 5: no complaint and no reason, no card, and no rating either.
        return HookAnswer({"cards": []}, differential, other_patients=other_patients(record))
    response = review_orders(
        reviewed,
        patient_id=request.patient_id,
        knowledge_url=evaluation.knowledge_url,
        drafted=frozenset(drafted),
        plan=differential,
        from_notes=note_quotes(record),
        drafted_contrast={test: c for test, c in drafted.items() if c is not None},
        ordered=_treatments(request),
    )
    return HookAnswer(response.to_json(), differential, response.cards, other_patients(record))


def _drafted_tests(request: HookRequest) -> dict[str, str | None]:
    """Every imaging study in ``draftOrders`` (selected or not), none suggested again, with
    the contrast it is ordered with (None: as the contract names it)."""
    context = request.context
    if not isinstance(context, OrderContext):
        return {}
    try:
        drafts = read_imaging_orders(context.draftOrders, patient=_patient_of(request))
    except DraftOrdersError:
        return {}
    drafted: dict[str, str | None] = {}
    for order in drafts.orders:
        # One study drafted twice with different contrast: "already drafted" says no more.
        same = order.test not in drafted or drafted[order.test] == order.contrast
        drafted[order.test] = order.contrast if same else None
    return drafted


def _treatments(request: HookRequest) -> frozenset[str]:
    """The kinds of treatment order under review (the selected ones, or all drafts) that a
    caution may warn against: a bursa or corticosteroid injection."""
    context = request.context
    if not isinstance(context, OrderContext):
        return frozenset()
    selections = context.selections if isinstance(context, OrderSelectContext) else None
    try:
        return read_treatment_orders(context.draftOrders, selections, patient=_patient_of(request))
    except DraftOrdersError:
        return frozenset()


def _imaging_orders(request: HookRequest) -> ImagingOrders:
    """The imaging orders under review: the selected ones (order-select) or all drafts,
    this patient's only (contract section 2)."""
    context = request.context
    if not isinstance(context, OrderContext):
        raise InvalidRequestError("context.draftOrders", "Field required")
    selections = context.selections if isinstance(context, OrderSelectContext) else None
    try:
        return read_imaging_orders(context.draftOrders, selections, patient=_patient_of(request))
    except DraftOrdersError:
        raise InvalidRequestError("context.draftOrders", "must be a FHIR Bundle") from None


# Answers one hook from the patient's data; a service declaration names its handler.
HookHandler = Callable[[KnowledgeBase, HookRequest, PatientData, Evaluation], HookAnswer]


def answer_hook(
    kb: KnowledgeBase,
    request: HookRequest,
    fallback: FhirFallback,
    evaluation: Evaluation,
    handler: HookHandler,
) -> HookAnswer:
    """Answer a validated hook call with ``handler``: gather the patient's data, evaluate
    it, render cards."""
    data = gather_patient_data(request, fallback, evaluation.evaluated_at)
    answer = handler(kb, request, data, evaluation)
    return replace(answer, response=evaluation.profile.apply(answer.response))


def _patient_of(request: HookRequest) -> PatientContext:
    return PatientContext(request.patient_id, request.fhirServer)
