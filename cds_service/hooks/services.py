"""The CDS services this app offers (contract section 2): one declaration each.

A declaration says everything about its service: id, hook, title, description, the
context its hook carries, the prefetch it asks for and the handler that answers it.
Discovery, routing (:func:`find_service`) and the OpenAPI document are built from
:data:`SERVICES`, so another hook is one more entry there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from cds_service.errors import UnknownServiceError
from cds_service.hooks.pipeline import HookHandler, answer_order_hook, answer_patient_view
from cds_service.hooks.prefetch_templates import PREFETCH_TEMPLATES
from cds_service.hooks.request import HookContext, OrderContext, OrderSelectContext

__all__ = [
    "SERVICES",
    "CdsService",
    "DiscoveryDocument",
    "DiscoveryService",
    "find_service",
]

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


# eq=False: a declaration is itself (hashed by identity), so documents built from a set of
# them can be cached; its templates and handler are not values to compare.
@dataclass(frozen=True, eq=False)
class CdsService:
    """One CDS service: what discovery lists, the context it validates, who answers it."""

    id: str
    hook: str
    title: str
    description: str
    context: type[HookContext]  # the model of the hook's context
    handler: HookHandler
    # What discovery offers; the FHIR fallback fetches the contract's templates.
    prefetch: Mapping[str, str] = field(default_factory=lambda: PREFETCH_TEMPLATES)

    def discovery_entry(self, prefetch: Mapping[str, str] | None = None) -> dict[str, Any]:
        """This service as CDS Hooks 2.0 discovery lists it (with ``prefetch``, if given,
        instead of its own templates)."""
        entry = DiscoveryService(
            hook=self.hook,
            title=self.title,
            description=self.description,
            id=self.id,
            prefetch=dict(self.prefetch if prefetch is None else prefetch),
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
                context=HookContext,
                handler=answer_patient_view,
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
                context=OrderSelectContext,
                handler=answer_order_hook,
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
                context=OrderContext,
                handler=answer_order_hook,
            ),
        )
    }
)


def find_service(service_id: str, services: Mapping[str, CdsService] = SERVICES) -> CdsService:
    """The service with this id among ``services``, or :class:`UnknownServiceError`."""
    try:
        return services[service_id]
    except KeyError:
        raise UnknownServiceError(service_id) from None
