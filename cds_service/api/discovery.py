"""``GET /cds-services``: the CDS Hooks 2.0 discovery document."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from cds_service.hooks.prefetch_templates import discovery_prefetch
from cds_service.runtime import runtime

__all__ = ["discovery"]

discovery = Blueprint("discovery", __name__)


# strict_slashes off: integrators type the discovery URL with or without a trailing slash.
@discovery.get("/cds-services", strict_slashes=False)
def list_services() -> Response:
    """The services declared (contract section 2), with the prefetch the settings choose."""
    state = runtime()
    dated = state.settings.prefetch_observations == "dated"
    days = state.settings.observation_max_age_days if dated else None
    return jsonify(
        services=[
            service.discovery_entry(discovery_prefetch(service.prefetch, days))
            for service in state.services.values()
        ]
    )
