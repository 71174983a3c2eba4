"""The shape of the source tree: rooms of one idea, layers, no import circles, no reaching into privates.

Every rule below reads an *import graph* built from the source with :mod:`ast`, never by importing it,
and every rule is a function of that graph, tried on a small made-up graph as well (the ``*_catches_*``
tests), so each one can be seen to fail.

**What counts as an import.** Every ``import`` and ``from … import`` of a zwgk module anywhere in a
file: at module level, inside functions and methods, and under ``if TYPE_CHECKING:``. A lazy import
still ties the two modules together (it is only postponed), and an annotation names a type the module
depends on. A string literal that is exactly the dotted name of a zwgk module below the top (``"zwgk.readers.docx"``
in the plugin list, a module in a ``lazy_getattr`` table, ``importlib.import_module("zwgk.x")``)
counts too: it is imported by name at run time. The one exception is the list of built-in plugins
(``DEFAULT_PLUGINS`` in :mod:`zwgk.plugins`): those modules are plugins, loaded through the same hooks
as a third party's plugin found by its entry point; the plugin manager works without any of them, and
they depend on zwgk, not zwgk on them. ``from zwgk.a import b`` is an edge to ``zwgk.a.b``
when that is a module and to ``zwgk.a`` otherwise. The parent packages Python runs on the way to a
module (``zwgk/__init__`` for every one of them) are not edges: they would tie everything to
everything.

**Private names (the rule).** A name beginning with one underscore is private to a *room*: the
folder its module lies in, that is the modules of one package (``zwgk/units/_registry.py`` and
``zwgk/units/_grammar.py`` share a room; ``zwgk/units/__init__.py`` is in it too). A module may import a
private name from a module of its own room only; a sub-package is another room, and so is the
parent package. This covers ``from zwgk.x import _name`` and ``zwgk.x._name`` reached through an
imported module. Private *modules* (``zwgk/table/_x.py``) are the package's own: they may be imported
from inside that package and its sub-packages, and the private top-level modules (``zwgk/_api.py``)
from anywhere in zwgk.

**Layers.** Each module belongs to one layer of :data:`LAYERS`; a module imports only from its own
layer or lower ones (lazy and TYPE_CHECKING imports included). A new module must be given a layer.

**Size.** A module is a room of one idea. Past :data:`LINES_WARN` lines the test warns (is it still
one idea?); past :data:`LINES_MAX` it fails: a long file with a single idea is fine, a very long one
is two ideas.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
#: Past this many lines a module gets a warning: still one idea?
LINES_WARN = 450
#: Past this many lines a module fails the test: split it into rooms of one idea.
LINES_MAX = 600


def _module_paths(root: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted((root / "zwgk").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _module_paths(SRC)
PACKAGES = frozenset(name for name, path in MODULES.items() if path.name == "__init__.py")


def room_of(module: str, packages: Iterable[str]) -> str:
    """The package a module lies in (a package's ``__init__`` lies in the package itself)."""
    return module if module in set(packages) else module.rpartition(".")[0]


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


class Import:
    """One import found in a file: the module it ties to, and the names taken from it."""

    __slots__ = ("line", "names", "target")

    def __init__(self, target: str, names: tuple[str, ...], line: int) -> None:
        self.target = target
        self.names = names  # names taken from ``target`` that are not modules themselves
        self.line = line

    def __repr__(self) -> str:
        return f"Import({self.target!r}, {self.names!r}, line {self.line})"


#: The name of the list of built-in plugin modules (in :mod:`zwgk.plugins`).
PLUGIN_LIST = "DEFAULT_PLUGINS"


def _targets(node: ast.Assign | ast.AnnAssign) -> list[ast.expr]:
    return node.targets if isinstance(node, ast.Assign) else [node.target]


def imports_of(module: str, tree: ast.Module, modules: Iterable[str], packages: Iterable[str]) -> list[Import]:
    """Every import of a zwgk module in ``tree`` (see the module docstring for what counts)."""
    known = set(modules)
    package = room_of(module, packages)
    found: list[Import] = []
    bound: dict[str, str] = {}  # local name -> zwgk module it is bound to
    registered = {  # the literals of the plugin list: plugins, not imports (see the docstring)
        id(c)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and any(isinstance(t, ast.Name) and t.id == PLUGIN_LIST for t in _targets(node))
        for c in ast.walk(node)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.append(Import(alias.name, (), node.lineno))
                    if alias.asname:
                        bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base not in known:
                continue
            names: list[str] = []
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    found.append(Import(sub, (), node.lineno))
                    bound[alias.asname or alias.name] = sub
                else:
                    names.append(alias.name)
            if names:
                found.append(Import(base, tuple(names), node.lineno))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "." in node.value
            and node.value in known
            and id(node) not in registered
        ):
            found.append(Import(node.value, (), node.lineno))
    for node in ast.walk(tree):  # ``module._name`` through a module bound by an import
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and f"{bound[node.value.id]}.{node.attr}" not in known
        ):
            found.append(Import(bound[node.value.id], (node.attr,), node.lineno))
    return [i for i in found if i.target != module]


def _scan() -> dict[str, list[Import]]:
    return {
        name: imports_of(name, ast.parse(path.read_text(encoding="utf-8")), MODULES, PACKAGES)
        for name, path in MODULES.items()
    }


IMPORTS = _scan()
GRAPH = {name: {i.target for i in found} for name, found in IMPORTS.items()}


# -- the rules, as functions of a graph -------------------------------------------------------------


def circles(graph: Mapping[str, Iterable[str]]) -> list[tuple[str, ...]]:
    """The import circles: strongly connected components of more than one module (Tarjan), sorted."""
    edges = {v: sorted(w for w in ws if w in graph) for v, ws in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[tuple[str, ...]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
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
                out.append(tuple(sorted(comp)))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(out)


def private_reaches(imports: Mapping[str, Iterable[Import]], packages: Iterable[str]) -> list[str]:
    """Imports of private names or private modules from outside their room (rule in the docstring)."""
    packs = set(packages)
    out = []
    for name, found in imports.items():
        here = room_of(name, packs)
        for imp in found:
            owner_room = room_of(imp.target, packs)
            for taken in imp.names:
                if _is_private(taken) and here != owner_room:
                    out.append(f"{name}:{imp.line} takes {taken} from {imp.target}")
            last = imp.target.rpartition(".")[2]
            if _is_private(last) and imp.target not in packs:
                owner = imp.target.rpartition(".")[0]
                if owner != "zwgk" and here != owner and not here.startswith(owner + "."):
                    out.append(f"{name}:{imp.line} imports the private module {imp.target}")
    return sorted(out)


#: The layers, lowest first. A module belongs to the first layer one of whose prefixes it starts
#: with (a prefix is a module or a package and everything in it). A module imports only from its own
#: layer or lower ones.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "model",
        (
            "zwgk.errors",
            "zwgk.vocabulary",
            "zwgk.model",
            "zwgk._version",
            "zwgk._numbering",
            "zwgk._deadline",
            "zwgk._width",
            "zwgk._gc",
            "zwgk._lazy",
            "zwgk._options",
        ),
    ),
    ("units", ("zwgk.units", "zwgk.hookspecs")),  # the hooks name the unit registry a plugin adds to
    ("table", ("zwgk.table",)),
    (
        "formats",
        (
            "zwgk.readers",
            "zwgk.exporters",
            "zwgk.validators",
            "zwgk._serialize",
            "zwgk._match",
            "zwgk._diff",
            "zwgk._aliases",
        ),
    ),
    # the report page validates; _registered: what the plugins register, looked up
    ("api", ("zwgk._api", "zwgk._registered", "zwgk.plugins", "zwgk._report", "zwgk.testing")),
    ("corpus", ("zwgk.corpus", "zwgk.analysis")),
    ("face", ("zwgk",)),  # the package's names, from every layer below (``zwgk.load_many`` too)
    ("cli", ("zwgk.cli", "zwgk.__main__")),
)


def layer_of(module: str, layers: tuple[tuple[str, tuple[str, ...]], ...] = LAYERS) -> int | None:
    """The index of ``module``'s layer, or ``None`` when no layer claims it."""
    best: tuple[int, int] | None = None  # (prefix length, layer) — the longest prefix decides
    for rank, (_, prefixes) in enumerate(layers):
        for prefix in prefixes:
            claims = module == prefix or module.startswith(prefix + ".")
            if claims and (best is None or len(prefix) > best[0]):
                best = (len(prefix), rank)
    return None if best is None else best[1]


def layer_breaches(
    graph: Mapping[str, Iterable[str]], layers: tuple[tuple[str, tuple[str, ...]], ...] = LAYERS
) -> list[str]:
    """Imports from a lower layer into a higher one, and modules no layer claims."""
    out = []
    for name, deps in sorted(graph.items()):
        mine = layer_of(name, layers)
        if mine is None:
            out.append(f"{name} belongs to no layer")
            continue
        for dep in sorted(deps):
            theirs = layer_of(dep, layers)
            if theirs is not None and theirs > mine:
                out.append(f"{name} ({layers[mine][0]}) imports {dep} ({layers[theirs][0]})")
    return out


def size_offences(lines: Mapping[str, int], warn: int, fail: int) -> tuple[list[str], list[str]]:
    """The modules past ``warn`` lines (warnings) and past ``fail`` lines (failures)."""
    over_warn = sorted(
        f"{n} has {k} lines (over {warn}: still one idea?)" for n, k in lines.items() if warn < k <= fail
    )
    over_fail = sorted(f"{n} has {k} lines (over {fail}: split it)" for n, k in lines.items() if k > fail)
    return over_warn, over_fail


# -- the tree obeys them ----------------------------------------------------------------------------

#: Import circles known to remain, each to be taken apart; the test fails when one disappears, so
#: that it is struck from this list too.
KNOWN_CIRCLES: frozenset[tuple[str, ...]] = frozenset()


def test_the_walk_found_the_package() -> None:
    assert len(MODULES) > 50
    assert GRAPH["zwgk.table.build"]  # the builder imports something: the scan read the files


def test_no_import_circle_counting_every_import() -> None:
    found = set(circles(GRAPH))
    assert sorted(found - KNOWN_CIRCLES) == [], "new import circles"
    assert sorted(KNOWN_CIRCLES - found) == [], "circles taken apart: strike them from KNOWN_CIRCLES"


def test_no_module_imports_another_rooms_privates() -> None:
    assert private_reaches(IMPORTS, PACKAGES) == []


def test_the_layers_hold() -> None:
    assert layer_breaches(GRAPH) == []


def test_the_model_knows_no_registry() -> None:
    assert not {d for d in GRAPH["zwgk.model"] if d.startswith(("zwgk.units", "zwgk.table", "zwgk.readers"))}


def test_every_module_is_a_room_of_one_idea() -> None:
    """Each module opens with a docstring saying its one idea, and stays under :data:`LINES_MAX`."""
    lines = {}
    no_doc = []
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        lines[name] = len(source.splitlines())
        if not ast.get_docstring(ast.parse(source)):
            no_doc.append(f"{path} has no docstring saying its one idea")
    long, too_long = size_offences(lines, LINES_WARN, LINES_MAX)
    for note in long:
        warnings.warn(note, stacklevel=1)
    assert no_doc == []
    assert too_long == []


def test_the_architecture_page_has_a_line_for_every_module() -> None:
    page = (SRC.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `(zwgk[\w.]*)` \|", page, flags=re.MULTILINE))
    assert sorted(set(MODULES) - listed) == [], "docs/architecture.md: add a line for each new module"
    assert sorted(listed - set(MODULES)) == [], "docs/architecture.md: strike the modules that are gone"


# -- each rule can fail -----------------------------------------------------------------------------

_TOY_MODULES = ("zwgk", "zwgk.a", "zwgk.a.one", "zwgk.a.two", "zwgk.a._three", "zwgk.b", "zwgk.b.four", "zwgk._top")
_TOY_PACKAGES = ("zwgk", "zwgk.a", "zwgk.b")


def _toy(module: str, source: str) -> list[Import]:
    return imports_of(module, ast.parse(source), _TOY_MODULES, _TOY_PACKAGES)


def test_every_kind_of_import_is_counted() -> None:
    source = '''
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from zwgk.a.one import Thing
def f():
    from zwgk.b import four
    import zwgk.a.two
    return four.x
def g():
    from . import _three
MODULES = ("zwgk._top",)
'''
    assert {i.target for i in _toy("zwgk.a.one", source) + _toy("zwgk.a.x", source)} == {
        "zwgk.a.one",
        "zwgk.b.four",
        "zwgk.a.two",
        "zwgk.a._three",
        "zwgk._top",
    }


def test_circles_catches_a_lazy_circle() -> None:
    graph = {
        "zwgk.a.one": {"zwgk.a.two"},
        "zwgk.a.two": {"zwgk.b.four"},
        "zwgk.b.four": {"zwgk.a.one"},  # a lazy import counts like any other
        "zwgk.b": set(),
    }
    assert circles(graph) == [("zwgk.a.one", "zwgk.a.two", "zwgk.b.four")]
    graph["zwgk.b.four"] = set()
    assert circles(graph) == []


def test_private_reaches_catches_a_reach() -> None:
    inside = {"zwgk.a.two": _toy("zwgk.a.two", "from zwgk.a.one import _helper\nfrom zwgk.a import _three")}
    assert private_reaches(inside, _TOY_PACKAGES) == []
    from_parent = {"zwgk.a": _toy("zwgk.a", "from zwgk.a.one import _helper")}
    assert private_reaches(from_parent, _TOY_PACKAGES) == []  # the package's __init__ is in the room
    outside = {"zwgk.b.four": _toy("zwgk.b.four", "from zwgk.a.one import _helper, public\nfrom zwgk.a import _three")}
    assert private_reaches(outside, _TOY_PACKAGES) == [
        "zwgk.b.four:1 takes _helper from zwgk.a.one",
        "zwgk.b.four:2 imports the private module zwgk.a._three",
    ]
    through = {"zwgk.b.four": _toy("zwgk.b.four", "from zwgk.a import one\none._helper()")}
    assert private_reaches(through, _TOY_PACKAGES) == ["zwgk.b.four:2 takes _helper from zwgk.a.one"]
    top = {"zwgk.a.one": _toy("zwgk.a.one", "from zwgk._top import _secret\nfrom zwgk import _top")}
    assert private_reaches(top, _TOY_PACKAGES) == ["zwgk.a.one:1 takes _secret from zwgk._top"]


def test_layer_breaches_catches_an_upward_import() -> None:
    layers = (("low", ("zwgk.a",)), ("high", ("zwgk.b", "zwgk")))
    assert layer_breaches({"zwgk.b.four": {"zwgk.a.one"}, "zwgk": {"zwgk.b"}}, layers) == []
    assert layer_breaches({"zwgk.a.one": {"zwgk.b.four"}}, layers) == ["zwgk.a.one (low) imports zwgk.b.four (high)"]
    assert layer_breaches({"other.x": set()}, layers) == ["other.x belongs to no layer"]


def test_size_offences_warns_then_fails() -> None:
    assert size_offences({"a": 450, "b": 451, "c": 601}, 450, 600) == (
        ["b has 451 lines (over 450: still one idea?)"],
        ["c has 601 lines (over 600: split it)"],
    )
