"""Log records as one JSON object per line for a log pipeline, or as text for a person.

:func:`logging_config` is the ``dictConfig`` the gunicorn configuration installs, so the
server's own lines and the service's share one format. Nothing is configured at import.

Kept rather than replaced by python-json-logger or structlog: the two formatters are a few
lines each, the request id comes from a logging filter that gunicorn's own loggers share,
and the field names (``requestId``, ``latencyMs``) are part of what operators parse.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

__all__ = ["JsonFormatter", "TextFormatter", "logging_config"]

# Logger name -> level; everything else logs at the root level. Alembic says what it
# checked at every start (a dozen INFO lines per worker); its warnings still show.
_LEVELS = {
    "gunicorn.error": "INFO",
    "gunicorn.access": "WARNING",
    "urllib3": "WARNING",
    "alembic": "WARNING",
}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "requestId", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON object; ``extra={"fields": {...}}`` adds its keys."""
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            line["requestId"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line |= fields
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """``08:37:56.625 INFO  cds_service.requests [2b98…] request status=200 …``."""

    def format(self, record: logging.LogRecord) -> str:
        """The record on one line, its ``fields`` as ``key=value``; a traceback below it."""
        time = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
        parts = [time, f"{record.levelname:<7}", record.name]
        request_id = getattr(record, "request_id", None)
        if request_id:
            parts.append(f"[{request_id[:8]}]")
        parts.append(record.getMessage())
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            parts += [f"{key}={value}" for key, value in fields.items()]
        line = " ".join(parts)
        return f"{line}\n{self.formatException(record.exc_info)}" if record.exc_info else line


def logging_config(level: str = "INFO", log_format: str = "json") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` schema: lines on stderr, request ids attached."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": log_format,
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    loggers = {name: {"level": lvl, "propagate": True} for name, lvl in _LEVELS.items()}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}, "text": {"()": TextFormatter}},
        "filters": {"request_id": {"()": "cds_service.ops.request_log.RequestIdFilter"}},
        "handlers": {"stderr": handler},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": loggers,
    }
