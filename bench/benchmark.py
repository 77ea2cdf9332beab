"""Throughput, latency and server CPU of the service's hooks against two floors, under gunicorn.

Not a test: run ``python bench/benchmark.py`` (or ``make bench``) on an otherwise idle
machine. It starts each server on loopback, drives it with N concurrent clients (one
process and one ``requests.Session`` each, so the clients do not share a GIL) for a fixed
time, and prints requests per second, p50 / p99 latency and the servers' CPU per request
(gunicorn's master and workers, user + system, read before and after the clients ran).

Four servers take turns each round, all with the same EHR-shaped 245 kB body (200
observations, 10 of them findings): two floors, Flask + ``json.loads`` (``bench/bare_app.py``)
and a raw WSGI callable + orjson (``bench/raw_app.py``), and the service's patient-view and
order-select (a drafted hip X-ray). Figures are medians over ``--rounds``. With
``--memory-calls N`` it then serves patient-view once more and prints each worker's
resident memory after start and after N calls.

Target (issue 18): each hook's throughput at least half the raw floor's, p99 under 20 ms
at 8 concurrent clients; the raw floor's own p99 is printed beside it, since on a machine
whose cores the clients share, no server (not even the floor) may reach 20 ms. Exits 1
when a target is missed.

The clients are ``bench/load_client.py`` (one keep-alive socket each, the request prebuilt,
as wrk would), so that they leave the servers most of the machine; ``--client requests``
drives with ``requests`` sessions instead, as the figures before 2026-11-29 afternoon were.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import requests

# Run as a script, the repository's root (hence ``bench``) is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.hook_bodies import order_select_request, patient_view_request
from bench.load_client import run_client

ROOT = Path(__file__).resolve().parents[1]

SERVICE = "/cds-services/gluteal-pain-differential"
ORDER_SELECT = "/cds-services/gluteal-pain-order-select"
Server = subprocess.Popen[bytes]
FLASK_FLOOR = "floor: Flask + json.loads"
RAW_FLOOR = "floor: raw WSGI + orjson"
HOOKS = ("patient-view", "order-select")
# Issue 18: at least half the raw floor's throughput, p99 under 20 ms at 8 clients.
TARGET_RATIO = 0.5
TARGET_P99_MS = 20.0


@dataclass(frozen=True)
class Target:
    """A server to measure: the WSGI app gunicorn serves, the path called, the body sent."""

    name: str
    app: str
    path: str
    body: bytes


def targets() -> list[Target]:
    """The two floors and the two hooks, all with the same EHR-shaped body (order-select's
    carries its draft order too)."""
    view = json.dumps(patient_view_request(ehr_shaped=True)).encode()
    select = json.dumps(order_select_request(ehr_shaped=True)).encode()
    return [
        Target(FLASK_FLOOR, "bench.bare_app:app", SERVICE, view),
        Target(RAW_FLOOR, "bench.raw_app:app", SERVICE, view),
        Target("patient-view", "cds_service.wsgi:app", SERVICE, view),
        Target("order-select", "cds_service.wsgi:app", ORDER_SELECT, select),
    ]


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
    results.put(run_client(url, body, seconds))


def _requests_client(url: str, body: bytes, seconds: float, results: Any) -> None:
    """The earlier client (``--client requests``): a requests.Session, about a millisecond of
    CPU per call taken from the servers."""
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


_CLIENTS = {"lean": _client, "requests": _requests_client}


def server_cpu_seconds(server: Server) -> float:
    """CPU time (user + system) of gunicorn's master and its workers so far."""
    root = psutil.Process(server.pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:  # a worker that exited between the listing and now
            continue
        total += times.user + times.system
    return total


def drive(
    url: str, body: bytes, args: argparse.Namespace, cpu: Callable[[], float]
) -> dict[str, float]:
    """Run ``args.clients`` concurrent clients for ``args.seconds``; latency, rate, CPU."""
    client = _CLIENTS[args.client]
    client(url, body, 1.0, multiprocessing.Queue())  # warm-up: imports, first requests
    results: Any = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=client, args=(url, body, args.seconds, results))
        for _ in range(args.clients)
    ]
    cpu_before = cpu()
    for worker in workers:
        worker.start()
    collected = [results.get() for _ in workers]
    cpu_after = cpu()
    for worker in workers:
        worker.join()
    latencies = sorted(lat for lats, _ in collected for lat in lats)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": sum(errors for _, errors in collected),
        "rps": len(latencies) / args.seconds,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "cpu_ms": (cpu_after - cpu_before) * 1000 / len(latencies),
    }


Rounds = dict[str, list[dict[str, float]]]


def median_row(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Per figure, the median over rounds (errors: the sum)."""
    row = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    row["errors"] = sum(r["errors"] for r in rounds)
    return row


def _print_figures(rows: dict[str, dict[str, float]]) -> None:
    heads = " ".join(f"{h:>8}" for h in ("req/s", "p50 ms", "p99 ms", "CPU ms"))
    print(f"{'':26} {heads} {'errors':>7}")
    for name, row in rows.items():
        keys = ("rps", "p50_ms", "p99_ms", "cpu_ms")
        figures = " ".join(f"{row[k]:8.0f}" if k == "rps" else f"{row[k]:8.2f}" for k in keys)
        print(f"{name:26} {figures} {row['errors']:7.0f}")


def _print_ratios(rows: dict[str, dict[str, float]]) -> None:
    """Each hook against each floor: throughput (higher is better) and CPU per request."""
    floors = (("Flask", FLASK_FLOOR), ("raw", RAW_FLOOR))
    heads = [f"req/s / {short}" for short, _ in floors]
    heads += [f"CPU x {short}" for short, _ in floors]
    print(f"{'ratio':26} " + " ".join(f"{h:>13}" for h in heads))
    for hook in HOOKS:
        rates = [rows[hook]["rps"] / rows[floor]["rps"] for _, floor in floors]
        cpus = [rows[hook]["cpu_ms"] / rows[floor]["cpu_ms"] for _, floor in floors]
        print(f"{hook:26} " + " ".join(f"{r:13.2f}" for r in rates + cpus))


def report(rounds: Rounds, args: argparse.Namespace, size: int) -> bool:
    """Print the figures (medians over the rounds); whether both hooks met the targets."""
    setup = f"gunicorn {args.workers} workers x {args.threads} threads ({args.worker_class})"
    print(f"body {size} bytes, {args.clients} clients, {args.seconds:g} s, {setup}")
    if len(rounds[RAW_FLOOR]) > 1:
        for hook in HOOKS:
            each = [
                s["rps"] / f["rps"] for f, s in zip(rounds[RAW_FLOOR], rounds[hook], strict=True)
            ]
            print(
                f"{hook} / raw floor throughput, each round: {', '.join(f'{r:.2f}' for r in each)}"
            )
    rows = {name: median_row(found) for name, found in rounds.items()}
    _print_figures(rows)
    _print_ratios(rows)
    met = True
    floor_p99 = rows[RAW_FLOOR]["p99_ms"]
    for hook in HOOKS:
        ratio, p99 = rows[hook]["rps"] / rows[RAW_FLOOR]["rps"], rows[hook]["p99_ms"]
        print(
            f"{hook}: {ratio:.2f} of the raw floor's throughput (target >= {TARGET_RATIO}), "
            f"p99 {p99:.1f} ms (target < {TARGET_P99_MS:g}; the raw floor's own: {floor_p99:.1f})"
        )
        met = met and ratio >= TARGET_RATIO and p99 < TARGET_P99_MS and not rows[hook]["errors"]
    return met


def worker_rss_mb(server: Server) -> list[float]:
    """Resident memory of each gunicorn worker, in MB."""
    workers = psutil.Process(server.pid).children()
    return sorted(float(worker.memory_info().rss) / 2**20 for worker in workers)


def memory(target: Target, args: argparse.Namespace, workdir: Path) -> bool:
    """Print each worker's resident memory after start and along ``args.memory_calls``
    calls (four readings); whether it stopped growing (at most 1 MB a worker over the
    second half of the calls)."""
    port = _free_port()
    server = start_server(target.app, port, args, workdir)
    try:
        url = f"http://127.0.0.1:{port}{target.path}"
        _client(url, target.body, 1.0, multiprocessing.Queue())  # every worker answers once
        readings, done = [(0, worker_rss_mb(server))], 0
        short = argparse.Namespace(**(vars(args) | {"seconds": 1.0}))  # readings on time
        for quarter in range(1, 5):
            while done < args.memory_calls * quarter // 4:
                done += int(drive(url, target.body, short, lambda: 0.0)["requests"])
            readings.append((done, worker_rss_mb(server)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{target.name} worker resident MB (one column per worker):")
    for calls, mb in readings:
        print(f"  after {calls:6,} calls: " + ", ".join(f"{m:6.1f}" for m in mb))
    growth = max(b - a for a, b in zip(readings[2][1], readings[4][1], strict=True))
    print(f"  growth over the second half: {growth:+.1f} MB ({'none' if growth <= 1 else 'GROWS'})")
    return growth <= 1.0


def main() -> int:
    """Benchmark the floors and the hooks, print the tables, exit 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--client", choices=sorted(_CLIENTS), default="lean", help="the load client (see below)"
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--threads", type=int, default=4)
    # The one `gluteal-cds serve` runs; "sync" with --threads 1 is the earlier arrangement.
    parser.add_argument("--worker-class", default="cds_service.gunicorn_worker.ServiceWorker")
    # The servers take turns, so a machine that drifts during the run weighs on all alike.
    parser.add_argument("--rounds", type=int, default=3, help="alternate the servers this often")
    parser.add_argument(
        "--memory-calls", type=int, default=0, help="then this many patient-view calls, RSS"
    )
    args = parser.parse_args()
    servers = targets()
    rounds: Rounds = {target.name: [] for target in servers}
    with tempfile.TemporaryDirectory() as tmp:
        for _round in range(max(1, args.rounds)):
            for target in servers:
                rounds[target.name].append(_measure(target, args, Path(tmp)))
        flat = memory(servers[2], args, Path(tmp)) if args.memory_calls else True
    return 0 if report(rounds, args, len(servers[0].body)) and flat else 1


def _measure(target: Target, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    port = _free_port()
    server = start_server(target.app, port, args, workdir)
    try:
        url = f"http://127.0.0.1:{port}{target.path}"
        return drive(url, target.body, args, lambda: server_cpu_seconds(server))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
