"""The floor of the benchmark: Flask parsing the same JSON body and answering no cards.

Run under gunicorn exactly like the service (``gunicorn bench.bare_app:app``), so the
difference between the two is what the service itself costs.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

__all__ = ["app", "create_bare_app"]


def create_bare_app() -> Flask:
    """A Flask app with one route that parses the hook body and answers ``{"cards": []}``."""
    app = Flask(__name__)

    @app.post("/cds-services/<service_id>")
    def hook(service_id: str) -> Response:
        request.get_json(force=True)
        return jsonify(cards=[])

    return app


app = create_bare_app()  # built at import on purpose: gunicorn imports a module-level app
