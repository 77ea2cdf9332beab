"""WSGI entry point for gunicorn: ``gunicorn cds_service.wsgi:app``.

The only module that builds the app at import time, on purpose: WSGI servers import a
module and look up a callable. Everything else calls :func:`create_app` itself.
"""

from __future__ import annotations

import gc

from cds_service.app import create_app

__all__ = ["app"]

app = create_app()
# What is built by now (modules, knowledge base, pydantic and FHIR schemas) lives as long
# as the worker: spare it from every full garbage collection (~0.2 ms of each hook call).
gc.freeze()
