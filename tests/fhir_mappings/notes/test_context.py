"""ConText with its pairs checked cheaply first: the same modifiers, scopes and attributes on
every phrase as medspaCy's own ConText step, on notes where scopes meet and end."""

from __future__ import annotations

from typing import Any

import pytest

from fhir_mappings.notes._context import run_context
from fhir_mappings.notes._nlp import pipeline
from tests.fhir_mappings.notes.corpus import phrases

NOTES = [
    "Denies fever, chills, night sweats, saddle anaesthesia or incontinence.",
    "No fever but reports saddle numbness. Possible sciatica? Mother had breast cancer.",
    "Buttock pain on sitting, no radiation. SLR +ve, FAIR neg. Return if febrile.",
    "Negative for:\n  fever\n  saddle anaesthesia\nPlan: MRI if no better in 6 weeks.",
    "PMH: osteoporosis. Now 58F with 3/52 sits-bone pain, no weight loss, not tender.",
]


def _up_to_context(text: str) -> Any:
    """The note's Doc after every step before ConText."""
    nlp = pipeline(phrases().targets)
    doc = nlp.make_doc(text)
    for name, step in nlp.pipeline:
        if name == "gluteal_context":
            return doc
        doc = step(doc)
    raise AssertionError("no gluteal_context step in the pipeline")


def _context_read(doc: Any) -> list[tuple[Any, ...]]:
    """Every phrase with its modifiers (rule, span, scope) and ConText attributes."""
    return [
        (
            ent.start,
            ent.label_,
            [(m.rule.literal, m.category, m.modifier_span, m.scope_span) for m in ent._.modifiers],
            (ent._.is_negated, ent._.is_uncertain, ent._.is_historical, ent._.is_hypothetical),
            ent._.is_family,
        )
        for ent in doc.ents
    ]


@pytest.mark.parametrize("text", NOTES)
def test_the_same_reading_as_the_librarys_context(text: str) -> None:
    library = pipeline(phrases().targets).get_pipe("medspacy_context")
    ours = run_context(library, _up_to_context(text))
    theirs = library(_up_to_context(text))

    assert _context_read(ours) == _context_read(theirs)
    assert any(ent._.modifiers for ent in ours.ents)  # the notes do carry context


def test_the_library_step_runs_in_the_pipeline_only_through_ours() -> None:
    nlp = pipeline(phrases().targets)

    assert "medspacy_context" in nlp.disabled
    assert nlp.pipe_names.index("gluteal_context") < nlp.pipe_names.index("medspacy_sectionizer")
