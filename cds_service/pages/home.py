"""``GET /``: what the service is for, its CDS services, and where to look next."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from cds_service.pages.errors import register_page_errors
from cds_service.pages.format import register_page_filters
from cds_service.runtime import runtime

__all__ = ["home"]

home = Blueprint("home", __name__)
register_page_errors(home)
register_page_filters(home)


@home.get("/")
def index() -> str:
    """The front page: the services of the discovery document and the knowledge version."""
    state = runtime()
    kb = state.knowledge_base
    return render_template(
        "home.html",
        services=tuple(state.services.values()),
        knowledge_version=kb.version if kb else None,
        title=kb.title if kb else None,
    )


@home.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers ask for on every page: a small SVG (pages also link it), not a 404."""
    response = current_app.send_static_file("favicon.svg")
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response
