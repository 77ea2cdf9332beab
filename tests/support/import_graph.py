"""The project's module import graph, read with ``ast``, and what is wrong with it.

Every import counts: at module level, inside a function, under ``if TYPE_CHECKING:``.
Relative imports are resolved against the importing module's package, and
``from pkg import name`` points at the submodule ``pkg.name`` when there is one (else at
``pkg``). Imports of modules outside the given packages are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImportGraph", "Layers", "import_graph"]


@dataclass(frozen=True)
class ImportGraph:
    """Module name -> the project modules it imports."""

    edges: Mapping[str, frozenset[str]]

    def loops(self) -> list[list[str]]:
        """Each import loop as a path ``[a, b, ..., a]``, one per strongly connected set."""
        return [self._cycle_through(sorted(members)) for members in self._components()]

    def _components(self) -> list[set[str]]:
        """The strongly connected sets of two or more modules (Tarjan's algorithm)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        found: list[set[str]] = []

        def visit(module: str) -> None:
            index[module] = low[module] = len(index)
            stack.append(module)
            for target in sorted(self.edges.get(module, ())):
                if target not in index:
                    visit(target)
                    low[module] = min(low[module], low[target])
                elif target in stack:
                    low[module] = min(low[module], index[target])
            if low[module] == index[module]:
                members = {stack.pop()}
                while module not in members:
                    members.add(stack.pop())
                if len(members) > 1:
                    found.append(members)

        for module in sorted(self.edges):
            if module not in index:
                visit(module)
        return found

    def _cycle_through(self, members: Sequence[str]) -> list[str]:
        """A concrete loop from the first member back to it, inside ``members``."""
        start, inside = members[0], set(members)
        paths = {start: [start]}
        queue = [start]
        while queue:  # breadth first: the shortest loop, so the message stays short
            module = queue.pop(0)
            for target in sorted(self.edges[module] & inside):
                if target == start:
                    return [*paths[module], start]
                if target not in paths:
                    paths[target] = [*paths[module], target]
                    queue.append(target)
        raise AssertionError(f"{start} is not on a loop")  # a strongly connected set always is


@dataclass(frozen=True)
class Layers:
    """Rooms in layers, bottom first: a room imports its own modules and lower layers only.

    A room is a package or module name and covers what lies under it; a module belongs to
    the longest room that covers it. Rooms of one layer never import each other.
    """

    layers: Sequence[Sequence[str]]

    def place(self, module: str) -> tuple[int, str] | None:
        """(layer, room) of ``module``, or None when no room covers it."""
        covering = [
            (len(room), layer, room)
            for layer, rooms in enumerate(self.layers)
            for room in rooms
            if module == room or module.startswith(room + ".")
        ]
        if not covering:
            return None
        _, layer, room = max(covering)
        return layer, room

    def wrong_way(self, graph: ImportGraph) -> list[str]:
        """Each import that points up a layer or across to another room of its layer."""
        found: list[str] = []
        for module, targets in sorted(graph.edges.items()):
            here = self.place(module)
            for target in sorted(targets):
                there = self.place(target)
                if here is None or there is None or here[1] == there[1]:
                    continue
                if there[0] > here[0]:
                    found.append(f"{module} -> {target} (up: {here[1]} is below {there[1]})")
                elif there[0] == here[0]:
                    found.append(f"{module} -> {target} (across: {here[1]} and {there[1]})")
        return found


def import_graph(root: Path, packages: Iterable[str]) -> ImportGraph:
    """The import graph of ``packages`` (directories under ``root``)."""
    files = {
        _module_name(path.relative_to(root)): path
        for package in packages
        if (root / package).is_dir()
        for path in sorted((root / package).rglob("*.py"))
    }
    return ImportGraph(
        {module: frozenset(_targets(module, path, files.keys())) for module, path in files.items()}
    )


def _module_name(relative: Path) -> str:
    parts = relative.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(module: str, path: Path, known: Iterable[str]) -> set[str]:
    modules = set(known)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(_known(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, package)
            found.update(_from_target(source, alias.name, modules) for alias in node.names)
    return {target for target in found if target and target != module}


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _from_target(source: str, name: str, modules: set[str]) -> str:
    submodule = f"{source}.{name}"
    return submodule if submodule in modules else _known(source, modules)


def _known(name: str, modules: set[str]) -> str:
    """The longest project module ``name`` lies in ("" when it is not the project's)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name
