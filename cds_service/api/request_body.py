"""The raw request body, refused with 413 when it is over the size limit.

Flask checks a declared ``Content-Length`` against ``MAX_CONTENT_LENGTH``; a body sent
chunked (no ``Content-Length``, as gunicorn passes it on) is instead silently cut at the
limit, which would surface as "not valid JSON". The app therefore lets Flask read one byte
more than the limit, and a body that reaches it is refused here.
"""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from cds_service.api.errors import too_large_message
from cds_service.runtime import runtime

__all__ = ["read_limit", "request_body"]


def read_limit(max_body_bytes: int) -> int:
    """What ``MAX_CONTENT_LENGTH`` must be for :func:`request_body` to see an oversize body."""
    return max_body_bytes + 1


def request_body() -> bytes:
    """The body of the current request; :class:`RequestEntityTooLarge` when over the limit."""
    body = request.get_data(cache=False)
    if len(body) > runtime().settings.max_body_bytes:
        raise RequestEntityTooLarge(too_large_message())
    return body
