"""The public surface: listing functions, sub-packages not shadowed, reader choice and options, import cost."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import zwgk
from zwgk import plugins
from zwgk.cli import main
from zwgk.errors import ParseError, PluginError, UnsupportedFormatError
from zwgk.readers import Grid, Reader

HEAVY = ("pandas", "lxml", "docx", "cattrs")


def test_import_zwgk_leaves_heavy_dependencies_unloaded() -> None:
    code = f"import sys, zwgk; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": ":".join(sys.path)})
    assert out.stdout.strip() == ""


def test_sub_packages_are_not_shadowed() -> None:
    import zwgk.exporters as e
    import zwgk.validators as v

    assert v.Finding is zwgk.Finding and v.Report is zwgk.Report
    assert e.Exporter.__name__ == "Exporter" and "ExportWarning" in e.__all__
    assert {"json", "markdown", "docx", "text"} <= set(zwgk.get_exporters())
    assert zwgk.get_exporter("md").name == "markdown"


def test_errors_and_change_kinds_are_public() -> None:
    for name in ("ZwgkError", "ParseError", "LayoutError", "UnitError", "ExportError", "PluginError",
                 "UnsupportedFormatError", "Position", "ChangeKind"):
        assert name in zwgk.__all__ and getattr(zwgk, name) is not None
    assert issubclass(zwgk.LayoutError, zwgk.ParseError) and issubclass(zwgk.PluginError, zwgk.ZwgkError)


def test_readers_list_only_what_reads(tmp_path: Path) -> None:
    readers = zwgk.get_readers()
    assert {"docx", "doc", "html", "text", "json"} <= set(readers)  # .doc: read natively
    path = tmp_path / "plan.wps"
    path.write_bytes(b"neither OLE nor text")
    with pytest.raises(UnsupportedFormatError, match="libreoffice --headless --convert-to docx"):
        zwgk.load(path)


def test_json_is_a_reader_like_any_other(tmp_path: Path) -> None:
    plan = zwgk.load_sample()
    path = tmp_path / "plan.bin"  # chosen by content, not suffix
    path.write_text(zwgk.dumps(plan), encoding="utf-8")
    assert zwgk.load(path) == zwgk.loads(zwgk.dumps(plan), source=str(path))
    assert zwgk.load(path, format="json").tasks == plan.tasks


def test_unknown_reader_option_is_named(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(zwgk.export(zwgk.load_sample(), "text") or b"")
    with pytest.raises(ParseError, match="reader 'text' has no option tabel; its options: table"):
        zwgk.load(path, tabel=2)
    assert len(zwgk.load(path, table=1).tasks) == 143


def _broken(path: str | Path) -> Iterator[Grid]:
    raise KeyError("column")
    yield  # pragma: no cover


class _BrokenPlugin:
    @zwgk.hookimpl
    def register_readers(self, register: Callable[[Reader], None]) -> None:
        register(Reader("broken", (".broken",), _broken))


@pytest.fixture
def broken_reader() -> Iterator[str]:
    name = plugins.register(_BrokenPlugin(), name="broken-reader")
    yield name
    plugins.unregister(name)


def test_a_plugin_reader_failing_is_a_plugin_error(broken_reader: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plan.broken"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(PluginError, match="reader 'broken' \\(plugin 'broken-reader'\\) failed: KeyError"):
        zwgk.load(path)
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "broken-reader" in err and "plan.broken" in err
