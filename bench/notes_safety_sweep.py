"""The notes safety sweep scored (session 8): of the sentences in
``bench/data/notes-safety-sweep.yaml``, how many the reader reads each way against what a
careful clinician reads in them.

Run from the repository root: ``python bench/notes_safety_sweep.py [-v]``. Per sentence with a
defect: a red flag read present where the sentence has none (false red flag), read absent
where the sentence does not say so (it can silence a coded one), a red flag the sentence
states missed, or a stated absence missed. ``-v`` lists the sentences.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # spaCy's click imports

from tests.fhir_mappings.notes.corpus import read, red_flags  # noqa: E402

CASES = ROOT / "bench" / "data" / "notes-safety-sweep.yaml"


def defects(text: str, expected: dict[str, str]) -> set[str]:
    """The kinds of defect in one sentence's reading (empty: read as a clinician would)."""
    want = {code: state == "present" for code, state in expected.items()}
    got = {code: state for code, state in read(text).items() if code in red_flags()}
    kinds = set()
    for code in set(got) | set(want):
        read_as, should = got.get(code), want.get(code)
        if read_as is should:
            continue
        if read_as is True:
            kinds.add("false red flag")
        elif read_as is False and should is not False:
            kinds.add("red flag read absent")
        else:
            kinds.add("red flag missed" if should else "absence missed")
    return kinds


def main(verbose: bool) -> None:
    cases = yaml.safe_load(CASES.read_text("utf-8"))
    counts: Counter[str] = Counter()
    for case in cases:
        found = defects(case["text"], case.get("red_flags") or {})
        counts.update(found)
        if found and verbose:
            print(f"[{case['class']}] {case['text']!r}: {', '.join(sorted(found))}")
    print(f"{len(cases)} sentences; with a defect, by kind: {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main("-v" in sys.argv[1:])
