"""A measure's phrase read by the value after it: temperatures (and, through the reader,
bladder scans and body mass indices, tested with their findings in test_surroundings)."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Obs: T 38.6, HR 104, BP 118/70.",
        "Temp 38.4 in triage, rigors overnight.",
        "ED obs: temp 38.1C, sats 98%.",
        "Pyrexial 38.5 on arrival.",
        "T 101.3F at home this morning per mum's thermometer.",
        "Tympanic temperature 38.0 °C.",
        "No rigors, T 38.5.",
        "Not afebrile, temp 38.5.",  # the reading says it, whatever the odd words before
    ],
)
def test_a_temperature_of_38_or_more_reads_fever(text: str) -> None:
    assert read(text).get("fever") is True


@pytest.mark.parametrize(
    "text", ["Obs: T 36.8, HR 72.", "temp 37.2, BP 124/80.", "Temperature 98.6F, RR 14."]
)
def test_a_normal_temperature_measured_reads_fever_absent(text: str) -> None:
    assert read(text).get("fever") is False


@pytest.mark.parametrize(
    "text",
    [
        "Plan: check temp and bloods tomorrow.",
        "Return if temp over 38.",
        "Safety netting: seek help if T >38.0 or new numbness.",
        "T 37.0 on regular paracetamol.",
        "Temp 36.9 yesterday at the GP.",
        "Check temp at home twice daily.",
        "T2 hyperintensity in the L ischium.",
        "L5 and S1 roots, T 12 vertebra normal.",
        "BP 118/70, T 38/7 since onset.",
        "T 12.5 mmol/L glucose.",
    ],
)
def test_no_temperature_finding_from_a_plan_a_threshold_a_masked_or_odd_number(text: str) -> None:
    assert "fever" not in read(text)


# --- a bone density scan's scores (notes-recall, knowledge base 1.22.0) --------------------


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("DXA (2024): lumbar spine Z-score -0.4, hip Z-score -0.2.", False),
        ("DXA last year: T-score -2.7 L femoral neck.", True),
        ("DEXA: Z score of -1.6 at the hip.", True),
        ("DXA: spine Z-score -0.6, hip Z-score -1.3.", True),  # the lowest decides
        ("DXA: T-score -1.0 at the hip.", False),  # at the mark, not below it
    ],
)
def test_a_bone_density_scan_reads_by_its_scores(text: str, state: bool) -> None:
    assert read(text)["low-bone-density"] is state


@pytest.mark.parametrize(
    "text", ["DXA scan requested.", "Mum had DXA T-score -3.0.", "DXA: Z-score -12 (typo)."]
)
def test_a_scan_requested_someone_elses_or_an_impossible_score_reads_nothing(text: str) -> None:
    assert "low-bone-density" not in read(text)
