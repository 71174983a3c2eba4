"""The plugin manager and the four hooks, each exercised by a small plugin object."""

from __future__ import annotations

import argparse
import csv
import importlib
import importlib.metadata
import inspect
import io
import pickle
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

import zwgk
from zwgk import hookspecs, plugins
from zwgk.cli import Command, add_input_options, build_parser
from zwgk.errors import PluginError
from zwgk.exporters import Exporter
from zwgk.model import Plan, Unit, UnitKind
from zwgk.readers import Document, Reader, Source
from zwgk.readers.builtin import BUILTIN_READERS
from zwgk.table.grid import Cell, Grid
from zwgk.units import UnitRegistry
from zwgk.validators import Finding, Severity, Validator

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("register_"))


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A plugin manager built afresh for the test (and again after it)."""
    monkeypatch.delenv("ZWGK_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("ZWGK_LOAD_PLUGINS", raising=False)
    plugins.reset()
    yield
    plugins.reset()


def _write_csv(plan: Plan, stream: Any, **options: object) -> None:
    text = io.StringIO()
    w = csv.writer(text)
    for a in plan.assignments():
        w.writerow([a.task.id, a.role.value, a.unit.name])
    stream.write(text.getvalue().encode("utf-8"))


class CsvPlugin:
    @zwgk.hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(Exporter("assignments-csv", (".acsv",), _write_csv, "one row per assignment"))


def _read_pipes(source: Source) -> Document:
    lines = source.read_bytes().decode("utf-8").splitlines()
    rows = tuple(tuple(Cell(c.strip()) for c in line.split("|")) for line in lines if line.strip())
    return Document([Grid(rows, source=source.name, table=1, preamble=("管道表",))])


class PipeReaderPlugin:
    @zwgk.hookimpl
    def register_readers(self, register: Callable[[Reader], None]) -> None:
        register(Reader("pipes", (".pipes",), _read_pipes, None, "a|separated|table"))


def _no_deadline(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    for t in plan.tasks:
        if not t.deadline:
            yield Finding.at(t, "no deadline", severity=Severity.INFO)


class ValidatorPlugin:
    @zwgk.hookimpl
    def register_validators(self, register: Callable[[Validator], None]) -> None:
        register(Validator("XT901", "no-deadline-test", Severity.INFO, _no_deadline, "tasks without a deadline"))


class UnitsPlugin:
    @zwgk.hookimpl
    def register_units(self, registry: UnitRegistry) -> None:
        registry.add(Unit("市数字经济促进局", UnitKind.DEPARTMENT, ("市数促局", "数字经济促进局")))


class Raising:
    @zwgk.hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(Exporter("half-done", (".half",), _write_csv))
        raise RuntimeError("boom")

    @zwgk.hookimpl
    def register_units(self, registry: UnitRegistry) -> None:
        raise ValueError("bad registry data")


# One test per hook: test_plugin_hooks_have_tests keeps the list complete.


def test_hook_register_exporters(fresh: None, sample: Plan, tmp_path: Path) -> None:
    assert "assignments-csv" not in zwgk.get_exporters()
    plugins.register(CsvPlugin(), name="csv-test")
    exporter = zwgk.get_exporters()["assignments-csv"]
    assert exporter.suffixes == (".acsv",) and exporter.description == "one row per assignment"
    zwgk.export(sample, ".acsv", tmp_path / "a.acsv")
    rows = list(csv.reader((tmp_path / "a.acsv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == len(list(sample.assignments()))
    plugins.unregister("csv-test")
    assert "assignments-csv" not in zwgk.get_exporters()


def test_hook_register_readers(fresh: None, tmp_path: Path) -> None:
    path = tmp_path / "t.pipes"
    path.write_text("具体任务|牵头单位|责任单位\n公开财政预决算。|市财政局|各县（市、区）\n", encoding="utf-8")
    with pytest.raises(zwgk.ParseError):
        zwgk.load(path)
    plugins.register(PipeReaderPlugin(), name="pipes-test")
    assert zwgk.get_readers()["pipes"].suffixes == (".pipes",)
    plan = zwgk.load(path)
    assert [t.text for t in plan.tasks] == ["公开财政预决算。"]
    assert [u.name for u in plan.tasks[0].leads] == ["市财政局"]
    assert zwgk.load(path, format="pipes") == plan
    assert plan.title == "管道表"  # chosen by the core among the lines above the table
    with pytest.raises(zwgk.ParseError, match="there is no table 2"):
        zwgk.load(path, table=2)  # the core's option, with no code in the reader
    plugins.unregister("pipes-test")


class CountCommandPlugin:
    @zwgk.hookimpl
    def register_commands(self, register: Callable[[Command], None]) -> None:
        def run(args: argparse.Namespace) -> int:
            plan = zwgk.load_sample() if args.sample else zwgk.load(args.file, table=args.table)
            print(f"{len(plan.tasks)} tasks")
            return 0

        register(Command("count", "print how many tasks a table holds", add_input_options, run))


def test_hook_register_commands(fresh: None, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    assert main(["count", "--sample"]) == 2  # no such command yet
    capsys.readouterr()
    plugins.register(CountCommandPlugin(), name="count-test")
    assert main(["count", "--sample"]) == 0
    assert capsys.readouterr().out == "143 tasks\n"
    assert main(["count", "no-such-file.txt"]) == 2  # a zwgk error: one line, exit 2
    assert capsys.readouterr().err.startswith("zwgk: error: no-such-file.txt: no such file")
    assert main(["count", "--help"]) == 0
    assert "--layout" in capsys.readouterr().out  # the shared input options
    plugins.unregister("count-test")

    class Clash:
        @zwgk.hookimpl
        def register_commands(self, register: Callable[[Command], None]) -> None:
            register(Command("parse", "a second parse", lambda p: None, lambda a: 0))

    plugins.register(Clash(), name="clash-test")
    with pytest.raises(zwgk.PluginError, match="'clash-test' registers the command 'parse'"):
        build_parser()
    assert main(["parse", "--sample"]) == 2
    assert "'clash-test' registers the command 'parse', which is zwgk's own" in capsys.readouterr().err
    plugins.unregister("clash-test")


def test_hook_register_validators(fresh: None, sample: Plan) -> None:
    assert "XT901" not in zwgk.get_validators()
    plugins.register(ValidatorPlugin(), name="validator-test")
    validator = zwgk.get_validators()["XT901"]
    assert validator.slug == "no-deadline-test"
    assert plugins.collect("register_validators", lambda v: v.code)["XT901"][1] == "validator-test"
    report = zwgk.validate(sample, select="XT901")
    assert [f.task_id for f in report.findings] == [t.id for t in sample.tasks if not t.deadline]
    assert {f.code for f in report.findings} == {"XT901"}
    plugins.unregister("validator-test")
    assert "XT901" not in zwgk.get_validators()


def test_hook_register_units(fresh: None) -> None:
    assert zwgk.unit_registry().resolve("市数促局") is None
    plugins.register(UnitsPlugin(), name="units-test")
    unit = zwgk.unit_registry().resolve("市数促局")
    assert unit is not None and unit.name == "市数字经济促进局"
    ref = zwgk.unit_registry().split("市数促局、市财政局")[0]
    assert (ref.as_written, ref.name, ref.resolved) == ("市数促局", "市数字经济促进局", True)
    # Each call gives a copy: changing one does not change the next.
    zwgk.unit_registry().add(Unit("临时单位"))
    assert zwgk.unit_registry().resolve("临时单位") is None
    plugins.unregister("units-test")
    assert zwgk.unit_registry().resolve("市数促局") is None


def test_plugin_hooks_have_tests() -> None:
    missing = [h for h in HOOKS if f"test_hook_{h}" not in globals()]
    assert HOOKS and missing == []


def test_builtins_are_plugins_like_any_other(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_DISABLE_PLUGINS", "1")  # only the built-ins
    infos = {p.name: p for p in plugins.plugins()}
    assert list(infos) == list(plugins.DEFAULT_PLUGINS)
    for name in plugins.DEFAULT_PLUGINS:
        assert infos[name].builtin and infos[name].package is None
    assert infos["zwgk.exporters.docx"].hooks == ("register_exporters",)
    owners = {k: owner for k, (_, owner) in plugins.collect("register_exporters", lambda e: e.name).items()}
    assert owners == {"text": "zwgk.exporters.text", "json": "zwgk.exporters.json",
                      "markdown": "zwgk.exporters.markdown", "docx": "zwgk.exporters.docx", "html": "zwgk._report",
                      "csv": "zwgk.exporters.csv_tasks"}


def test_exporters_listing_has_names_suffixes_and_descriptions() -> None:
    listing = zwgk.get_exporters()
    assert {"text", "json", "markdown", "docx"} <= set(listing)
    assert listing["markdown"].suffixes[0] == ".md" and listing["docx"].suffixes == (".docx",)
    assert all(e.description for e in listing.values())


def test_two_plugins_registering_one_name_is_an_error_naming_both(fresh: None) -> None:
    class Clash:
        @zwgk.hookimpl
        def register_exporters(self, register: Callable[[Exporter], None]) -> None:
            register(Exporter("json", (".json",), _write_csv))

    plugins.register(Clash(), name="clash")
    with pytest.raises(PluginError, match=r"'json'.*'zwgk\.exporters\.json'.*'clash'"):
        zwgk.get_exporters()
    plugins.unregister("clash")
    assert "json" in zwgk.get_exporters()


def test_a_raising_plugin_is_reported_by_name_and_the_rest_keep_working(fresh: None, sample: Plan) -> None:
    plugins.register(Raising(), name="raising")
    with pytest.warns(RuntimeWarning, match=r"plugin 'raising' raised in register_exporters: RuntimeError: boom"):
        listing = zwgk.get_exporters()
    assert "half-done" not in listing and {"text", "json", "markdown", "docx"} <= set(listing)
    with pytest.warns(RuntimeWarning, match=r"plugin 'raising' raised in register_units: ValueError"):
        registry = zwgk.unit_registry()
    assert registry.resolve("各县（市、区）") is not None
    assert any("raising" in str(e) for e in plugins.plugin_errors())
    assert zwgk.export(sample, "json") is not None


def test_registering_twice_or_unregistering_unknown_names_is_an_error(fresh: None) -> None:
    plugins.register(CsvPlugin(), name="twice")
    with pytest.raises(PluginError, match="already registered"):
        plugins.register(CsvPlugin(), name="twice")
    plugins.unregister("twice")
    with pytest.raises(PluginError, match="no plugin named"):
        plugins.unregister("twice")


def test_an_invalid_hook_signature_is_a_plugin_error(fresh: None) -> None:
    class Wrong:
        @zwgk.hookimpl
        def register_exporters(self, exporters: object) -> None:
            pass

    with pytest.raises(PluginError, match="cannot register plugin"):
        plugins.register(Wrong(), name="wrong")


def test_a_misspelt_hook_is_reported(fresh: None) -> None:
    class Typo:
        @zwgk.hookimpl
        def register_exporter(self, register: Callable[[Exporter], None]) -> None:
            pass

    with pytest.warns(RuntimeWarning, match="'register_exporter', which is not a zwgk hook"):
        plugins.register(Typo(), name="typo")
    plugins.unregister("typo")


# Entry points: a fake distribution's entry point pointing at a module made in the test.

def _fake_module(monkeypatch: pytest.MonkeyPatch, name: str) -> types.ModuleType:
    module = types.ModuleType(name)

    @zwgk.hookimpl
    def register_exporters(register: Callable[[Exporter], None]) -> None:
        register(Exporter(f"{name}-format", (f".{name}",), _write_csv, "from an entry point"))

    module.register_exporters = register_exporters  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, name, module)
    return module


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch, fresh: None) -> list[int]:
    _fake_module(monkeypatch, "zwgk_fake_one")
    _fake_module(monkeypatch, "zwgk_fake_two")
    one = EntryPoint("fake-one", "zwgk_fake_one", "zwgk")
    one = one._for(types.SimpleNamespace(name="zwgk-fake-one", version="1.2.3"))  # type: ignore[attr-defined]
    eps = [one, EntryPoint("fake-two", "zwgk_fake_two", "zwgk"),
           EntryPoint("broken", "zwgk_no_such_module_here", "zwgk")]
    calls: list[int] = []

    def fake_entry_points(group: str) -> list[EntryPoint]:
        calls.append(1)
        return eps if group == "zwgk" else []

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    return calls


def test_entry_points_load_lazily_and_once(entry_points: list[int]) -> None:
    assert entry_points == []
    with pytest.warns(RuntimeWarning, match="plugin 'broken' failed to load: ModuleNotFoundError"):
        listing = zwgk.get_exporters()
    assert {"zwgk_fake_one-format", "zwgk_fake_two-format", "docx"} <= set(listing)
    zwgk.get_exporters()
    zwgk.unit_registry()
    assert entry_points == [1]
    infos = {p.name: p for p in plugins.plugins()}
    assert infos["fake-one"].package == "zwgk-fake-one 1.2.3" and not infos["fake-one"].builtin
    assert "broken" not in infos
    assert any("broken" in str(e) for e in plugins.plugin_errors())


def test_entry_points_can_be_disabled(entry_points: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_DISABLE_PLUGINS", "1")
    listing = zwgk.get_exporters()
    assert "zwgk_fake_one-format" not in listing and "docx" in listing
    assert plugins.plugin_errors() == ()


def test_entry_points_can_be_chosen_by_name(entry_points: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZWGK_LOAD_PLUGINS", "fake-two")
    listing = zwgk.get_exporters()
    assert "zwgk_fake_two-format" in listing and "zwgk_fake_one-format" not in listing
    assert plugins.plugin_errors() == ()


def test_a_misspelt_hook_is_reported_whatever_its_name(fresh: None) -> None:
    class Typos:
        @zwgk.hookimpl
        def regster_exporters(self, register: Callable[[Exporter], None]) -> None:
            pass

        @zwgk.hookimpl(optionalhook=True)
        def register_someday(self) -> None:  # optional: pluggy's rule lets it wait for its hook
            pass

    with pytest.warns(RuntimeWarning) as caught:
        plugins.register(Typos(), name="typos")
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "'regster_exporters', which is not a zwgk hook" in messages[0]
    assert "register_exporters" in messages[0]  # the hooks there are, to spot the typo
    plugins.unregister("typos")


def test_reset_loads_the_plugins_afresh(fresh: None) -> None:
    plugins.register(CsvPlugin(), name="csv-test")
    assert "assignments-csv" in zwgk.get_exporters()
    plugins.reset()
    assert "assignments-csv" not in zwgk.get_exporters()
    assert "csv-test" not in {p.name for p in plugins.plugins()}


def test_import_zwgk_leaves_entry_points_for_later() -> None:
    code = "import sys, zwgk; print('importlib.metadata' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# The documented way to test a plugin works when the plugin is also installed through its entry point.

_LINES_PLUGIN = '''
import zwgk
from zwgk.exporters import Exporter

def write_lines(plan, stream):
    for task in plan.tasks:
        stream.write(task.text.replace("\\n", " ").encode("utf-8") + b"\\n")

@zwgk.hookimpl
def register_exporters(register):
    register(Exporter("lines", (".lines",), write_lines, "one task per line"))
'''


@pytest.fixture
def installed_lines_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: None) -> Iterator[types.ModuleType]:
    """A package ``zwgk-lines-demo`` installed on ``sys.path``: its module and its entry point."""
    (tmp_path / "zwgk_lines_demo.py").write_text(_LINES_PLUGIN, encoding="utf-8")
    info = tmp_path / "zwgk_lines_demo-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zwgk-lines-demo\nVersion: 0.3\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[zwgk]\nlines = zwgk_lines_demo\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    import zwgk_lines_demo  # type: ignore[import-not-found]

    module: types.ModuleType = zwgk_lines_demo
    yield module
    del sys.modules["zwgk_lines_demo"]


def test_the_documented_test_pattern_works_for_an_installed_plugin(
        installed_lines_plugin: types.ModuleType, sample: Plan) -> None:
    infos = {p.name: p for p in plugins.plugins()}
    assert infos["lines"].package == "zwgk-lines-demo 0.3"  # loaded through its entry point
    # docs/plugins.md, "Testing a plugin":
    name = plugins.register(installed_lines_plugin, name="lines-test")
    try:
        assert zwgk.export(sample, "lines").count(b"\n") == 143
    finally:
        plugins.unregister(name)
    # The entry-point plugin is still there, once.
    assert [p.name for p in plugins.plugins()].count("lines") == 1
    assert "lines-test" not in {p.name for p in plugins.plugins()}
    assert zwgk.export(sample, "lines").count(b"\n") == 143
    # Without a name too; a name in use is still refused.
    unnamed = plugins.register(installed_lines_plugin)
    plugins.unregister(unnamed)
    with pytest.raises(PluginError, match="already registered"):
        plugins.register(installed_lines_plugin, name="lines")
    assert "lines" in zwgk.get_exporters()


# Built-in plugins: declared, each module imported when one of its hooks is first called

def _hookimpls(module: types.ModuleType) -> set[str]:
    return {name for name in dir(module) if getattr(getattr(module, name), "zwgk_impl", None) is not None}


def test_builtin_plugins_declare_exactly_the_hooks_their_modules_implement() -> None:
    for name, hooks in plugins.DEFAULT_PLUGINS.items():
        assert hooks and set(hooks) <= set(HOOKS), name
        assert _hookimpls(importlib.import_module(name)) == set(hooks), name


def _printed(code: str) -> list[str]:
    """The lines ``code`` prints, run in a fresh Python without entry-point plugins."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": ":".join(sys.path), "ZWGK_DISABLE_PLUGINS": "1"}).stdout.splitlines()


def test_a_builtin_plugin_module_is_imported_by_its_first_hook_call_only() -> None:
    code = (
        "import sys\n"
        "from zwgk import plugins\n"
        "plugins.get_plugin_manager()\n"
        "print(sorted(m for m in plugins.DEFAULT_PLUGINS if m in sys.modules))\n"
        "plugins.collect('register_commands', lambda c: c.name)\n"
        "print(sorted(m for m in plugins.DEFAULT_PLUGINS if m in sys.modules))\n"
        "plugins.collect('register_exporters', lambda e: e.name)\n"
        "print(sorted(m for m in plugins.DEFAULT_PLUGINS if m in sys.modules))\n"
    )
    out = _printed(code)
    exporters = sorted(m for m, hooks in plugins.DEFAULT_PLUGINS.items() if "register_exporters" in hooks)
    assert out == ["[]", "[]", repr(exporters)]


def test_a_builtin_module_missing_its_declared_hook_is_reported(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(plugins.DEFAULT_PLUGINS, "zwgk.errors", ("register_units",))  # declares it, lacks it
    plugins.reset()
    with pytest.warns(RuntimeWarning, match=r"plugin 'zwgk\.errors' raised in register_units: AttributeError"):
        zwgk.unit_registry()
    assert any("'zwgk.errors'" in str(e) for e in plugins.plugin_errors())


def test_builtin_readers_are_listed_without_importing_their_modules() -> None:
    readers = [r.name for r in BUILTIN_READERS]
    code = (
        "import sys, zwgk\n"
        "readers = zwgk.get_readers()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('zwgk.readers.', 'zwgk.table', 'lxml'))))\n"
        "print(list(readers))\n"
    )
    out = _printed(code)
    assert out == [repr(["zwgk.readers._hints", "zwgk.readers._sniff", "zwgk.readers.builtin"]), repr(readers)]


def test_a_lazily_registered_function_acts_as_the_function() -> None:
    from zwgk.readers.text import read_text, sniff_text

    text = {r.name: r for r in BUILTIN_READERS}["text"]
    assert text.sniff is not sniff_text and text.sniff(b"\tcell\n") is True and text.sniff(b"\x00") is False
    assert inspect.signature(text.read) == inspect.signature(read_text)
    assert zwgk.get_readers()["docx"].options() == ("limits",)  # the reader's options, read from its signature
    again = pickle.loads(pickle.dumps(text.read))
    assert again == text.read and hash(again) == hash(text.read) and again != text.sniff


def test_a_lazily_registered_function_that_cannot_be_imported_is_a_plugin_error(
        fresh: None, tmp_path: Path) -> None:
    missing = Reader("gone", (".gone",), plugins.lazy_function("zwgk_no_such_module_here", "read"),
                     description="a reader whose module is not installed")

    class Gone:
        @zwgk.hookimpl
        def register_readers(self, register: Callable[[Reader], None]) -> None:
            register(missing)

    plugins.register(Gone(), name="gone")
    path = tmp_path / "plan.gone"
    path.write_text("任务\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"cannot import read from zwgk_no_such_module_here: ModuleNotFoundError"):
        zwgk.load(path)
    with pytest.raises(PluginError, match=r"cannot import no_such_name from zwgk\.readers\.text: AttributeError"):
        plugins.lazy_function("zwgk.readers.text", "no_such_name")(b"")
    plugins.unregister("gone")
