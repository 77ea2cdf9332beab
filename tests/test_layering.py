"""Imports flow one way: the clinical packages never import the web side, and within
``cds_service`` the hook logic imports neither Flask nor the rooms that plug into it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import ROOT

CLINICAL = ("fhir_mappings", "differential", "cards")
# What cds_service/hooks may import of cds_service: itself, the FHIR client, the domain
# errors and the settings. The routes, pages, auth, operations and the store plug in.
HOOKS_MAY_IMPORT = (
    "cds_service.hooks",
    "cds_service.fhir",
    "cds_service.errors",
    "cds_service.settings",
)
WEB_FRAMEWORKS = ("flask", "flask_cors", "werkzeug", "sqlalchemy", "alembic")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (function-level imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", CLINICAL)
def test_clinical_packages_never_import_the_web_side(package: str) -> None:
    offending = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules(package)
        for module in _imports(path)
        if _within(module, ("cds_service", *WEB_FRAMEWORKS))
    }

    assert offending == set()


def test_hook_logic_imports_no_web_framework_and_no_room_that_plugs_into_it() -> None:
    offending = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules("cds_service/hooks")
        for module in _imports(path)
        if _within(module, WEB_FRAMEWORKS)
        or (_within(module, ("cds_service",)) and not _within(module, HOOKS_MAY_IMPORT))
    }

    assert offending == set()
