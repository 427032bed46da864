"""The engine's modules import one another without cycles.

Imports inside functions count: a lazy import that dodges a cycle at load time still ties the two modules
together. Imports made from strings (``importlib.import_module``) are refused outright, since no graph
can see them. Only ``if TYPE_CHECKING:`` imports are left out: they never run, and they let a command name
the Simulation type it is handed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import orchestrator

ROOT = Path(orchestrator.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, ast.Module]:
    return {_module_name(path): ast.parse(path.read_text(), str(path)) for path in sorted(ROOT.rglob("*.py"))}


def _imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """The engine modules ``name`` imports anywhere in its text; ``from .x import y`` names module x.y when
    y is a module, else x."""
    package = name if _is_package(name) else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return {m for m in found if m in known and m != name}


def _runtime_nodes(tree: ast.AST):
    """Every node of the tree except the bodies of ``if TYPE_CHECKING:`` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _is_package(name: str) -> bool:
    return (ROOT.parent / name.replace(".", "/") / "__init__.py").exists()


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, tree, set(modules)) for name, tree in modules.items()}


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once fully explored
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def test_the_engine_has_no_import_cycles():
    cycle = _find_cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_engine_imports_no_module_by_its_name_as_a_string():
    found = [name for name, tree in _modules().items() for node in ast.walk(tree)
             if isinstance(node, ast.Attribute | ast.Name) and getattr(node, "attr", getattr(node, "id", None))
             in ("import_module", "__import__")]
    assert not found, f"imports the cycle check cannot see, in: {', '.join(sorted(set(found)))}"


def test_the_cycle_check_finds_a_cycle_through_a_function_level_import():
    """The check itself: a lazy import that closes a loop is reported, with the loop spelled out."""
    a = ast.parse("from . import b\n")
    b = ast.parse("def f():\n    from .a import x\n")
    known = {"orchestrator.a", "orchestrator.b"}
    graph = {"orchestrator.a": _imports("orchestrator.a", a, known),
             "orchestrator.b": _imports("orchestrator.b", b, known)}
    assert _find_cycle(graph) == ["orchestrator.a", "orchestrator.b", "orchestrator.a"]
