"""Cards and shown-card events as the store receives them from a hook call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from cds_service.store import Feedback, FeedbackStore
from cds_service.store.models import ShownCard
from differential import model
from differential.model import Candidate, Differential, Status
from tests.support.clock import FakeClock

__all__ = [
    "DIFFERENTIAL",
    "PATIENT",
    "SALT",
    "ShownEvent",
    "card",
    "overridden_card",
    "shown_count",
    "shown_event",
    "shown_in_call",
]

SALT = "test-salt"


@dataclass(frozen=True)
class ShownEvent:
    """What the app passes to listeners after a hook response."""

    service_id: str
    hook: str
    hook_instance: str
    patient_id: str | None
    cards: list[dict[str, Any]]
    differential: Differential | None = None
    issuer: str | None = None


PATIENT = "patient-4711-zebra"
SUBJECT_EXT = "https://gluteal-cds.org/cds-hooks/card-subject"


def card(
    uuid: str, topic: str, *, conditions: tuple[str, ...] = (), tests: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A card as ``cards`` renders it: its subject in the card-subject extension."""
    subject = {
        "topic": topic,
        "conditions": list(conditions),
        "tests": list(tests),
        "knowledgeVersion": "1.2.3",
    }
    return {
        "uuid": uuid,
        "summary": f"a {topic} card",
        "indicator": "info",
        "source": {"label": "gluteal-cds", "topic": {"code": topic}},
        "extension": {SUBJECT_EXT: subject},
    }


def candidate(code: str, rank: int, status: Status) -> Candidate:
    return Candidate(code, code, rank, status, 0.5, supporting=(), opposing=())


def advice(code: str, *conditions: str) -> model.TestAdvice:
    return model.TestAdvice(
        code, code.replace("-", " "), "why", "source", "exam", conditions=conditions
    )


DIFFERENTIAL = Differential(
    knowledge_version="1.2.3",
    active=True,
    candidates=(
        candidate("lumbar-disc-sciatica", 1, Status.LIKELY),
        candidate("piriformis-syndrome", 2, Status.POSSIBLE),
        candidate("ischial-bursitis", 3, Status.UNLIKELY),
    ),
    next_tests=(
        advice("mri-lumbar-spine", "lumbar-disc-sciatica"),
        advice("exam-piriformis", "piriformis-syndrome"),
    ),
    avoid_tests=(advice("xray-hip-pelvis"),),
)


def shown_event(*cards: dict[str, Any]) -> ShownEvent:
    return ShownEvent(
        service_id="gluteal-pain-differential",
        hook="patient-view",
        hook_instance="d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        patient_id=PATIENT,
        cards=list(cards),
        differential=DIFFERENTIAL,
    )


def shown_in_call(hook_instance: str, *cards: dict[str, object]) -> ShownEvent:
    """The cards of one patient-view call whose ``hookInstance`` the caller chose."""
    return ShownEvent(
        service_id="gluteal-pain-differential",
        hook="patient-view",
        hook_instance=hook_instance,
        patient_id="p-1",
        cards=list(cards),
        differential=DIFFERENTIAL,
    )


def shown_count(store: FeedbackStore) -> int:
    """How many shown-card rows the store holds (reading waits for its queue)."""
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(ShownCard)) or 0


def overridden_card(
    clock: FakeClock, card_id: str, display: str = "", comment: str = ""
) -> Feedback:
    """An override of ``card_id`` with reason "other", the display and comment typed."""
    return Feedback(
        card_uuid=card_id,
        outcome="overridden",
        outcome_timestamp=clock(),
        override_reason_code="other",
        override_reason_display=display or None,
        user_comment=comment or None,
    )
