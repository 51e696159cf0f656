"""The package's layout shows the pipeline: each stage a subpackage, imports in one direction.

text helpers -> read -> analyse -> store -> publish | search -> app -> cli, with leaf modules
(errors, model, resources, progress, cache, workers, heap) under all of them, and no import circles, counting
the imports written inside functions too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import chatmine

PACKAGE = Path(chatmine.__file__).resolve().parent
LAYERS = {
    "chatmine": 0, "chatmine.errors": 0, "chatmine.model": 0, "chatmine.resources": 0, "chatmine.progress": 0,
    "chatmine.cache": 0, "chatmine.workers": 0, "chatmine.heap": 0,
    "chatmine.text": 1,
    "chatmine.read": 2, "chatmine.importing": 2,
    "chatmine.analyse": 3,
    "chatmine.store": 4,
    "chatmine.publish": 5, "chatmine.search": 5,
    "chatmine.app": 6,
    "chatmine.cli": 7, "chatmine.__main__": 7,
}


def layer(module: str) -> int:
    """The layer of a module: its own entry, else its package's."""
    while module not in LAYERS:
        module = module.rpartition(".")[0]
    return LAYERS[module]


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if ".site_templates" in name or ".seeds" in name:
            continue
        found[name] = path
    return found


def imports(source: str, known: set[str]) -> set[str]:
    """The chatmine modules a source imports, at the top or inside functions."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        else:
            continue
        for name in names:
            if name.startswith("chatmine"):
                while name not in known and "." in name:
                    name = name.rpartition(".")[0]
                if name in known:
                    out.add(name)
    return out


def against_direction(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module in a higher layer than the importer's."""
    return sorted(f"{a} imports {b}" for a, targets in graph.items() for b in targets if layer(b) > layer(a))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import circles (strongly connected groups of two or more modules)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def graph_of_package() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    # a package's __init__ is not an import of its modules' siblings
    return {name: imports(path.read_text(encoding="utf-8"), known) - {name} for name, path in found.items()}


def test_every_module_has_a_layer_and_imports_go_one_way():
    graph = graph_of_package()
    assert len(graph) > 40
    assert against_direction(graph) == []


def test_no_import_circles():
    assert circles(graph_of_package()) == []


def test_the_checks_catch_a_wrong_import_and_a_circle():
    known = {"chatmine.text.tokens", "chatmine.publish.site", "chatmine.analyse.qa", "chatmine.analyse.asking"}
    graph = {"chatmine.text.tokens": imports("def f():\n    from chatmine.publish.site import render_site\n", known)}
    assert against_direction(graph) == ["chatmine.text.tokens imports chatmine.publish.site"]
    assert circles({"chatmine.analyse.qa": {"chatmine.analyse.asking"},
                    "chatmine.analyse.asking": {"chatmine.analyse.qa"}}) == [["chatmine.analyse.asking", "chatmine.analyse.qa"]]
