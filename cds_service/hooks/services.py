"""The CDS services this app offers (contract section 2), as data.

Discovery renders this catalogue; the hook route looks services up in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from cds_service.errors import UnknownServiceError
from terminology import QUESTIONNAIRE_URL

__all__ = [
    "OPTIONAL_PREFETCH_KEYS",
    "PREFETCH_TEMPLATES",
    "SERVICES",
    "CdsService",
    "DiscoveryDocument",
    "DiscoveryService",
    "discovery_prefetch",
    "find_service",
]

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


def discovery_prefetch(observation_days: int | None = None) -> dict[str, str]:
    """The prefetch templates discovery offers: with ``observation_days``, the observations
    only as far back as the service reads them, in the FHIRPath date token CDS Hooks clients
    (the sandbox, Epic) evaluate; without, the contract's plain templates."""
    templates = dict(PREFETCH_TEMPLATES)
    if observation_days is not None:
        templates["observations"] += f"&date=ge{{{{today() - {observation_days} days}}}}"
    return templates


# Keys whose absence, when they cannot be fetched, counts as no data rather than a 412.
OPTIONAL_PREFETCH_KEYS = frozenset({"questionnaireResponses", "notes"})

_USAGE = (
    "Works best with prefetch; otherwise it reads Patient, Observation, Condition and "
    "QuestionnaireResponse from fhirServer, which then needs to be https and reachable from "
    "the service."
)


class DiscoveryService(BaseModel):
    """One service as CDS Hooks 2.0 discovery lists it."""

    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str]
    usageRequirements: str | None = None  # noqa: N815 - CDS Hooks field name


class DiscoveryDocument(BaseModel):
    """The body of ``GET /cds-services``."""

    services: list[DiscoveryService]


@dataclass(frozen=True)
class CdsService:
    """One entry of the discovery document."""

    id: str
    hook: str
    title: str
    description: str

    def discovery_entry(self, prefetch: Mapping[str, str] = PREFETCH_TEMPLATES) -> dict[str, Any]:
        """This service as CDS Hooks 2.0 discovery lists it, with these prefetch templates."""
        entry = DiscoveryService(
            hook=self.hook,
            title=self.title,
            description=self.description,
            id=self.id,
            prefetch=dict(prefetch),
            usageRequirements=_USAGE,
        )
        return entry.model_dump()


SERVICES: Mapping[str, CdsService] = MappingProxyType(
    {
        service.id: service
        for service in (
            CdsService(
                id="gluteal-pain-differential",
                hook="patient-view",
                title="Buttock / posterior hip pain in runners: differential",
                description=(
                    "Ranks the seven usual causes of buttock and posterior hip pain in "
                    "runners from recorded findings, says which test would separate them "
                    "next, which to avoid, and flags red flags."
                ),
            ),
            CdsService(
                id="gluteal-pain-order-select",
                hook="order-select",
                title="Buttock / posterior hip pain: imaging appropriateness (order-select)",
                description=(
                    "Rates the selected hip, pelvis and lumbar imaging orders against the "
                    "differential (PAMA rating in systemActions) and offers the study that "
                    "would help instead of one that will not."
                ),
            ),
            CdsService(
                id="gluteal-pain-order-sign",
                hook="order-sign",
                title="Buttock / posterior hip pain: imaging appropriateness (order-sign)",
                description=(
                    "Before signing, rates every drafted hip, pelvis and lumbar imaging order "
                    "against the differential (PAMA rating in systemActions) and offers the "
                    "study that would help instead of one that will not."
                ),
            ),
        )
    }
)


def find_service(service_id: str) -> CdsService:
    """The service with this id, or :class:`UnknownServiceError`."""
    try:
        return SERVICES[service_id]
    except KeyError:
        raise UnknownServiceError(service_id) from None
