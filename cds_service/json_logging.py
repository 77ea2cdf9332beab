"""Log records as one JSON object per line, for a log pipeline to parse.

:func:`logging_config` is the ``dictConfig`` the gunicorn configuration installs, so the
server's own lines and the service's share one format. Nothing is configured at import.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

__all__ = ["JsonFormatter", "logging_config"]

# Logger name -> level; everything else logs at the root level.
_LEVELS = {"gunicorn.error": "INFO", "gunicorn.access": "WARNING", "urllib3": "WARNING"}


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


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` schema: JSON lines on stderr, request ids attached."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "filters": ["request_id"],
        "stream": "ext://sys.stderr",
    }
    loggers = {name: {"level": lvl, "propagate": True} for name, lvl in _LEVELS.items()}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"request_id": {"()": "cds_service.request_log.RequestIdFilter"}},
        "handlers": {"stderr": handler},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": loggers,
    }
