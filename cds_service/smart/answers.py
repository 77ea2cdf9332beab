"""The clinician's answers: read from the form, merged with the record, written as FHIR.

Unknown stays unknown: a question left unknown is never written, and never as "No". Only
answers that say something the record does not (new, or changed) are written back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from cds_service.errors import ServiceError
from cds_service.smart.questions import ANSWER_STATES, Question
from terminology import QUESTIONNAIRE_URL, answer_coding, system_url

__all__ = [
    "FormAnswers",
    "InvalidAnswerError",
    "new_answers",
    "observations_for",
    "questionnaire_response",
    "read_answers",
]

_STATE: Mapping[str, bool | None] = {"present": True, "absent": False, "unknown": None}


class InvalidAnswerError(ServiceError):
    """A submitted answer is not one the form offers."""

    status = 400


class FormAnswers(Protocol):
    """What is read from a submission (werkzeug's MultiDict fits)."""

    def get(self, key: str, default: str) -> str: ...


def read_answers(form: FormAnswers, codes: Iterable[str]) -> dict[str, bool | None]:
    """Each asked finding's answer: True, False, or None (unknown, or not submitted)."""
    answers: dict[str, bool | None] = {}
    for code in codes:
        value = form.get(f"q-{code}", "unknown")
        if value not in ANSWER_STATES:
            raise InvalidAnswerError(f"The answer to “{code}” is not one the form offers.")
        answers[code] = _STATE[value]
    return answers


def new_answers(
    answers: Mapping[str, bool | None], recorded: Mapping[str, bool]
) -> dict[str, bool]:
    """The answers to write: yes or no, and not what the record already says."""
    return {
        code: value
        for code, value in answers.items()
        if value is not None and recorded.get(code) is not value
    }


def merged(recorded: Mapping[str, bool], answers: Mapping[str, bool | None]) -> dict[str, bool]:
    """The findings to reason on: the record, overridden by every yes / no answer."""
    given = {code: value for code, value in answers.items() if value is not None}
    return {**recorded, **given}


def questionnaire_response(
    answers: Mapping[str, bool],
    questions: Iterable[Question],
    *,
    patient: str,
    author: str | None,
    encounter: str | None,
    authored: datetime,
) -> dict[str, Any]:
    """A completed response to our Questionnaire with one item per yes / no answer, grouped
    as the Questionnaire groups them."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for question in questions:
        if question.code in answers:
            item = {
                "linkId": question.code,
                "text": question.label,
                "answer": [{"valueCoding": answer_coding(answers[question.code])}],
            }
            groups.setdefault(_GROUP_LINK_IDS.get(question.group, question.group), []).append(item)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "subject": {"reference": f"Patient/{patient}"},
        "authored": authored.isoformat(),
        "item": [{"linkId": key, "item": items} for key, items in groups.items()],
    }
    if author:
        response["author"] = {"reference": author}
    if encounter:
        response["encounter"] = {"reference": f"Encounter/{encounter}"}
    return response


# Knowledge-base group -> the linkId of its group in the Questionnaire.
_GROUP_LINK_IDS: Mapping[str, str] = {"red-flag": "red-flags", "risk-factor": "risk-factors"}


def observations_for(
    answers: Mapping[str, bool],
    labels: Mapping[str, str],
    *,
    patient: str,
    response_id: str,
    authored: datetime,
) -> list[dict[str, Any]]:
    """SDC observation-extract: one Observation per answer, derived from the response."""
    return [
        {
            "resourceType": "Observation",
            "status": "final",
            "code": {
                "coding": [
                    {"system": system_url("finding"), "code": code, "display": labels[code]}
                ],
                "text": labels[code],
            },
            "subject": {"reference": f"Patient/{patient}"},
            "effectiveDateTime": authored.isoformat(),
            "valueBoolean": value,
            "derivedFrom": [{"reference": f"QuestionnaireResponse/{response_id}"}],
        }
        for code, value in answers.items()
    ]
