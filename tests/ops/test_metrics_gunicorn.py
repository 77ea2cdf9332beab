"""Metrics under ``gluteal-cds serve`` with two gunicorn workers: totals across workers."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.support.hook_requests import hook_request
from tests.support.paths import ROOT
from tests.support.serving import free_port, wait_until_up

from .scrape import METRICS_TOKEN, SCRAPE_HEADERS, value

CALLS = 24
MAX_ROUNDS = 20


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """``gluteal-cds serve`` with 2 workers on a free loopback port; metrics dir, log file."""
    port, metrics_dir = free_port(), tmp_path / "metrics"
    env = os.environ | {
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "GLUTEAL_CDS_METRICS_TOKEN": METRICS_TOKEN,
        "GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    argv = [sys.executable, "-m", "cds_service.cli", "serve", "--port", str(port)]
    log = tmp_path / "server.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [*argv, "--workers", "2"], cwd=ROOT, env=env, stderr=stderr
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}", server)
            yield f"http://127.0.0.1:{port}", metrics_dir, log
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _call(base: str) -> int:
    # A new connection per call, so the kernel hands calls to both workers.
    url = f"{base}/cds-services/gluteal-pain-differential"
    return requests.post(url, json=hook_request(), timeout=10).status_code


def _worker_pids(metrics_dir: Path) -> set[str]:
    return {re.sub(r"\D", "", p.stem) for p in metrics_dir.glob("counter_*.db")}


@pytest.mark.slow
def test_totals_add_up_across_two_workers(served: tuple[str, Path, Path]) -> None:
    base, metrics_dir, _ = served
    statuses: list[int] = []
    # The kernel decides which worker accepts a call; fast calls may all land on one.
    # Send rounds of concurrent calls until both workers have counted (bounded).
    for _ in range(MAX_ROUNDS):
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses += pool.map(lambda _: _call(base), range(CALLS))
        if len(_worker_pids(metrics_dir)) >= 2:
            break

    scrapes = [
        requests.get(f"{base}/metrics", headers=SCRAPE_HEADERS, timeout=5).text for _ in range(4)
    ]

    calls = len(statuses)
    assert statuses == [200] * calls
    assert len(_worker_pids(metrics_dir)) >= 2, "both workers should have counted"
    for text in scrapes:  # whichever worker answers the scrape, it reports every worker
        assert value(text, "gluteal_cds_hook_requests_total", status="200") == calls
        assert value(text, "gluteal_cds_hook_latency_seconds_count") == calls
        assert value(text, "gluteal_cds_cards_total") >= calls


@pytest.mark.slow
def test_server_logs_are_json_lines_one_per_request(served: tuple[str, Path, Path]) -> None:
    base, _, log = served
    statuses = [_call(base) for _ in range(3)]
    time.sleep(0.3)  # let the workers' lines reach the file

    lines = [json.loads(line) for line in log.read_text().splitlines()]

    assert statuses == [200] * 3
    hook_lines = [line for line in lines if line.get("hookInstance")]
    assert len(hook_lines) == 3
    assert all(line["requestId"] and line["status"] == 200 for line in hook_lines)
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # the server's own, too
