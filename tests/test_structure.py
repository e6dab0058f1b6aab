"""The code's shape stays easy to read (docs/contributing.md): no import cycles, also none
hidden inside functions; functions that fit on a screen; small modules; a domain core that
knows nothing of the web.

Imports are read from the source (``ast``), not by importing, so an import inside a function
counts like one at the top. Only imports under ``if TYPE_CHECKING:`` are left out: they never
run. ``from package import module`` is an edge to the module. Importing ``a.b.c`` runs the
``__init__`` of ``a.b`` first, so that is an edge too, unless ``a.b`` is a package of the
importing module itself (then it is already being imported).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("exercises", "quizapp")
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400
WEB_LIBRARIES = ("flask", "flask_babel", "flask_login", "flask_wtf", "sqlalchemy", "alembic",
                 "pydantic", "werkzeug", "jinja2", "quizapp")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _imported_names(name: str, tree: ast.AST) -> set[str]:
    """Every dotted name an import statement of module ``name`` brings in, resolved."""
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    skip = _type_checking_lines(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                head = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(head + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found


def _own_module(dotted: str) -> str | None:
    while dotted and dotted not in MODULES:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _packages_of(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        names = _imported_names(name, ast.parse(path.read_text(encoding="utf-8")))
        targets = {m for m in map(_own_module, names) if m}
        targets |= {pkg for m in targets for pkg in _packages_of(m)} - _packages_of(name)
        graph[name] = targets - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_counting_imports_inside_functions():
    assert cycles(import_graph()) == []


def test_the_domain_core_imports_nothing_of_the_web():
    offending = {name: sorted(n for n in _imported_names(name, ast.parse(path.read_text(encoding="utf-8")))
                              if n.split(".")[0] in WEB_LIBRARIES)
                 for name, path in MODULES.items() if name.split(".")[0] == "exercises"}
    assert {name: found for name, found in offending.items() if found} == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_are_small_and_functions_fit_on_a_screen(name):
    source = MODULES[name].read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, name
    long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == [], name
