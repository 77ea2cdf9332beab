"""Skips that are allowed on a developer's machine but not in CI."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True under CI (``CI`` set to anything but an explicit no; ``.ci/run`` sets it)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no", "off"}


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip locally when a tool is missing; in CI (which installs it) fail instead."""
    if in_ci():
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)
