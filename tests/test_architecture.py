"""The shape of the package: no import circle, no private name borrowed across modules.

One owner for each job (DESIGN §4): what a module needs from another is public in its owner,
and the modules import each other in one direction only. These tests read the source of
``src/paymodel`` with :mod:`ast` (tests may import private names; the package may not).

Every import counts, also one inside a function or under ``if TYPE_CHECKING:``: a lazy
import hides a circle from Python's import machinery, not from a reader. The package's
``__init__`` is left out: it is the public face that imports every module, and a module
that reads ``paymodel.__version__`` from it at call time does not make a circle of owners.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "paymodel"


def _module_names() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def _imports(module: str) -> list[tuple[str, tuple[str, ...], int]]:
    """``(imported module, names imported from it, line)`` for every paymodel import."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    modules = set(_module_names())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "paymodel" and len(parts) > 1:
                    found.append((parts[1], (), node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "paymodel":
                continue
            names = tuple(alias.name for alias in node.names)
            if len(parts) > 1:
                found.append((parts[1], names, node.lineno))
            else:  # from paymodel import plot (a module) or __version__ (the package)
                found += [(n, (), node.lineno) for n in names if n in modules]
    return found


def _graph() -> dict[str, set[str]]:
    return {
        module: {target for target, _, _ in _imports(module) if target != module}
        for module in _module_names()
    }


def test_the_walk_sees_the_imports() -> None:
    """The test reads what it should (else an empty graph would pass every check)."""
    graph = _graph()
    assert {"scenario", "kernel", "cli", "messages"} <= set(graph)
    assert "scenario" in graph["files"]
    assert "kernel" in graph["simulate"]
    assert "plot" in graph["report"]  # `from paymodel import plot`


def test_no_import_circle() -> None:
    graph = _graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 while on the path, 2 when done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert circles == [], "import circles: " + "; ".join(" -> ".join(c) for c in circles)


def test_no_private_name_imported_across_modules() -> None:
    borrowed = [
        f"{module}.py:{line} takes {name} from {target}"
        for module in _module_names()
        for target, names, line in _imports(module)
        for name in names
        if target != module and name.startswith("_") and not name.startswith("__")
    ]
    assert borrowed == []


def test_no_private_module_of_another_owner_is_reached_into() -> None:
    """``paymodel._optional`` and the like are imported as modules, for their public names."""
    for module in _module_names():
        for target, names, line in _imports(module):
            if target.startswith("_"):
                assert all(not n.startswith("_") for n in names), (module, target, line)


@pytest.mark.parametrize("module", _module_names())
def test_every_module_has_a_public_face(module: str) -> None:
    """Each module states what it offers (``__all__``), except the program entry point."""
    if module in {"__main__", "_hypothesis_hook"}:
        return
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert "__all__" in assigned or module.startswith("_"), module
