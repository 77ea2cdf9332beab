"""Codes, names and URLs have one source, ``terminology/codes.json``: nothing else retypes them.

Every package reads the code tables through :mod:`terminology`; the test fails when a source
module spells out a system URL or a display that codes.json holds.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from terminology import CODES_FILE
from tests.support.paths import ROOT

PACKAGES = ("terminology", "fhir_mappings", "differential", "cards", "cds_service")


def _code_tables() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    return raw


def _held_values() -> dict[str, str]:
    """Every system URL and display of codes.json, with what it is."""
    raw = _code_tables()
    held = {url: f"the {name} system URL" for name, url in raw["systems"].items()}
    for table in ("tests", "conditions", "findings", "card_topics", "override_reasons"):
        held.update({row["display"]: f"a display of {table}" for row in raw[table]})
    return held


def _literals(path: Path) -> list[tuple[int, str]]:
    """String literals of a module, outside f-strings (whose text is prose, not a code)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in in_fstrings
    ]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_retypes_a_code_systems_url_or_display(package: str) -> None:
    held = _held_values()
    retyped = [
        f"{path.relative_to(ROOT)}:{line}: {value!r} is {held[value]}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, value in _literals(path)
        if value in held
    ]

    assert retyped == [], "read it from codes.json (through terminology) instead:\n" + "\n".join(
        retyped
    )
