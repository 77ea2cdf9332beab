"""``GET /try`` and ``POST /try``: enter findings, see what the patient-view hook would say.

Submitting runs :func:`cds_service.hooks.pipeline.assess`, the function the hook itself calls,
so the page can never drift from what an EHR receives.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache
from pathlib import Path

from flask import Blueprint, render_template, request

from cds_service.errors import ServiceError
from cds_service.hooks.notes import NoteView, read_note_text
from cds_service.hooks.pipeline import assess
from cds_service.pages.errors import register_page_errors
from cds_service.pages.examples import Example, ExampleCatalogue
from cds_service.pages.format import register_page_filters
from cds_service.pages.knowledge import loaded_knowledge
from cds_service.pages.try_form import (
    FINDING_STATES,
    SEX_CHOICES,
    InvalidFormError,
    TryForm,
    form_for,
    read_form,
)
from cds_service.pages.try_result import TryResult, result_for
from cds_service.runtime import runtime
from differential import KnowledgeBase

__all__ = ["try_page"]

try_page = Blueprint("try_page", __name__)
register_page_errors(try_page)
register_page_filters(try_page)

# Cards offer imaging orders only for a patient; the page stands in a placeholder for one.
_EXAMPLE_PATIENT = "try-it"
MAX_NOTE_CHARACTERS = 200_000  # a note the hook reads is at most 200 kB (contract 3a)


class UnknownExampleError(ServiceError):
    """No example has this name."""

    status = 404


def _examples() -> ExampleCatalogue:
    settings = runtime().settings
    return _catalogue(settings.vignettes_dir, timedelta(days=settings.observation_max_age_days))


@cache
def _catalogue(vignettes_dir: Path | None, max_age: timedelta) -> ExampleCatalogue:
    # Read on first use and kept: vignettes do not change while the service runs.
    return ExampleCatalogue(vignettes_dir, max_age)


def _page(
    kb: KnowledgeBase,
    form: TryForm,
    *,
    result: TryResult | None = None,
    example: Example | None = None,
    error: str | None = None,
    note_view: NoteView | None = None,
) -> str:
    return render_template(
        "try.html",
        kb=kb,
        form=form,
        states=FINDING_STATES,
        sexes=SEX_CHOICES,
        examples=tuple(_examples().by_name.values()),
        example=example,
        result=result,
        error=error,
        note_view=note_view,
        note_limit=MAX_NOTE_CHARACTERS,
    )


@try_page.get("/try")
def show_form() -> str:
    """The empty form, or the form filled from ``?example=<name>``."""
    kb = loaded_knowledge()
    name = request.args.get("example")
    if not name:
        return _page(kb, form_for(kb))
    example = _examples().by_name.get(name)
    if example is None:
        raise UnknownExampleError("No example of that name.")
    return _page(kb, form_for(kb, example.presentation), example=example)


@try_page.post("/try")
def evaluate_form() -> tuple[str, int]:
    """The differential and the cards for the submitted findings."""
    kb = loaded_knowledge()
    try:
        presentation = read_form(kb, request.form)
        note_view = _note(kb, request.form.get("note", ""))
    except InvalidFormError as error:
        message = f"The field “{error.field}” has a value this form does not offer."
        return _page(kb, form_for(kb), error=message), error.status
    # What the form records wins over what the note says (as coded data does in a call).
    entered = presentation
    presentation = replace(entered, findings=note_view.findings | dict(entered.findings))
    settings = runtime().settings
    assessment = assess(
        kb,
        presentation,
        knowledge_url=settings.public_base_url or request.host_url.rstrip("/"),
        patient_id=_EXAMPLE_PATIENT,
    )
    # The example the form was loaded from stays named, though its findings may have changed.
    example = _examples().by_name.get(request.form.get("example", ""))
    page = _page(
        kb,
        form_for(kb, entered),  # the form shows what was entered, the note stays the note
        result=result_for(assessment),
        example=example,
        note_view=note_view,
    )
    return page, 200


def _note(kb: KnowledgeBase, text: str) -> NoteView:
    """The note's text read; longer than a note the service reads is refused (400)."""
    if len(text) > MAX_NOTE_CHARACTERS:
        raise InvalidFormError("note")
    return read_note_text(kb, text)
