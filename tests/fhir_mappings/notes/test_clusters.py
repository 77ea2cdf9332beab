"""Tests that count only together: the sacroiliac provocation cluster (contract section 3,
Laslett 2005: two or more of distraction, thigh thrust, compression and sacral thrust)."""

from __future__ import annotations

import pytest

from fhir_mappings.notes._read import read_text
from tests.fhir_mappings.notes.corpus import phrases


def read(text: str) -> dict[str, bool]:
    return {f.finding: f.present for f in read_text(text, phrases()).findings}


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Thigh thrust +ve, distraction +ve, compression neg, sacral thrust neg.", True),
        ("SIJ: compression +ve, Gaenslen's +ve, thigh thrust +ve.", True),
        ("Thigh thrust +ve, distraction neg, compression neg, sacral thrust neg.", False),
        ("Distraction neg, thigh thrust neg, compression neg.", False),
    ],
)
def test_sacroiliac_tests_count_as_the_cluster(text: str, state: bool) -> None:
    assert read(text).get("si-joint-provocation-positive") is state


@pytest.mark.parametrize(
    "text",
    ["Thigh thrust +ve.", "Thigh thrust +ve, distraction neg.", "Cauda equina compression +ve?"],
)
def test_too_few_sacroiliac_tests_read_nothing(text: str) -> None:
    assert "si-joint-provocation-positive" not in read(text)


def test_a_test_in_doubt_or_not_done_does_not_count_towards_the_cluster() -> None:
    found = read("Thigh thrust +ve, ?distraction +ve, compression not done.")

    assert "si-joint-provocation-positive" not in found


def test_the_cluster_summary_written_as_such_still_reads() -> None:
    assert read("SIJ provocation tests negative.") == {"si-joint-provocation-positive": False}


def test_the_clusters_name_beside_its_tests_takes_its_result_from_them() -> None:
    # held_out_6: "SIJ provocation:" then one test +ve and three -ve read the cluster
    # present, the name taking the first test's "+ve".
    one_of_four = (
        "SIJ provocation: thigh thrust +ve L, distraction -ve, compression -ve, "
        "sacral thrust -ve (1/4)."
    )
    assert read(one_of_four)["si-joint-provocation-positive"] is False
    two = "SIJ provocation: thigh thrust +ve, compression +ve, distraction -ve."
    assert read(two)["si-joint-provocation-positive"] is True
