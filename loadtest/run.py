"""Load test: two service instances behind nginx, one PostgreSQL, a fixed rate for a fixed time.

Not a CI test. Needs nginx (``apt-get install nginx``) and PostgreSQL 15's binaries in
/usr/lib/postgresql/15/bin; run as root (PostgreSQL then runs as ``postgres``) or as a user
who may run both. Loopback only, bounded in count and time, stops by itself::

    python loadtest/run.py --rate 80 --seconds 60

Reports latency percentiles per kind of call, throughput, errors, whether every feedback
entry answered 200 is a row in PostgreSQL, and the metrics both instances counted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import requests
import sqlalchemy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtest.cluster import METRICS_TOKEN, Cluster
from loadtest.traffic import Result, drive, percentiles
from tests.ops.scrape import value


def _feedback_rows(database_url: str) -> int:
    engine = sqlalchemy.create_engine(
        database_url.replace("postgresql://", "postgresql+psycopg://")
    )
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    sqlalchemy.text("SELECT count(*) FROM feedback_entries")
                ).scalar_one()
            )
    finally:
        engine.dispose()


_SCRAPE = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def _counted_by_metrics(cluster: Cluster) -> float:
    scrapes = [
        requests.get(f"{url}/metrics", headers=_SCRAPE, timeout=5).text
        for url in cluster.instance_urls
    ]
    return sum(value(text, "gluteal_cds_hook_requests_total") for text in scrapes)


def report(results: list[Result], seconds: float, rows: int, counted: float) -> bool:
    """Print the figures; whether there were no errors and no lost feedback."""
    errors = [r for r in results if r.status != 200]
    print(f"{len(results)} calls in {seconds:.0f} s: {len(results) / seconds:.1f} calls/s")
    heads = " ".join(f"{h:>8}" for h in ("p50 ms", "p90 ms", "p99 ms", "max ms"))
    print(f"{'kind':14} {'calls':>6} {'errors':>6} {heads}")
    for kind in ("patient-view", "order-select", "feedback", "all"):
        mine = [r for r in results if kind in {"all", r.kind}]
        cuts = percentiles([r.latency_s for r in mine])
        figures = " ".join(f"{cuts.get(k, 0):8.1f}" for k in ("p50", "p90", "p99", "max"))
        print(f"{kind:14} {len(mine):6} {sum(r.status != 200 for r in mine):6} {figures}")
    if errors:
        print("errors by status:", dict(Counter(r.status for r in errors)))
    stored = sum(r.kind == "feedback" and r.status == 200 for r in results)
    hooks = sum(r.kind != "feedback" for r in results)
    print(f"feedback: {stored} entries answered 200, {rows} rows in PostgreSQL")
    print(f"hook calls: {hooks} sent, {counted:.0f} counted by /metrics of both instances")
    return not errors and rows == stored and counted == hooks


def main() -> int:
    """Start the cluster, drive it, report, stop everything; exit 1 on errors or losses."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=80.0, help="calls per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    args = parser.parse_args()
    if args.seconds > 600 or args.rate * args.seconds > 100_000:
        parser.error("bounded: at most 600 s and 100000 calls")
    with tempfile.TemporaryDirectory(prefix="gluteal-cds-load-") as tmp:
        cluster = Cluster(Path(tmp), instances=args.instances, workers=args.workers)
        try:
            cluster.start()
            print(
                f"{args.instances} instances x {args.workers} workers behind nginx, PostgreSQL 15"
            )
            results = drive(cluster.nginx_url, args.rate, args.seconds)
            ok = report(
                results,
                args.seconds,
                _feedback_rows(cluster.database_url),
                _counted_by_metrics(cluster),
            )
        finally:
            cluster.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
