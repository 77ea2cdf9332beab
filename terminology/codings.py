"""Codings other packages write into FHIR resources, read from ``codes.json``.

The web side writes answers back to the EHR (the bedside app) and the mapper reads them: both
take the system URLs, the Questionnaire's URL and the yes / no codings from here rather than
typing them again.
"""

from __future__ import annotations

from terminology._codes import code_tables

__all__ = ["QUESTIONNAIRE_URL", "answer_coding", "system_url"]

# The canonical URL of our bedside Questionnaire: the mapper counts only responses to it,
# the bedside app writes it, the generator gives it to terminology/fhir/.
QUESTIONNAIRE_URL = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"


def system_url(name: str) -> str:
    """The URL of a code system named in ``codes.json``, e.g. ``"finding"``."""
    return code_tables().system(name)


def answer_coding(present: bool) -> dict[str, str]:
    """The Yes (``present``) or No coding our Questionnaire answers with."""
    system, code, display = code_tables().questionnaire_answers[0 if present else 1]
    return {"system": system, "code": code, "display": display}
