"""Saving: the answers as a QuestionnaireResponse, then one Observation per answer (SDC
observation-extract) where the server accepts them. A refusal loses nothing: the page
keeps the answers and can be submitted again."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cds_service.smart.answers import new_answers, observations_for, questionnaire_response
from cds_service.smart.ehr import Ehr, WriteRefusedError
from cds_service.smart.questions import order_questions
from cds_service.smart.sessions import SmartSession
from differential import KnowledgeBase, evaluate
from differential.model import Presentation

__all__ = ["SaveOutcome", "save_answers"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SaveOutcome:
    """What saving did, in words for the clinician."""

    message: str
    response_id: str | None = None  # the QuestionnaireResponse created
    observations: int = 0
    refused: bool = False


def save_answers(
    ehr: Ehr,
    state: SmartSession,
    kb: KnowledgeBase,
    recorded: Mapping[str, bool],
    answers: Mapping[str, bool | None],
    *,
    authored: datetime,
) -> SaveOutcome:
    """Write the new yes / no answers to the EHR; unknown ones are never written."""
    assert state.patient is not None  # noqa: S101 - only a launched session saves
    to_write = new_answers(answers, recorded)
    if not to_write:
        return SaveOutcome("Nothing new to save: no answer differs from the record.")
    questions = order_questions(kb, evaluate(kb, Presentation(findings=recorded)), recorded).all
    response = questionnaire_response(
        to_write,
        questions,
        patient=state.patient,
        author=state.author,
        encounter=state.encounter,
        authored=authored,
    )
    try:
        response_id = ehr.create(response)
    except WriteRefusedError as refusal:
        # The reason carries no patient data (a status code or an exception's class).
        _log.warning("the EHR refused the QuestionnaireResponse: %s", refusal)
        return SaveOutcome(
            f"The EHR did not save the answers ({refusal}). Nothing is lost: the answers are "
            "still on this page; save again, or record them in the note.",
            refused=True,
        )
    labels = {q.code: q.label for q in questions}
    created = 0
    for observation in observations_for(
        to_write, labels, patient=state.patient, response_id=response_id, authored=authored
    ):
        try:
            ehr.create(observation)
        except WriteRefusedError:
            break  # the response holds the answers; Observations are a courtesy
        created += 1
    extracted = f" and {created} Observation{'s' if created != 1 else ''}" if created else ""
    return SaveOutcome(
        f"Saved {len(to_write)} answer{'s' if len(to_write) != 1 else ''} to the record "
        f"(QuestionnaireResponse{extracted}). The next hook call reads them.",
        response_id=response_id,
        observations=created,
    )
