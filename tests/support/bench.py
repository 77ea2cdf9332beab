"""A bench script imported as a module by the tests that hold its figures to floors."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

from tests.support.paths import ROOT

__all__ = ["bench_module"]


def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` as a module (the folder is no package: it is put on the path for
    the import only)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "bench"))
