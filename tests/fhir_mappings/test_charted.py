"""One Condition read once for its diagnoses, findings and onsets."""

from __future__ import annotations

from datetime import timedelta

from fhir_mappings._charted import read_condition, relevant
from fhir_mappings._condition_model import Condition
from fhir_mappings._onset import Onset
from terminology import code_tables
from tests.fhir_mappings.resources import ICD10CM, NOW, SNOMED, condition

WINDOW = timedelta(days=180)
LOCAL = "https://ehr.example.org/codes"


def test_only_our_codes_or_an_orders_reason_are_worth_validating() -> None:
    tables = code_tables()
    assert relevant(condition("M54.41", ICD10CM), tables, ())  # a diagnosis
    assert relevant(condition("Z85.3", ICD10CM), tables, ())  # a risk factor
    assert relevant(condition("240197007", SNOMED), tables, ())
    assert not relevant(condition("I10", ICD10CM), tables, ())  # hypertension
    assert relevant(condition("I10", ICD10CM), tables, {"cond-1"})  # named by an order


def test_a_diagnosis_recorded_in_the_window_gives_its_onset() -> None:
    raw = condition(
        "M54.41", ICD10CM, recordedDate="2026-11-10", onsetDateTime="2026-09-25T15:00:00Z"
    )
    charted = read_condition(
        Condition.model_validate(raw), code_tables(), evaluated_at=NOW, max_age=WINDOW, reasons=()
    )
    assert charted.diagnoses == {"lumbar-disc-sciatica"}
    assert charted.readings == ()
    assert charted.onset == Onset(NOW - timedelta(days=56), "cond-1")
    assert charted.named is None


def test_a_reason_condition_gives_its_onset_as_named() -> None:
    raw = condition("I10", LOCAL, onsetDateTime="2026-11-01T15:00:00Z")
    charted = read_condition(
        Condition.model_validate(raw),
        code_tables(),
        evaluated_at=NOW,
        max_age=WINDOW,
        reasons={"cond-1"},
    )
    assert charted.named == Onset(NOW - timedelta(days=19), "cond-1")
    assert (charted.diagnoses, charted.readings, charted.onset) == (frozenset(), (), None)
