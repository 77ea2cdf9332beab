"""Latency and throughput of patient-view against a bare Flask floor, both under gunicorn.

Not a test: run ``python bench/benchmark.py`` (or ``make bench``) on an otherwise idle
machine. It starts each server on loopback, drives it with N concurrent clients (one
process and one ``requests.Session`` each, so the clients do not share a GIL) for a fixed
time, and prints p50 / p99 latency and requests per second.

Target (issue 4): patient-view throughput at least half the floor's, p99 under 50 ms at
8 concurrent clients.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "/cds-services/gluteal-pain-differential"
FINDING_SYSTEM = "https://gluteal-cds.org/fhir/CodeSystem/finding"
FINDINGS = [
    ("buttock-pain", True),
    ("pain-radiates-below-knee", False),
    ("sits-bone-pain", True),
    ("pain-worse-sitting", True),
    ("pain-worse-uphill-or-speed", True),
    ("ischial-tuberosity-tenderness", True),
    ("straight-leg-raise-positive", False),
    ("leg-numbness", False),
    ("lateral-hip-pain", False),
    ("fever", False),
]
Server = subprocess.Popen[bytes]
VITALS = ["8867-4", "8480-6", "8462-4", "29463-7", "8310-5", "9279-1", "2708-6"]


def observation(index: int, code: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """An Observation of patient bench-1, a few days old."""
    when = datetime.now(UTC) - timedelta(days=1 + index % 30)
    return {
        "resourceType": "Observation",
        "id": f"obs-{index}",
        "status": "final",
        "code": {"coding": [code]},
        "subject": {"reference": "Patient/bench-1"},
        "effectiveDateTime": when.isoformat(),
        **value,
    }


def patient_view_request(total: int = 200) -> dict[str, Any]:
    """A patient-view call whose prefetch holds ``total`` observations, 10 of them findings."""
    findings = [
        observation(i, {"system": FINDING_SYSTEM, "code": code}, {"valueBoolean": present})
        for i, (code, present) in enumerate(FINDINGS)
    ]
    vitals = [
        observation(
            i,
            {"system": "http://loinc.org", "code": VITALS[i % len(VITALS)]},
            {"valueQuantity": {"value": 60 + i % 40, "unit": "1"}},
        )
        for i in range(len(findings), total)
    ]
    entries = [{"resource": obs} for obs in findings + vitals]
    return {
        "hookInstance": str(uuid.uuid4()),
        "hook": "patient-view",
        "context": {"userId": "Practitioner/bench", "patientId": "bench-1"},
        "prefetch": {
            "patient": {"resourceType": "Patient", "id": "bench-1", "gender": "female"},
            "observations": {"resourceType": "Bundle", "type": "searchset", "entry": entries},
            "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": []},
        },
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(app: str, port: int, args: argparse.Namespace, workdir: Path) -> Server:
    """gunicorn serving ``app`` on loopback with the same worker model as ``gluteal-cds serve``.

    Not with its config file: both apps run alike, without JSON access logs or
    multi-process metrics, so the difference measured is the service's own work.
    """
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", str(args.workers), "--threads", str(args.threads)]
    argv += ["--worker-class", args.worker_class, app]
    env = os.environ | {"GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}"}
    quiet = subprocess.DEVNULL
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=quiet, stderr=quiet)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.post(f"http://127.0.0.1:{port}{SERVICE}", data=b"{}", timeout=1)
            return process
        except requests.RequestException:  # not listening yet, or still importing the app
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{app} did not start")


def _client(url: str, body: bytes, seconds: float, results: Any) -> None:
    latencies: list[float] = []
    errors = 0
    with requests.Session() as session:
        headers = {"Content-Type": "application/json"}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.perf_counter()
            response = session.post(url, data=body, headers=headers, timeout=10)
            latencies.append(time.perf_counter() - started)
            errors += response.status_code != 200
    results.put((latencies, errors))


def drive(url: str, body: bytes, clients: int, seconds: float) -> dict[str, float]:
    """Run ``clients`` concurrent clients for ``seconds``; latency percentiles and rate."""
    _client(url, body, 1.0, multiprocessing.Queue())  # warm-up: imports, first requests
    results: Any = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_client, args=(url, body, seconds, results))
        for _ in range(clients)
    ]
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies = sorted(lat for lats, _ in collected for lat in lats)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": sum(errors for _, errors in collected),
        "rps": len(latencies) / seconds,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
    }


APPS = {"floor (bare Flask)": "bench.bare_app:app", "patient-view": "cds_service.wsgi:app"}


def median_row(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Per figure, the median over rounds (errors: the sum)."""
    row = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    row["errors"] = sum(r["errors"] for r in rounds)
    return row


def report(rounds: dict[str, list[dict[str, float]]], args: argparse.Namespace, size: int) -> bool:
    """Print the figures (medians over the rounds); whether patient-view met the targets."""
    setup = f"gunicorn {args.workers} workers x {args.threads} threads ({args.worker_class})"
    print(f"body {size} bytes, {args.clients} clients, {args.seconds:.0f} s, {setup}")
    floor_rounds, service_rounds = rounds["floor (bare Flask)"], rounds["patient-view"]
    if len(service_rounds) > 1:
        each = [s["rps"] / f["rps"] for f, s in zip(floor_rounds, service_rounds, strict=True)]
        print(f"{len(each)} rounds, throughput ratio each: {', '.join(f'{r:.2f}' for r in each)}")
    rows = {name: median_row(found) for name, found in rounds.items()}
    print(f"{'':20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, row in rows.items():
        figures = f"{row['rps']:8.0f} {row['p50_ms']:8.1f} {row['p99_ms']:8.1f}"
        print(f"{name:20} {figures} {row['errors']:7.0f}")
    service = rows["patient-view"]
    ratio = service["rps"] / rows["floor (bare Flask)"]["rps"]
    p99 = service["p99_ms"]
    print(f"throughput ratio {ratio:.2f} (target >= 0.5), p99 {p99:.1f} ms (target < 50)")
    return ratio >= 0.5 and p99 < 50 and not service["errors"]


def main() -> int:
    """Benchmark the floor and patient-view, print a table, exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--threads", type=int, default=4)
    # The one `gluteal-cds serve` runs; "sync" with --threads 1 is the earlier arrangement.
    parser.add_argument("--worker-class", default="cds_service.gunicorn_worker.ServiceWorker")
    # Floor and service take turns, so a machine that drifts during the run weighs on both.
    parser.add_argument("--rounds", type=int, default=1, help="alternate the two this often")
    args = parser.parse_args()
    body = json.dumps(patient_view_request()).encode()
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in APPS}
    with tempfile.TemporaryDirectory() as tmp:
        for _round in range(max(1, args.rounds)):
            for name, app in APPS.items():
                rounds[name].append(_measure(app, body, args, Path(tmp)))
    return 0 if report(rounds, args, len(body)) else 1


def _measure(app: str, body: bytes, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    port = _free_port()
    server = start_server(app, port, args, workdir)
    try:
        return drive(f"http://127.0.0.1:{port}{SERVICE}", body, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
