"""zwgk.units: the names it exports, its public modules, and imports at module level in no circle."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import zwgk
import zwgk.units

UNITS = Path(zwgk.units.__file__).parent
#: What a user of zwgk needs from ``zwgk.units``; everything else lives in a public module or is private.
SURFACE = {
    "Marking",
    "ParsedCell",
    "UnitRegistry",
    "UnitSummary",
    "default_registry",
    "dumps_registry",
    "format_summaries",
    "load_registry",
    "loads_registry",
    "save_registry",
    "summarize_units",
    "written_name",
}
PUBLIC_MODULES = ("builtin", "lineage", "misread", "shapes", "similar", "written")


def test_units_exports_what_users_need() -> None:
    assert set(zwgk.units.__all__) == SURFACE
    assert all(getattr(zwgk.units, name) is not None for name in SURFACE)
    assert zwgk.UnitRegistry is zwgk.units.UnitRegistry


def test_the_public_modules_are_documented_and_export_what_they_define() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "units.md").read_text(encoding="utf-8")
    for name in PUBLIC_MODULES:
        module = importlib.import_module(f"zwgk.units.{name}")
        assert module.__doc__ and f"zwgk.units.{name}" in docs
        for attr in getattr(module, "__all__", ()):
            defined = getattr(getattr(module, attr), "__module__", module.__name__)
            assert defined == module.__name__ or not defined.startswith("zwgk."), f"{name}.{attr} is {defined}'s"
    public = {p.stem for p in UNITS.glob("*.py") if not p.stem.startswith("_")}
    assert public == set(PUBLIC_MODULES)


def _imports(path: Path) -> tuple[set[str], list[int]]:
    """The ``zwgk.units`` modules ``path`` imports anywhere (type-checking imports too), and the
    lines of imports made inside a function or class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    for node in tree.body:  # `if TYPE_CHECKING:` and `if sys.version_info` blocks are module level
        if isinstance(node, ast.If | ast.Try):
            top.update(id(n) for n in ast.walk(node))
    found: set[str] = set()
    inner: list[int] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if id(node) not in top:
            inner.append(node.lineno)
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        for name in names:
            if name.startswith("zwgk.units."):
                found.add(name.split(".")[2])
            elif name == "zwgk.units":
                found.add("__init__")
    found.discard(path.stem)
    return found, inner


def test_units_imports_at_module_level_in_no_circle() -> None:
    graph: dict[str, set[str]] = {}
    for path in sorted(UNITS.glob("*.py")):
        graph[path.stem], inner = _imports(path)
        assert inner == [], f"{path.name} imports inside a function at lines {inner}"
    # Take away, again and again, the modules that import no module left: a circle is what stays.
    left = dict(graph)
    while True:
        leaves = {m for m, deps in left.items() if not deps & left.keys()}
        if not leaves:
            break
        left = {m: deps for m, deps in left.items() if m not in leaves}
    assert left == {}, f"import circle among {sorted(left)}"
    assert "__init__" not in set().union(*(graph[m] for m in graph if m != "__init__"))
