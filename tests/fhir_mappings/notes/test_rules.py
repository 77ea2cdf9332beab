"""Our medspaCy rules: each context word, heading and result counts as the contract says."""

from __future__ import annotations

import pytest

from fhir_mappings.notes import explain_text
from tests.fhir_mappings.notes.corpus import phrases


def states(text: str) -> dict[str, bool | None]:
    return {m.label: state for m, state in explain_text(text, phrases())}


@pytest.mark.parametrize(
    ("text", "code", "state"),
    [
        ("Denies numbness.", "leg-numbness", False),
        # Findings written after the site, as exam lines often are ("<site> TTP").
        ("O: Ischial tuberosity TTP.", "ischial-tuberosity-tenderness", True),
        ("R GT TTP, no swelling.", "greater-trochanter-tenderness", True),
        ("R buttock pain, worse w/ sitting.", "pain-worse-sitting", True),
        ("SLR negative.", "straight-leg-raise-positive", False),
        ("SLR +ve at 40 deg.", "straight-leg-raise-positive", True),
        ("SLR at 40 deg.", "straight-leg-raise-positive", None),  # no result stated
        ("Possible radiation past the knee?", "pain-radiates-below-knee", None),
        ("If the pain spreads past the knee, MRI.", "pain-radiates-below-knee", None),
        ("Return if numbness.", "leg-numbness", None),
        ("Mother had osteoporosis.", "low-bone-density", None),
        ("Hop test not done.", "single-leg-hop-painful", None),
        ("Stress fracture in 2019.", "prior-stress-fracture", True),
        ("h/o breast ca.", "cancer-history", True),
        ("h/o numbness in the foot.", "leg-numbness", None),  # a history of a symptom
        ("Fever: \nSLR: ", "fever", None),  # an empty template field
        ("Fever: no", "fever", False),
        ("FAIR +ve, SLR neg.", "piriformis-test-positive", True),
        ("FAIR +ve, SLR neg.", "straight-leg-raise-positive", False),
    ],
)
def test_each_context_counts_as_the_contract_says(text: str, code: str, state: bool | None) -> None:
    assert states(text)[code] is state


def test_family_history_section_is_not_the_patients() -> None:
    text = "Family history:\nbreast cancer, osteoporosis\n\nComplaint: buttock pain"

    read = states(text)

    assert read["cancer-history"] is None
    assert read["low-bone-density"] is None
    assert read["buttock-pain"] is True


def test_plan_section_mentions_are_not_findings() -> None:
    assert states("Plan: physio, review numbness in 2/52")["leg-numbness"] is None
