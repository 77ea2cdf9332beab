"""``GET /openapi.json``: the OpenAPI 3.1 description of the service."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from cds_service.api.openapi_document import openapi_document
from cds_service.runtime import runtime

__all__ = ["openapi"]

openapi = Blueprint("openapi", __name__)


@openapi.get("/openapi.json")
def openapi_json() -> Response:
    """The description, generated from the models the service validates with and the
    services it offers."""
    return jsonify(openapi_document(tuple(runtime().services.values())))
