"""Every failure of the ``zwgk`` command is one line on stderr and exit status 2."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import zwgk
from zwgk import plugins
from zwgk.cli import main
from zwgk.exporters import Exporter
from zwgk.model import Plan

BAD: list[tuple[list[str], str]] = [
    ([], "give a command"),
    (["nope"], "invalid choice"),
    (["parse", "--bogus"], "unrecognized arguments"),
    (["parse"], "give a FILE or --sample"),
    (["parse", "--sample", "{tmp}/x.txt"], "not both"),
    (["parse", "--sample", "-o", "{tmp}"], "cannot write"),
    (["parse", "--sample", "-o", "{tmp}/missing/dir/x.json"], "cannot write"),
    (["parse", "--sample", "-f", "nope"], "no exporter named 'nope'"),
    (["parse", "{tmp}"], "cannot read file"),
    (["parse", "{tmp}/missing.txt"], "no such file"),
    (["units", "--sample", "-o", "{tmp}/missing/x.csv"], "cannot write"),
    (["units", "--sample", "--registry", "{tmp}/missing.toml"], "no such registry file"),
    (["units"], "give a FILE or --sample"),
    (["export", "--sample", "-o", "{tmp}/missing/x.json"], "cannot write"),
    (["export", "--sample", "-o", "{tmp}"], "no exporter writes"),
    (["export", "--sample", "--to", "json", "-o", "{tmp}"], "cannot write"),
    (["export", "--sample", "--to", "json", "--option", "indent=abc"], "option 'indent'"),
    (["export", "--sample", "--to", "markdown", "--option", "summary=maybe"], "option 'summary'"),
    (["export", "--sample", "--to", "docx", "--option", "font_size=abc", "-o", "{tmp}/x.docx"], "option 'font_size'"),
    (["export", "--sample", "--to", "docx", "--option", "font_size=nan", "-o", "{tmp}/x.docx"], "option 'font_size'"),
    (["export", "--sample", "--to", "json", "--option", "indent=1", "--option", "indent=2"], "given twice"),
    (["export", "--sample", "--to", "json", "--option", "colour=red"], "no option colour"),
    (["diff", "{tmp}/a.txt", "{tmp}/b.txt", "--threshold", "1.5"], "between 0 and 1"),
    (["diff", "{tmp}/a.txt", "{tmp}/b.txt", "--threshold", "nan"], "between 0 and 1"),
    (["diff", "{tmp}/a.txt", "{tmp}/b.txt", "--threshold", "x"], "not a number"),
    (["diff", "{tmp}/a.txt", "{tmp}/b.txt"], "no such file"),
    (["validate"], "give one or more FILEs"),
    (["validate", "--sample", "--select", "ZW999"], "no validator is called"),
    (["validate", "--sample", "-o", "{tmp}/missing/r.txt"], "cannot write"),
    (["validate", "--sample", "--statistics", "-f", "github"], "--statistics"),
    (["validate", "-", "-"], "only once"),
    (["validate", "--sample", "--fail-on", "sometimes"], "invalid choice"),
    (["plugins", "--format", "yaml"], "invalid choice"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a) or "(none)" for a, _ in BAD])
def test_each_failure_is_one_line_with_exit_2(argv: list[str], message: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(args) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("zwgk: error: ") and message in lines[0]
    assert "Traceback" not in captured.err


def _boom(plan: Plan, stream: Any, *, level: int = 1) -> None:
    raise RuntimeError("the printer is on fire")


class _Boom:
    @zwgk.hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(Exporter("boom", (".boom",), _boom, "always fails"))


@pytest.fixture
def boom() -> Iterator[None]:
    plugins.register(_Boom(), name="zwgk-boom")
    yield
    plugins.unregister("zwgk-boom")


def test_an_exporter_that_raises_is_one_line_naming_the_plugin(boom: None, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--sample", "-o", str(tmp_path / "x.boom")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == ["zwgk: error: exporter 'boom' (plugin 'zwgk-boom') failed: "
                                "RuntimeError: the printer is on fire"]
    assert not list(tmp_path.iterdir())
    assert main(["parse", "--sample", "-f", "boom"]) == 2
    assert "plugin 'zwgk-boom'" in capsys.readouterr().err


class _Tty(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", [["parse", "--sample", "-f"], ["export", "--sample", "--to"]])
def test_binary_output_is_refused_on_a_terminal(command: list[str], monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", _Tty(raw, encoding="utf-8"))
    assert main([*command, "docx"]) == 2
    assert raw.getvalue() == b""
    err = capsys.readouterr().err
    assert err.startswith("zwgk: error: docx is a binary format") and "-o PATH" in err and err.count("\n") == 1
    assert main([*command, "json"]) == 0  # text still goes to the terminal
    sys.stdout.flush()
    assert json.loads(raw.getvalue())["schema"] == "zwgk.plan/1"


def test_binary_output_goes_to_a_pipe(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["parse", "--sample", "-f", "docx"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"PK\x03\x04")
