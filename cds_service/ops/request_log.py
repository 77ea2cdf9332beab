"""One log line per request, and the request id that ties it to the FHIR calls it made.

The id comes from the caller's (or the load balancer's) ``X-Request-ID`` when it is a
plain token, else it is generated; it is sent back in the response header and on every
call to the EHR's FHIR server. The line says which route, service, hook call and status,
how long it took and how many cards went out: never a patient id, a finding or a token.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from cards import new_uuid  # one random read per 256 ids, not a system call each
from cds_service.hooks.events import HookCallEvent

__all__ = [
    "REQUEST_ID_HEADER",
    "RequestIdFilter",
    "current_request_id",
    "init_request_log",
    "remember_hook_event",
]

REQUEST_ID_HEADER = "X-Request-ID"
_log = logging.getLogger("cds_service.requests")
# Anything else (spaces, quotes, newlines, very long values) is replaced: the id goes into
# log lines and headers of calls to other servers.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Probes and scrapes come every few seconds from every replica: logged at DEBUG only.
_QUIET_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    if not has_request_context():
        return None
    value = g.get("request_id")
    return value if isinstance(value, str) else None


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; tag it when there is a request."""
        record.request_id = current_request_id()
        return True


def remember_hook_event(event: HookCallEvent) -> None:
    """Hook listener: keep the call's event for the request's log line."""
    if has_request_context():
        g.hook_event = event


def _start() -> None:
    g.request_started = time.perf_counter()
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = sent if _SAFE_ID.match(sent) else new_uuid().replace("-", "")


def _finish(response: Response) -> Response:
    request_id = current_request_id() or new_uuid().replace("-", "")
    response.headers[REQUEST_ID_HEADER] = request_id
    route = request.url_rule.rule if request.url_rule else None
    level = _level(route, response.status_code)
    if _log.isEnabledFor(level):
        _log.log(level, "request", extra={"fields": _fields(response, route)})
    return response


def _level(route: str | None, status: int) -> int:
    if route in _QUIET_ROUTES:
        return logging.DEBUG
    if status >= 500:
        return logging.ERROR
    return logging.WARNING if status >= 400 else logging.INFO


def _fields(response: Response, route: str | None) -> dict[str, Any]:
    started = g.get("request_started")
    latency = time.perf_counter() - started if isinstance(started, float) else None
    fields: dict[str, Any] = {
        "method": request.method,
        "route": route or "unmatched",  # the rule, not the path: paths are caller text
        "status": response.status_code,
        "latencyMs": round(latency * 1000, 1) if latency is not None else None,
    }
    error = g.get("error_message")
    if isinstance(error, str):
        fields["error"] = error  # names a field or a failure, never a value sent
    event = g.get("hook_event")
    if isinstance(event, HookCallEvent):
        fields |= {
            "service": event.service_id,
            "hook": event.hook,
            "hookInstance": _safe(event.hook_instance),
            "cards": len(event.cards),
        }
    return fields


def _safe(value: str | None) -> str | None:
    # CDS Hooks says a UUID; anything else is caller text that may hold anything.
    return value if value is None or _SAFE_ID.match(value) else "(not a plain token)"


def init_request_log(app: Flask) -> None:
    """Give every request an id and one log line; must run before other request hooks."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)
