"""The package's modules import each other without a cycle, lazy (function-level) imports
included; imports under `if TYPE_CHECKING:` never run and do not count."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "stickanim_jupyter"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _run_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement below `node` but those under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and ast.unparse(child.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for other in child.orelse:
                yield from _run_imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _run_imports(child)


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `module` imports, at its top or inside its functions."""
    base = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for node in _run_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
            continue
        origin = base
        for _ in range(node.level - 1):
            origin = origin.rpartition(".")[0]
        source = (f"{origin}.{node.module}" if node.module else origin) if node.level else node.module or ""
        # `from X import name` imports the submodule X.name when there is one, else X
        names += [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
    return {_owner(name, modules) for name in names if name.startswith(PACKAGE)} - {module, ""}


def _owner(name: str, modules: dict[str, Path]) -> str:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                return path[path.index(dep) :] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        state[module] = 2
        path.pop()
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_graph_sees_lazy_imports() -> None:
    modules = _modules()
    assert f"{PACKAGE}.api" in _imports(PACKAGE, modules[PACKAGE], modules)  # inside __getattr__
    assert f"{PACKAGE}.export" in _imports(f"{PACKAGE}.schema", modules[f"{PACKAGE}.schema"], modules)


def test_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
