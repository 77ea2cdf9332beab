"""The repository and the shared folder beside it (``../shared``), defined once."""

from __future__ import annotations

from pathlib import Path

__all__ = ["CDS_HOOKS", "CONTRACT", "ROOT", "SHARED", "VIGNETTES", "missing_shared"]

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CONTRACT = SHARED / "CONTRACT.md"
VIGNETTES = SHARED / "vignettes"
CDS_HOOKS = SHARED / "cds-hooks"


def missing_shared() -> str | None:
    """Why the tests cannot run without ``../shared``, or None when it is in place."""
    if CONTRACT.is_file() and VIGNETTES.is_dir() and CDS_HOOKS.is_dir():
        return None
    return (
        f"{SHARED} is missing: the tests read the interface contract (CONTRACT.md), the "
        "clinical vignettes (vignettes/) and the CDS Hooks specification (cds-hooks/) "
        "from the shared folder that sits next to this repository. Put it there (see "
        "README, 'Before you start') and run the tests again."
    )
