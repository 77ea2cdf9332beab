"""The note reader on published case prose: each case report's stated findings
(``tests/differential/case_reports``, the ``stated`` text our readers wrote from the source)
read as a note, against the findings the readers mapped from it by hand.

Run from the repository root: ``python bench/case_report_notes.py [-v]``. The diagnosis the
report made (written in brackets, "left out") is taken out first, as the set leaves it out
of the findings. Published prose is unlike clinic notes ("a one-legged hop", "six months of
claudication", "neurological examination normal"): it measures the reader on words nobody
tuned the corpora to. ``-v`` lists every miss and every finding read that the readers did not
map.
"""

from __future__ import annotations

import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning)  # spaCy's click imports

from tests.fhir_mappings.notes.corpus import read  # noqa: E402

CASES = ROOT / "tests" / "differential" / "case_reports"
# The diagnosis a report made, in brackets: "(... left out)", "(final diagnosis: ...)".
_MADE = re.compile(r"\((?:[^()]*left out[^()]*|final diagnosis[^()]*|working diagnosis[^()]*)\)")


@dataclass
class Prose:
    """The reader's reading of the set's prose, counted against the readers' mapping."""

    right: int = 0
    missed: int = 0
    wrong: int = 0  # read, but not as mapped (another state, or not mapped at all)
    lines: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0


def measure() -> Prose:
    """Every case's stated text read as a note."""
    result = Prose()
    for path in sorted(CASES.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        got = read(_MADE.sub("", case["stated"]))
        mapped: dict[str, bool] = case["findings"]
        for code, state in mapped.items():
            if got.get(code) is state:
                result.right += 1
            else:
                result.missed += 1
                result.lines.append(f"{case['id']}: missed {code}={state} (read {got.get(code)})")
        for code, state in got.items():
            if mapped.get(code) is not state:
                result.wrong += 1
                result.lines.append(f"{case['id']}: read {code}={state}, mapped {mapped.get(code)}")
    return result


def main() -> None:
    result = measure()
    print(
        f"Case-report prose: precision {result.precision:.2f}, recall {result.recall:.2f} "
        f"({result.right} read right, {result.wrong} read otherwise, {result.missed} missed)."
    )
    if "-v" in sys.argv:
        print("\n".join(result.lines))


if __name__ == "__main__":
    main()
