"""Run inside the image: ask the service for /healthz and one vignette, check the answer.

Usage: python ask_vignette.py BASE_URL VIGNETTE.json. Standard library only (the image
has no curl or jq). Exits 0 when the answer ranks the vignette's expected condition first.
"""

from __future__ import annotations

import json
import sys
import urllib.request

DIFFERENTIAL = "https://gluteal-cds.org/cds-hooks/differential"


def main(base_url: str, vignette_path: str) -> int:
    """Ask, check, say what came back; 1 on any mismatch."""
    with urllib.request.urlopen(f"{base_url}/healthz", timeout=5) as health:  # noqa: S310
        print(f"/healthz: {health.status}")
    with open(vignette_path, encoding="utf-8") as file:
        vignette = json.load(file)
    service = vignette.get("service", "gluteal-pain-differential")
    request = urllib.request.Request(  # noqa: S310 - a fixed local URL
        f"{base_url}/cds-services/{service}",
        data=json.dumps(vignette["request"]).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        answer = json.load(response)
    top = _top_condition(answer)
    print(f"{vignette_path}: {response.status}, {len(answer['cards'])} cards, top {top}")
    return 0 if top in vignette["expect"]["top"] else 1


def _top_condition(answer: dict[str, object]) -> str | None:
    for card in answer["cards"]:  # type: ignore[attr-defined]
        differential = card.get("extension", {}).get(DIFFERENTIAL)
        if differential:
            return str(differential["conditions"][0]["code"])
    return None


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
