"""gunicorn configuration of ``gluteal-cds serve``: ``-c python:cds_service.gunicorn_conf``.

A gunicorn configuration module is read by the server, so its settings are module-level
names by gunicorn's own convention. Worker counts come from ``GLUTEAL_CDS_WORKERS`` /
``GLUTEAL_CDS_THREADS`` (see :class:`~cds_service.settings.Settings`); the command line
of ``serve`` overrides them.

Why these values:

- the worker class :class:`cds_service.gunicorn_worker.ServiceWorker` (gthread) with 4
  threads per worker by default: hook calls are CPU-bound and threads queue on the GIL,
  so throughput comes from processes, but with one thread two slow peers (calls waiting
  on a trickling FHIR server, requests sent a byte at a time) held every worker and
  ``/healthz`` timed out (issue 15). Spare threads keep the service answering; each
  request must arrive within a deadline; the cost is measured in docs/performance.md;
- ``timeout`` 10 s: the EHR wants an answer in about 500 ms and each call has its own
  budget (``GLUTEAL_CDS_REQUEST_BUDGET``, 2 s by default) that the FHIR fallback respects;
  a worker silent for 10 s is stuck, and gunicorn restarts it (a last resort);
- ``graceful_timeout`` 15 s: on SIGTERM workers stop accepting and finish the calls in
  flight, which the budget bounds well below that;
- ``keepalive`` 5 s: behind nginx or a cloud load balancer, connections are reused.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from cds_service.ops.json_logging import logging_config
from cds_service.settings import ConfigurationError, Settings
from cds_service.startup_checks import check_startup, startup_warnings

__all__ = [
    "accesslog",
    "child_exit",
    "control_socket_disable",
    "graceful_timeout",
    "keepalive",
    "logconfig_dict",
    "on_starting",
    "threads",
    "timeout",
    "worker_class",
    "worker_tmp_dir",
    "workers",
]

# Spelled out rather than imported: importing prometheus-client here, before the variable
# is set, would fix its single-process mode for every worker forked from this master.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def _checked_settings() -> Settings:
    # In the master, before any worker forks: a problem is one line each and exit 2, not a
    # traceback from every worker (also when gunicorn is started without `serve`).
    try:
        settings = Settings.from_env()
        check_startup(settings)
    except ConfigurationError as exc:
        sys.stderr.write(f"gluteal-cds: configuration error:\n{exc}\n")
        raise SystemExit(2) from None
    return settings


_settings = _checked_settings()

workers = _settings.workers
threads = _settings.threads
worker_class = "cds_service.gunicorn_worker.ServiceWorker"
timeout = max(10, round(_settings.request_budget_s * 5))
graceful_timeout = 15
keepalive = 5
accesslog = None  # the service logs one JSON line per request itself
logconfig_dict = logging_config(_settings.log_level, _settings.log_format)
# Heartbeat files on a tmpfs: a container's disk can stall the heartbeat and kill workers.
control_socket_disable = True  # no runtime control needed; read-only roots in containers
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108


def on_starting(server: Any) -> None:
    """In the master, before any worker: say the start-up warnings once, and clear the
    metric files of an earlier run."""
    for warning in startup_warnings(_settings):
        logging.getLogger("gunicorn.error").warning("%s", warning)
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        logging.getLogger("gunicorn.error").warning(
            "%s is not set: /metrics shows one worker at a time", MULTIPROC_ENV
        )
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    for stale in Path(directory).glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker is gone: fold its live gauges away (its counters stay in the totals)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess  # noqa: PLC0415 - master only, env set

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
