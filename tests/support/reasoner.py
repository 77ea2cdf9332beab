"""Asking the reasoner about a presentation given as lists of finding codes."""

from __future__ import annotations

from collections.abc import Callable

from differential import Differential, KnowledgeBase, Presentation, evaluate

__all__ = ["PRESENTING_COMPLAINTS", "Ask", "asker"]

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


def asker(kb: KnowledgeBase) -> Ask:
    """ask(present=[...], absent=[...], diagnoses=[...], sex=..., age=...) -> Differential."""

    def _ask(
        present: tuple[str, ...] | list[str] = (),
        absent: tuple[str, ...] | list[str] = (),
        diagnoses: tuple[str, ...] | list[str] = (),
        sex: str | None = None,
        age: int | None = None,
    ) -> Differential:
        findings = dict.fromkeys(present, True) | dict.fromkeys(absent, False)
        presentation = Presentation(
            findings=findings,
            diagnoses=frozenset(diagnoses),
            sex=sex,  # type: ignore[arg-type]
            age_years=age,
        )
        return evaluate(kb, presentation)

    return _ask
