"""Imports flow one way: the clinical packages never import the web side, and within
``cds_service`` the hook logic imports neither Flask nor the rooms that plug into it.

The whole project's import graph (function-level and type-only imports included) has no
loop, and no import points up :data:`LAYERS` or across to another room of its layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.import_graph import Layers, import_graph
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

# Bottom first; the rooms of one layer never import each other. cds_service's own order is
# the one its package docstring gives. "terminology" (the shared vocabulary) is issue 27's
# part A: a layer of its own at the bottom once it exists.
LAYERS = Layers(
    (
        ("terminology",),
        ("differential",),
        ("fhir_mappings", "cards"),
        ("cds_service._environment",),
        ("cds_service.settings", "cds_service.errors"),
        ("cds_service.fhir",),
        ("cds_service.hooks",),
        (
            "cds_service.runtime",
            "cds_service.startup_checks",
            "cds_service.explain",
            "cds_service.supervisor",
        ),
        ("cds_service.store", "cds_service.ops"),
        ("cds_service.auth",),
        ("cds_service.api",),
        ("cds_service.pages",),
        ("cds_service.smart",),
        (
            "cds_service.app",
            "cds_service.cli",
            "cds_service.gunicorn_conf",
            "cds_service.gunicorn_worker",
        ),
        ("cds_service.wsgi",),
    )
)
PROJECT = ("terminology", "differential", "fhir_mappings", "cards", "cds_service")


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


def test_the_project_has_no_import_loop() -> None:
    loops = import_graph(ROOT, PROJECT).loops()

    assert [" -> ".join(loop) for loop in loops] == []


def test_no_import_points_up_the_layers_or_across_a_layer() -> None:
    assert LAYERS.wrong_way(import_graph(ROOT, PROJECT)) == []


def test_every_module_has_its_place_in_the_layers() -> None:
    # A new room of cds_service must be given its place; the package's own docstring needs none.
    modules = import_graph(ROOT, PROJECT).edges

    assert [m for m in modules if LAYERS.place(m) is None and m != "cds_service"] == []


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# Today's loop in small (before issue 27): the runtime named its plug-ins for typing only,
# and each plug-in imported the runtime to register itself.
_TYPE_ONLY_LOOP = {
    "svc/__init__.py": "",
    "svc/runtime.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
    "    from svc.store import Store\n",
    "svc/store/__init__.py": "from svc.store.extension import init_store, Store\n",
    "svc/store/extension.py": "from ..runtime import runtime\nclass Store: ...\n",
}
_FUNCTION_LEVEL_LOOP = {
    "svc/__init__.py": "",
    "svc/runtime.py": "def rejection():\n    from svc.auth import caller\n",
    "svc/auth/__init__.py": "",
    "svc/auth/caller.py": "from svc import runtime\n",
}


def test_the_checker_finds_a_loop_made_of_type_only_and_relative_imports(tmp_path: Path) -> None:
    graph = import_graph(_tree(tmp_path, _TYPE_ONLY_LOOP), ("svc",))

    assert graph.loops() == [["svc.runtime", "svc.store", "svc.store.extension", "svc.runtime"]]


def test_the_checker_finds_a_loop_through_a_function_level_import(tmp_path: Path) -> None:
    graph = import_graph(_tree(tmp_path, _FUNCTION_LEVEL_LOOP), ("svc",))

    assert graph.loops() == [["svc.auth.caller", "svc.runtime", "svc.auth.caller"]]


def test_the_checker_names_an_import_that_points_up_or_across(tmp_path: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/hooks.py": "",
        "svc/runtime.py": "import svc.hooks\nfrom svc.smart.links import launch_url\n",
        "svc/smart/__init__.py": "",
        "svc/smart/links.py": "",
        "svc/store.py": "from svc import ops\n",
        "svc/ops.py": "from svc import hooks\n",
    }
    layers = Layers((("svc.hooks",), ("svc.runtime",), ("svc.store", "svc.ops"), ("svc.smart",)))

    assert layers.wrong_way(import_graph(_tree(tmp_path, files), ("svc",))) == [
        "svc.runtime -> svc.smart.links (up: svc.runtime is below svc.smart)",
        "svc.store -> svc.ops (across: svc.store and svc.ops)",
    ]


def test_a_name_that_is_no_submodule_points_at_its_package(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "THING = 1\n", "svc/user.py": "from svc import THING\n"}

    assert import_graph(_tree(tmp_path, files), ("svc",)).edges["svc.user"] == {"svc"}
