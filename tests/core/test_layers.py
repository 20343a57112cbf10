"""The layers of core/: no import cycle, and the domain imports nothing of the app."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"

#: Modules of the app around the domain: an area never imports them.
APP = ("core.app", "core.web", "core.cli", "core.wsgi", "core.bench")
#: The areas: one package per part of the domain.
AREAS = ("councils", "strategy", "pledges", "panels", "meetings", "reviews", "partners",
         "content", "plugins")


def _imports() -> dict[str, set[str]]:
    """Each module of core/ and the modules of core/ it imports (type-checking ones too)."""
    modules = {".".join(path.relative_to(CORE.parent).with_suffix("").parts)
               .removesuffix(".__init__"): path for path in CORE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.update({node.module, *(f"{node.module}.{a.name}" for a in node.names)})
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {dep for dep in found if dep in modules and dep != name
                       and not name.startswith(f"{dep}.")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(module: str, stack: list[str]) -> None:
        state[module] = 1
        stack.append(module)
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep):], dep])
            elif dep not in state:
                visit(dep, stack)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    return cycles


def test_no_import_cycle_in_core() -> None:
    assert _cycles(_imports()) == []


def test_the_cycle_finder_finds_one() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_area_imports_the_app() -> None:
    offending = {module: sorted(dep for dep in deps if dep.startswith(APP))
                 for module, deps in _imports().items()
                 if module.split(".")[1:2] and module.split(".")[1] in AREAS}
    assert {module: deps for module, deps in offending.items() if deps} == {}


def test_sync_does_not_import_the_demo() -> None:
    assert not {dep for dep in _imports()["core.sync"] if dep.startswith("core.bench")}
