"""Nothing imports upward: cli -> explorer/interop/text -> analysis -> view -> store -> errors.

Every import in graph/ (module level or inside a function, absolute or relative, and
importlib.import_module("graph....") calls) is read with ast and checked against the layer order.
The three packages of the presentation layer (explorer, interop, text) are siblings: none imports
another.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "graph"

# layer rank of each top-level part of graph/; a module may import its own part or a lower rank
LAYERS = {
    "errors": 0, "progress": 0, "countries": 0,
    "store": 1,
    "view": 2,
    "analysis": 3,
    "explorer": 4, "interop": 4, "text": 4,
    "cli": 5, "notebook": 5,
    "__main__": 6,  # python -m graph runs the cli
}
PACKAGE_ROOT = "__init__"  # graph/__init__.py re-exports the notebook entry point; it is above all


def is_module(dotted: str) -> bool:
    path = PACKAGE.parent / dotted.replace(".", "/")
    return path.with_suffix(".py").exists() or path.is_dir()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, dotted name) of every graph module `source` imports, relative imports resolved."""
    found: list[tuple[int, str]] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from graph import notebook` imports the submodule graph.notebook
            found += [(node.lineno, f"{target}.{alias.name}" if is_module(f"{target}.{alias.name}") else target)
                      for alias in node.names if (target, alias.name) != ("graph", "__version__")]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              in ("import_module", "__import__") and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return [(line, name) for line, name in sorted(set(found)) if name == "graph" or name.startswith("graph.")]


def part_of(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else PACKAGE_ROOT


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Upward or sideways imports in `source` (the text of graph module `module`)."""
    here = part_of(module)
    if here == PACKAGE_ROOT:
        return []
    if here not in LAYERS:
        return [f"{module}: not in any layer; add it to LAYERS in tests/test_layers.py"]
    found = []
    for line, target in imported_modules(source, module, is_package):
        there = part_of(target)
        if there == here:
            continue
        if there == PACKAGE_ROOT or there not in LAYERS or LAYERS[there] >= LAYERS[here]:
            found.append(f"{module}:{line}: imports {target} ({there} is not below {here})")
    return found


def test_no_module_imports_upward_or_sideways():
    problems = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 40  # the whole package was read
    for path in files:
        problems += violations(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    assert problems == []


@pytest.mark.parametrize("module, source", [
    ("graph.store.dataset", "from graph.view.select import select"),
    ("graph.view.select", "def f():\n    import graph.analysis.centrality\n"),
    ("graph.analysis.queries", "from graph.explorer import page"),
    ("graph.analysis.alignment.blocs", "from ...explorer.page import render"),
    ("graph.explorer.page", "from graph.interop.export import export"),
    ("graph.text.extract", "import importlib\nimportlib.import_module('graph.cli.common')"),
    ("graph.errors", "from graph.store import dataset"),
    ("graph.store.edit", "from graph import notebook"),
    ("graph.view.select", "from graph import load"),
])
def test_checker_reports_upward_and_sideways_imports(module, source):
    assert len(violations(source, module)) == 1


@pytest.mark.parametrize("module, source", [
    ("graph.cli.serve", "from graph.explorer.live import LiveServer\nfrom graph.text import extract"),
    ("graph.analysis.alignment.over_time", "from .of_view import blocs_of_view\nfrom graph.view.select import select"),
    ("graph.text.review", "from graph.store.edit import edge_add\nfrom graph.errors import NotFound"),
    ("graph.notebook", "from graph.explorer.page import explorer_html"),
    ("graph.cli", "from graph import __version__"),
])
def test_checker_accepts_downward_imports(module, source):
    assert violations(source, module) == []
