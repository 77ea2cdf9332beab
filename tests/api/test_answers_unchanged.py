"""Every recorded answer is still given, card for card (issue 18: speed work changes none).

The record (``recorded_answers.json``) was made with ``python -m tests.support.answers``
before the hot path was optimised; random card ids aside, each answer must be the same.
"""

from __future__ import annotations

import pytest

from cds_service.settings import Settings
from tests.support.answers import AnswerCase, Answering, cases, digest, recorded, summary

_CASES = {case.name: case for case in cases()}


@pytest.fixture(scope="module")
def answering(tmp_path_factory: pytest.TempPathFactory) -> Answering:
    database = tmp_path_factory.mktemp("answers") / "answers.sqlite3"
    return Answering(Settings(database_url=f"sqlite:///{database}", allow_http_fhir=False))


def test_the_record_covers_vignettes_and_the_grid() -> None:
    names = set(recorded())
    assert sum(name.startswith("vignette ") for name in names) >= 25
    assert sum(name.startswith("grid ") for name in names) >= 100
    assert {"patient-view", "order-select", "order-sign"} <= {
        case.request["hook"] for case in _CASES.values()
    }


@pytest.mark.parametrize("name", sorted(recorded()))
def test_answer_is_unchanged(name: str, answering: Answering) -> None:
    record = recorded()[name]
    case: AnswerCase | None = _CASES.get(name)
    assert case is not None, f"{name} is recorded but no longer a case: re-record deliberately"
    assert case.input_digest() == record["input"], (
        "the case's input changed since it was recorded: re-record deliberately "
        "(python -m tests.support.answers)"
    )

    answer = answering.answer(case)

    assert answer["status"] == 200
    assert summary(answer) == record["cards"]
    assert digest(answer) == record["answer"]
