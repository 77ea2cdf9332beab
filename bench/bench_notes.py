"""What a clinical note costs (issue 25): start-up per worker, per note, per hook call.

Run from the repository root: ``python bench/bench_notes.py``. Prints:
- the reader's start-up in a fresh process (import spaCy + medspaCy, build the pipeline);
- the time to read one note: median and p99 over the 60 corpus notes, and over a realistic
  1 kB progress note (bench/data/note-1k.txt), uncached; and a note already read (cached);
- patient-view calls per CPU second through the app (Flask test client, one thread) with no
  notes, with three notes already read (cache hits), and three notes never seen before.
Times are this process's CPU time: on a shared machine, waiting for a core is not a cost.
"""

from __future__ import annotations

import base64
import functools
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # spaCy's click imports

from fhir_mappings import SearchResults  # noqa: E402 - after the path set-up above
from fhir_mappings.notes import read_notes  # noqa: E402
from fhir_mappings.notes._cache import ReadCache  # noqa: E402
from fhir_mappings.notes._nlp import mentions  # noqa: E402
from tests.fhir_mappings.notes.corpus import notes, phrases  # noqa: E402

NOTE_1K = (ROOT / "bench" / "data" / "note-1k.txt").read_text(encoding="utf-8")
_STARTUP = (
    "import time, warnings; warnings.simplefilter('ignore'); t = time.perf_counter();"
    "from differential import load_knowledge_base;"
    "from fhir_mappings.notes import NotePhraseSet, explain_text;"
    "p = load_knowledge_base().note_phrases;"
    "t1 = time.perf_counter(); explain_text('x', NotePhraseSet(p.targets, frozenset()));"
    "print(time.perf_counter() - t1)"
)


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    """CPU milliseconds per run (this process's CPU time: the machine is shared, and time
    spent waiting for a core is not the note's cost)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return sorted(times)


def _line(name: str, times: list[float]) -> str:
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return f"{name}: median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms (n={len(times)})"


def startup() -> str:
    runs = [
        float(subprocess.check_output([sys.executable, "-c", _STARTUP], cwd=ROOT, text=True))  # noqa: S603
        for _ in range(3)
    ]
    return f"start-up (import spaCy/medspaCy + build, fresh process): {min(runs):.2f} s (best of 3)"


def per_note() -> list[str]:
    targets = phrases().targets
    texts = [n["text"] for name in ("tuning", "held_out") for n in notes(name)]
    mentions(NOTE_1K, targets)  # built
    corpus = sorted(
        elapsed
        for _ in range(10)
        for text in texts
        for elapsed in _timed(functools.partial(mentions, text, targets), 1)
    )
    one_k = _timed(lambda: mentions(NOTE_1K, targets), 300)
    cache = ReadCache()
    note = _document(NOTE_1K, "n1")
    read_notes(SearchResults([note]), "p1", phrases(), cache=cache)
    cached = _timed(lambda: read_notes(SearchResults([note]), "p1", phrases(), cache=cache), 300)
    return [
        _line(f"corpus note (mean {statistics.mean(map(len, texts)):.0f} bytes)", corpus),
        _line(f"1 kB progress note ({len(NOTE_1K.encode())} bytes)", one_k),
        _line("the same note already read (cache hit, whole read_notes)", cached),
    ]


def _document(text: str, ident: str) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": ident,
        "status": "current",
        "subject": {"reference": "Patient/pat-1"},
        "date": "2026-11-19T10:00:00Z",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain",
                    "data": base64.b64encode(text.encode()).decode(),
                }
            }
        ],
    }


def throughput(calls: int = 150) -> list[str]:
    import tempfile  # noqa: PLC0415

    from cds_service.app import create_app  # noqa: PLC0415
    from cds_service.settings import Settings  # noqa: PLC0415
    from tests.support.clock import FIXED_NOW, FakeClock  # noqa: PLC0415
    from tests.support.hook_requests import bundle, hook_request  # noqa: PLC0415

    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    settings = Settings(database_url=f"sqlite:///{database}", allow_http_fhir=False)
    client = create_app(settings, clock=FakeClock(FIXED_NOW)).test_client()
    url = "/cds-services/gluteal-pain-differential"
    plain = hook_request()

    def with_notes(tag: str) -> dict[str, Any]:
        body = hook_request()
        body["prefetch"]["notes"] = bundle(
            *(_document(f"{NOTE_1K}\nSeen {tag}-{n}.", f"n{n}") for n in range(3))
        )
        return body

    def rate(bodies: Callable[[int], dict[str, Any]]) -> float:
        """Calls per CPU second of this process (one thread)."""
        client.post(url, json=bodies(-1))  # warm
        start = time.process_time()
        for index in range(calls):
            if client.post(url, json=bodies(index)).status_code != 200:
                raise SystemExit("a call failed")
        return calls / (time.process_time() - start)

    seen = with_notes("same")

    def with_notes_of(index: int) -> dict[str, Any]:
        return with_notes(str(index))

    return [
        f"patient-view, no notes: {rate(lambda _: plain):.0f} calls/CPU s",
        f"patient-view, 3 x 1 kB notes already read: {rate(lambda _: seen):.0f} calls/CPU s",
        f"patient-view, 3 x 1 kB notes never seen: {rate(with_notes_of):.0f} calls/CPU s",
    ]


if __name__ == "__main__":
    print(startup())
    for line in [*per_note(), *throughput()]:
        print(line)
