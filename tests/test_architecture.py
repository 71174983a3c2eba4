"""The shape of the source tree: rooms of one idea, no import circles, no reaching into privates."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
#: The longest a module of ``src/zwgk`` may grow before it is split into rooms of one idea.
MAX_MODULE_LINES = 450


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted((SRC / "zwgk").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path, top_level_only: bool) -> set[str]:
    """The zwgk modules ``name`` imports (at module level only, when asked)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            subs = {f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES}
            found.update(subs)
            if len(subs) < len(node.names) and base in MODULES:
                found.add(base)
    found.discard(name)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circle_at_module_level() -> None:
    graph = {name: _imports(name, path, top_level_only=True) for name, path in MODULES.items()}
    assert _cycles(graph) == []


def test_the_model_knows_no_registry() -> None:
    deps = _imports("zwgk.model", MODULES["zwgk.model"], top_level_only=False)
    assert not {d for d in deps if d.startswith(("zwgk.units", "zwgk.table", "zwgk.readers"))}


def test_every_module_is_a_room_of_one_idea() -> None:
    """Each module stays under the line cap and opens with a docstring saying its one idea."""
    offences = []
    for path in MODULES.values():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            offences.append(f"{path} is over {MAX_MODULE_LINES} lines")
        if not ast.get_docstring(ast.parse(source)):
            offences.append(f"{path} has no docstring saying its one idea")
    assert len(MODULES) > 50  # the walk found the package
    assert offences == []


def _package_of(name: str) -> str:
    return name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]


def test_nothing_imports_another_packages_private_modules() -> None:
    offences = []
    for name, path in MODULES.items():
        for dep in _imports(name, path, top_level_only=False):
            last = dep.rpartition(".")[2]
            if not last.startswith("_") or last.startswith("__"):
                continue
            owner = dep.rpartition(".")[0]
            here = _package_of(name)
            if here != owner and not here.startswith(owner + ".") and owner != "zwgk":
                offences.append(f"{name} imports {dep}")
    assert offences == []
