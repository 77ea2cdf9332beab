"""The lower floor of the benchmark: a bare WSGI callable that parses the body with orjson.

Run under gunicorn exactly like the service (``gunicorn bench.raw_app:app``): no framework,
no routing, a constant small answer, so it is what reading and parsing the body costs
under the same server, the least any Python service could spend on the call.
"""

from __future__ import annotations

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIEnvironment

import orjson

__all__ = ["app"]

_ANSWER = orjson.dumps({"cards": []})
_HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(_ANSWER)))]


def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Parse the request body as JSON and answer ``{"cards": []}``, whatever the path."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    orjson.loads(environ["wsgi.input"].read(length))
    start_response("200 OK", _HEADERS)
    return [_ANSWER]
