"""Write ``cards/_codes.py`` from ``fhir_mappings/codes.json``: the codes cards write.

``cards`` may not import ``fhir_mappings``, so the systems, test names and codes, card
topics and override reasons it needs are generated into a module of its own. Run
``python -m cards._generate_codes`` after editing codes.json and commit the output; a test
fails when the committed module and codes.json disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from pprint import pformat
from typing import Any

__all__ = ["CODES_JSON", "GENERATED", "main", "render", "tables"]

CODES_JSON = Path(__file__).resolve().parents[1] / "fhir_mappings" / "codes.json"
GENERATED = Path(__file__).with_name("_codes.py")

_HEADER = '''"""The codes cards write, generated from fhir_mappings/codes.json: do not edit.

Regenerate with ``python -m cards._generate_codes`` (then ``ruff format``); a test fails
when this file and codes.json disagree.
"""

from __future__ import annotations

__all__ = ["CARD_TOPICS", "OVERRIDE_REASONS", "SYSTEMS", "TESTS"]

'''


def _first(codes: list[str]) -> str | None:
    return codes[0] if codes else None


def _first_cpt(codes: list[str]) -> str | None:
    # A CPT range "73501-73503" starts with the code a draft order is written with.
    return codes[0].split("-")[0] if codes else None


def tables(raw: dict[str, Any]) -> dict[str, Any]:
    """The names and values of the generated module, from the code tables ``raw``."""
    return {
        "SYSTEMS": dict(raw["systems"]),
        # code -> (display, kind, primary LOINC, primary CPT)
        "TESTS": {
            t["code"]: (t["display"], t["kind"], _first(t["loinc"]), _first_cpt(t["cpt"]))
            for t in raw["tests"]
        },
        "CARD_TOPICS": {t["code"]: t["display"] for t in raw["card_topics"]},
        "OVERRIDE_REASONS": tuple((r["code"], r["display"]) for r in raw["override_reasons"]),
    }


def render(raw: dict[str, Any] | None = None) -> str:
    """The text of ``cards/_codes.py`` for the code tables ``raw`` (default: codes.json)."""
    raw = raw if raw is not None else json.loads(CODES_JSON.read_text(encoding="utf-8"))
    body = [
        f"{name} = {pformat(value, width=88, sort_dicts=False)}\n"
        for name, value in tables(raw).items()
    ]
    return _HEADER + "\n".join(body)


def main() -> None:
    """Write the generated module."""
    GENERATED.write_text(render(), encoding="utf-8")  # ruff format lays it out


if __name__ == "__main__":
    main()
