"""The contract's prefetch templates (section 2): what a service asks the EHR to send.

Discovery offers them; the FHIR fallback fetches these same queries for a key that did not
come; the request parser knows their keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from terminology import QUESTIONNAIRE_URL

__all__ = ["OPTIONAL_PREFETCH_KEYS", "PREFETCH_TEMPLATES", "discovery_prefetch"]

# Exact templates of the contract; the FHIR fallback fetches these same queries.
PREFETCH_TEMPLATES: Mapping[str, str] = MappingProxyType(
    {
        "patient": "Patient/{{context.patientId}}",
        "observations": "Observation?patient={{context.patientId}}",
        "conditions": "Condition?patient={{context.patientId}}",
        # Answers to our bedside Questionnaire (contract sections 2 and 3); optional.
        "questionnaireResponses": (
            "QuestionnaireResponse?patient={{context.patientId}}"
            f"&questionnaire={QUESTIONNAIRE_URL}"
        ),
        # Clinical notes (contract sections 2 and 3a); optional.
        "notes": (
            "DocumentReference?patient={{context.patientId}}&category=clinical-note&status=current"
        ),
    }
)

# Keys whose absence, when they cannot be fetched, counts as no data rather than a 412.
OPTIONAL_PREFETCH_KEYS = frozenset({"questionnaireResponses", "notes"})


def discovery_prefetch(
    templates: Mapping[str, str] = PREFETCH_TEMPLATES, observation_days: int | None = None
) -> dict[str, str]:
    """The prefetch ``templates`` as discovery offers them: with ``observation_days``, the
    observations only as far back as the service reads them, in the FHIRPath date token CDS
    Hooks clients (the sandbox, Epic) evaluate; without, the templates as they are."""
    offered = dict(templates)
    if observation_days is not None and "observations" in offered:
        offered["observations"] += f"&date=ge{{{{today() - {observation_days} days}}}}"
    return offered
