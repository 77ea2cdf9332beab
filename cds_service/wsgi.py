"""WSGI entry point for gunicorn: ``gunicorn cds_service.wsgi:app``.

The only module that builds the app at import time, on purpose: WSGI servers import a
module and look up a callable. Everything else calls :func:`create_app` itself.
"""

from __future__ import annotations

import gc

from cds_service.app import create_app
from cds_service.hooks.notes import warm_note_reader
from cds_service.runtime import runtime

__all__ = ["app"]

# The cyclic garbage collector, tuned for a worker answering hook calls (~0.3 ms a call):
_GC_THRESHOLDS = (50_000, 20, 20)

app = create_app()
# The clinical-note reader (spaCy, medspaCy) is built here, once per worker, so that no
# hook call waits ~2 s for it (issue 25).
warm_note_reader(runtime(app).knowledge_base)
# What is built by now (modules, knowledge base, pydantic and FHIR schemas) lives as long
# as the worker: no collection needs to scan it again.
gc.freeze()
# A hook call allocates thousands of short-lived containers (the parsed prefetch), freed
# by reference counting at its end. Collecting every 700 allocations scanned them while
# still alive, several times a call; cycles are rare here, so collect far less often.
gc.set_threshold(*_GC_THRESHOLDS)
