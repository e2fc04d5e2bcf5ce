"""The import graph of src/parallax: no import cycles, no private names taken from other modules.

The graph is read from the source (the AST of every module), so it counts every import:
at module level, inside functions (a lazy import hides a cycle from the interpreter, not
from a reader) and under `if TYPE_CHECKING:`. An edge goes from the importing module to
  * `parallax.x` for `import parallax.x` (or its nearest enclosing module);
  * `parallax.x.name` for `from parallax.x import name` when that is a module, else `parallax.x`;
  * the package `parallax` (its __init__) for `import parallax` / `from parallax import y`,
    unless y is a submodule.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT_PACKAGE = "parallax"


@dataclass(frozen=True)
class Import:
    """One imported module (and the name taken from it, for `from m import name`)."""

    importer: str
    target: str
    name: str | None
    line: int


def module_files(src: Path = SRC, package: str = ROOT_PACKAGE) -> dict[str, Path]:
    """Every module under src/<package> by dotted name ("parallax.nlp" is nlp/__init__.py)."""
    modules = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _inside(dotted: str, package: str = ROOT_PACKAGE) -> bool:
    return dotted == package or dotted.startswith(package + ".")


def _nearest_module(dotted: str, modules: dict[str, Path]) -> str:
    """`dotted` if it is a module, else the closest enclosing one ("parallax.x.f" -> "parallax.x")."""
    while dotted not in modules and "." in dotted:
        dotted = dotted.rsplit(".", 1)[0]
    return dotted


def _absolute_base(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    """The module a `from ... import` reads from, relative imports resolved."""
    if not node.level:
        return node.module
    package = module if is_package else module.rsplit(".", 1)[0]
    for _ in range(node.level - 1):
        package = package.rsplit(".", 1)[0]
    return f"{package}.{node.module}" if node.module else package


def parse_imports(module: str, source: str, is_package: bool, modules: dict[str, Path]) -> list[Import]:
    """The imports of parallax modules in `source` (the code of `module`), wherever they are."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Import(module, _nearest_module(alias.name, modules), None, node.lineno)
                      for alias in node.names if _inside(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute_base(node, module, is_package)
            if base is None or not _inside(base):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                target = submodule if submodule in modules else _nearest_module(base, modules)
                found.append(Import(module, target, alias.name, node.lineno))
    return found


@lru_cache(maxsize=1)
def all_imports() -> tuple[Import, ...]:
    modules = module_files()
    found: list[Import] = []
    for module, path in modules.items():
        found += parse_imports(module, path.read_text(encoding="utf-8"), path.name == "__init__.py", modules)
    return tuple(found)


def import_graph(imports: tuple[Import, ...] | list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for item in imports:
        graph.setdefault(item.importer, set())
        graph.setdefault(item.target, set())
        if item.target != item.importer:
            graph[item.importer].add(item.target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def shortest_cycle(graph: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """A shortest path start -> ... -> start inside the component `within` (breadth first)."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & within):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return [start]


def describe_cycles(imports: tuple[Import, ...] | list[Import]) -> list[str]:
    """One line per import cycle: its modules, and one cycle through them with line numbers."""
    graph = import_graph(imports)
    lines = {(i.importer, i.target): i.line for i in reversed(imports)}  # the first import of each edge
    report = []
    for component in strongly_connected(graph):
        cycle = shortest_cycle(graph, component[0], set(component))
        steps = " -> ".join(f"{a} (line {lines[a, b]})" for a, b in zip(cycle, cycle[1:]))
        report.append(f"cycle among {', '.join(component)}: {steps} -> {cycle[0]}")
    return report


def is_private(name: str | None) -> bool:
    return bool(name) and name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def describe_private_imports(imports: tuple[Import, ...] | list[Import]) -> list[str]:
    return [f"{i.importer} (line {i.line}) imports private {i.name} from {i.target}"
            for i in imports if is_private(i.name) and i.target != i.importer]


# ------------------------------------------------------------------ the checker itself

TOY_MODULES = {name: Path(name) for name in ("parallax", "parallax.a", "parallax.b", "parallax.pkg",
                                             "parallax.pkg.sub")}


def test_function_level_and_relative_imports_are_edges():
    source = ("import os\n"
              "from parallax.b import helper\n"
              "def late():\n"
              "    from parallax.pkg import sub\n"
              "    from . import b\n"
              "    import parallax\n")
    found = parse_imports("parallax.a", source, False, TOY_MODULES)
    assert [(i.target, i.name) for i in found] == [
        ("parallax.b", "helper"), ("parallax.pkg.sub", "sub"), ("parallax.b", "b"), ("parallax", None)]


def test_a_lazy_cycle_is_found_and_named():
    imports = parse_imports("parallax.a", "def f():\n    from parallax.b import x\n", False, TOY_MODULES) \
        + parse_imports("parallax.b", "from parallax.a import y\n", False, TOY_MODULES)
    assert describe_cycles(imports) == [
        "cycle among parallax.a, parallax.b: parallax.a (line 2) -> parallax.b (line 1) -> parallax.a"]


def test_from_the_package_is_an_edge_to_its_init_unless_a_submodule():
    found = parse_imports("parallax.pkg.sub", "from parallax import a, VERSION\n", False, TOY_MODULES)
    assert [i.target for i in found] == ["parallax.a", "parallax"]


def test_private_names_but_not_dunders_are_flagged():
    found = parse_imports("parallax.a", "from parallax.b import _hidden, __version__, shown\n", False,
                          TOY_MODULES)
    assert describe_private_imports(found) == ["parallax.a (line 1) imports private _hidden from parallax.b"]


def test_the_real_graph_is_read():
    graph = import_graph(all_imports())
    assert "parallax.nlp.quotes.direct" in graph["parallax.nlp.quotes.extract"]
    assert len(graph) > 50


# ------------------------------------------------------------------ the rules, on src/parallax

def test_no_import_cycles():
    cycles = describe_cycles(all_imports())
    assert not cycles, "import cycles in src/parallax:\n" + "\n".join(cycles)


def test_no_private_names_imported_from_other_modules():
    private = describe_private_imports(all_imports())
    assert not private, "private names imported across modules:\n" + "\n".join(private)


@pytest.mark.parametrize("folder", ["parallax.nlp", "parallax.techniques"])
def test_no_cycle_or_private_import_touches_nlp_or_techniques(folder):
    """The parts already cleaned stay clean, whatever the rest of the tree does."""
    imports = [i for i in all_imports() if _inside(i.importer, folder)]
    inner = [i for i in imports if _inside(i.target, folder)]
    assert describe_cycles(inner) == []
    assert describe_private_imports(imports) == []
