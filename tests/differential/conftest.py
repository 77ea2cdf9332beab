"""Fixtures for the reasoner's tests: the shipped knowledge base and a way to ask it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from differential import Differential, KnowledgeBase, Presentation, evaluate, load_knowledge_base

Ask = Callable[..., Differential]

# Contract section 5: a patient with none of these present (and no diagnosis) gets no card.
PRESENTING_COMPLAINTS = (
    "buttock-pain",
    "pain-radiates-below-knee",
    "diffuse-gluteal-pain",
    "pain-into-upper-hamstring",
    "lateral-hip-pain",
    "sits-bone-pain",
    "pain-below-sits-bone",
    "groin-pain",
    "pain-on-impact",
    "pain-after-running-with-limp",
)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture
def ask(kb: KnowledgeBase) -> Ask:
    """ask(present=[...], absent=[...], diagnoses=[...], sex=...) -> Differential."""

    def _ask(
        present: tuple[str, ...] | list[str] = (),
        absent: tuple[str, ...] | list[str] = (),
        diagnoses: tuple[str, ...] | list[str] = (),
        sex: str | None = None,
    ) -> Differential:
        findings = dict.fromkeys(present, True) | dict.fromkeys(absent, False)
        presentation = Presentation(
            findings=findings,
            diagnoses=frozenset(diagnoses),
            sex=sex,  # type: ignore[arg-type]
        )
        return evaluate(kb, presentation)

    return _ask
