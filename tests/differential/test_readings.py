"""What one fact says about each condition: for, against, and worked out once per table."""

from __future__ import annotations

from differential import KnowledgeBase
from differential.posterior import table_for
from differential.readings import diagnosis_readings, fact_readings


def _standing(kb: KnowledgeBase) -> tuple[int, ...]:
    return tuple(range(len(table_for(kb).conditions)))  # every cause still standing


def test_pain_past_the_knee_is_for_sciatica_and_against_gluteus_medius(kb: KnowledgeBase) -> None:
    table = table_for(kb)
    read = fact_readings(kb, table, "pain-radiates-below-knee", True, _standing(kb))

    sciatica = read[table.columns["lumbar-disc-sciatica"]]
    gluteus_medius = read[table.columns["gluteus-medius-syndrome"]]
    assert (sciatica.supports, sciatica.opposes) == (True, False)
    assert (gluteus_medius.supports, gluteus_medius.opposes) == (False, True)
    assert sciatica.evidence.finding == "pain-radiates-below-knee"


def test_a_fact_is_read_once_per_state_and_standing_and_kept_on_the_table(
    kb: KnowledgeBase,
) -> None:
    table = table_for(kb)
    first = fact_readings(kb, table, "sits-bone-pain", True, _standing(kb))

    assert fact_readings(kb, table, "sits-bone-pain", True, _standing(kb)) is first
    assert fact_readings(kb, table, "sits-bone-pain", False, _standing(kb)) is not first


def test_a_recorded_diagnosis_speaks_for_its_condition(kb: KnowledgeBase) -> None:
    table = table_for(kb)
    read = diagnosis_readings(kb, table, "piriformis-syndrome", _standing(kb))

    assert read[table.columns["piriformis-syndrome"]].supports
    assert not read[table.columns["ischial-bursitis"]].supports
