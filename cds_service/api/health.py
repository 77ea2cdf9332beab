"""``/healthz`` (the process is up) and ``/readyz`` (it can serve hook calls)."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify

from cds_service.runtime import ReadinessCheck, runtime

__all__ = ["health"]

_log = logging.getLogger(__name__)

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> Response:
    """200 while the process answers at all."""
    return jsonify(status="ok")


@health.get("/readyz")
def readyz() -> tuple[Response, int]:
    """200 when the knowledge base is loaded and every readiness check passes, else 503."""
    state = runtime()
    kb = state.knowledge_base
    failing = [_name(check) for check in state.readiness_checks if not _passes(check)]
    if kb is None:
        failing.insert(0, "knowledge-base")
    if failing or kb is None:
        return jsonify(status="unavailable", failing=failing), 503
    return jsonify(status="ready", knowledgeVersion=kb.version), 200


def _passes(check: ReadinessCheck) -> bool:
    try:
        return bool(check())
    except Exception:  # noqa: BLE001 - a check that breaks means "not ready", not a 500
        _log.exception("readiness check %s failed", _name(check))
        return False


def _name(check: ReadinessCheck) -> str:
    return getattr(check, "__name__", type(check).__name__)
