"""How a patient-view call's cost grows, and whether a worker's memory does, in one process.

Not a test: run ``python bench/scaling.py`` on an otherwise idle machine. No HTTP server:
the app gunicorn serves (``cds_service.wsgi``, with its garbage-collector tuning) answers
through Flask's test client, so the figures are the service's own work, parsing included.

1. Memory: resident memory of the process after start (one call answered) and at eight
   points along ``--calls`` calls (20,000) with the 245 kB body of ``bench/benchmark.py``;
   it must stop growing (at most 1 MB over the second half).
2. Size: CPU per call for 50, 200, 1,000 and 5,000 EHR-shaped observations (10 findings).
   Cost must grow at most linearly: CPU per observation must not rise with the count.
3. Findings: CPU per call for 1, 10 and 40 findings (all of ``terminology/codes.json``)
   among 200 observations. Cost must stay flat.

CPU is the process's (``time.process_time``: every thread, so the background writer of
shown cards counts too). The body limit is raised to 16 MiB and the prefetch limit to
10,000 entries so that 5,000 observations (6 MB) are answered, not refused.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

# Run as a script, the repository's root (hence ``bench``) is not on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.hook_bodies import FINDINGS, all_finding_codes, patient_view_request

PATH = "/cds-services/gluteal-pain-differential"
SIZES = (50, 200, 1_000, 5_000)
FINDING_COUNTS = (1, 10, 40)
NOISE = 1.15  # what run-to-run noise may move a figure by before it counts as growth
Client = Any  # flask.testing.FlaskClient, typed loosely: Flask is imported late on purpose


def start_app(workdir: Path) -> Client:
    """The app as ``cds_service.wsgi`` builds it for gunicorn, with a throwaway store."""
    os.environ |= {
        "GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{workdir / 'scaling.sqlite3'}",
        "GLUTEAL_CDS_MAX_BODY_BYTES": str(16 * 1024 * 1024),
        "GLUTEAL_CDS_MAX_PREFETCH_ENTRIES": "10000",
        "GLUTEAL_CDS_PATIENT_HASH_SALT": "bench-scaling",  # as production sets one
    }
    from cds_service.wsgi import app  # noqa: PLC0415 - builds the app from the variables above

    return app.test_client()


def call(client: Client, body: bytes) -> None:
    """One patient-view call; raises unless it was answered 200."""
    response = client.post(PATH, data=body, content_type="application/json")
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)[:200]}")


def cpu_per_call(client: Client, body: bytes, seconds: float) -> float:
    """Milliseconds of process CPU per call, over calls that take about ``seconds``."""
    for _ in range(3):  # warm-up
        call(client, body)
    calls, started = 0, time.process_time()
    while time.process_time() - started < seconds or calls < 5:
        call(client, body)
        calls += 1
    return (time.process_time() - started) * 1000 / calls


def _body(total: int, findings: list[tuple[str, bool]] | None = None) -> bytes:
    request = patient_view_request(total, findings=findings, ehr_shaped=True)
    return json.dumps(request).encode()


def _rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


def memory(client: Client, calls: int) -> bool:
    """Print resident memory after start and at eight points along ``calls`` calls; whether
    it stopped growing (at most 1 MB over the last half).

    The first thousands of calls grow the allocator's arenas and SQLite's page cache to
    their working size; a leak would keep growing after that, at the same pace.
    """
    body = _body(200)
    call(client, body)
    start = _rss_mb()
    print(f"memory: resident {start:.1f} MB after start (one call answered)")
    marks = []
    for done in range(1, calls + 1):
        call(client, body)
        if done % max(1, calls // 8) == 0 or done == calls:
            marks.append((done, _rss_mb()))
    print("  after " + ", ".join(f"{n:,} calls {mb:.1f} MB" for n, mb in marks))
    half = marks[len(marks) // 2 - 1] if len(marks) > 1 else (0, start)
    end = marks[-1][1]
    flat = end - half[1] <= 1.0
    verdict = "none" if flat else "GROWS"
    print(f"  growth after {half[0]:,} calls: {end - half[1]:+.1f} MB ({verdict})")
    return flat


def by_size(client: Client, seconds: float) -> bool:
    """Print CPU per call and per observation for each size; whether growth is at most linear."""
    print(f"{'observations':>12} {'body kB':>8} {'CPU ms/call':>12} {'us/observation':>15}")
    per_obs = []
    for total in SIZES:
        body = _body(total)
        ms = cpu_per_call(client, body, seconds)
        per_obs.append(ms * 1000 / total)
        print(f"{total:12,} {len(body) / 1000:8.0f} {ms:12.2f} {per_obs[-1]:15.1f}")
    linear = all(later <= earlier * NOISE for earlier, later in itertools.pairwise(per_obs))
    verdict = "at most linear" if linear else "FASTER THAN LINEAR"
    print(f"size: CPU per observation does not rise with the count: {verdict}")
    return linear


def _findings(count: int) -> list[tuple[str, bool]]:
    """``count`` findings: those of the benchmark first, then the others, every other present."""
    chosen = dict(FINDINGS)
    for index, code in enumerate(all_finding_codes()):
        chosen.setdefault(code, index % 2 == 0)
    return list(chosen.items())[:count]


def by_findings(client: Client, seconds: float) -> bool:
    """Print CPU per call for each number of findings; whether it stays flat."""
    print(f"{'findings':>12} {'body kB':>8} {'CPU ms/call':>12}")
    costs = []
    for count in FINDING_COUNTS:
        body = _body(200, _findings(count))
        costs.append(cpu_per_call(client, body, seconds))
        print(f"{count:12} {len(body) / 1000:8.0f} {costs[-1]:12.2f}")
    spread = max(costs) / min(costs)
    flat = spread <= NOISE
    print(f"findings: most / least CPU {spread:.2f} ({'flat' if flat else 'NOT FLAT'})")
    return flat


def main() -> int:
    """Measure memory, then cost by size and by findings; exit 1 if a criterion is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20_000, help="calls for the memory check")
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        client = start_app(Path(tmp))
        flat_memory = memory(client, args.calls)  # first, before the 6 MB bodies
        linear = by_size(client, args.seconds)
        flat = by_findings(client, args.seconds)
    return 0 if flat_memory and linear and flat else 1


if __name__ == "__main__":
    sys.exit(main())
