"""Exporter options parsed by their declared types; format names; validate and plugins options."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

import zwgk
from zwgk import plugins
from zwgk._api import get_exporter
from zwgk.cli import main
from zwgk.errors import ExportError
from zwgk.exporters import Exporter
from zwgk.model import Plan


def _write_typed(plan: Plan, stream: Any, *, count: int = 1, ratio: float = 0.5, flag: bool = False,
                 name: str = "x", maybe: int | None = None, label: str | None = None,
                 mode: Literal["a", "b"] = "a", plain=3) -> None:  # type: ignore[no-untyped-def]
    stream.write(json.dumps({"count": count, "ratio": ratio, "flag": flag, "name": name, "maybe": maybe,
                             "label": label, "mode": mode, "plain": plain}).encode())


TYPED = Exporter("typed", (".typed",), _write_typed)


@pytest.mark.parametrize("text, value", [
    ("count=12", 12), ("count=-3", -3), ("ratio=2", 2.0), ("ratio=10.5", 10.5),
    ("flag=yes", True), ("flag=No", False), ("flag=1", True), ("flag=off", False), ("flag=TRUE", True),
    ("name=123", "123"), ("name=None", "None"), ("name=", ""), ("name=a=b", "a=b"),
    ("maybe=None", None), ("maybe=none", None), ("maybe=7", 7),
    ("label=None", None), ("label=宋体", "宋体"), ("mode=b", "b"), ("plain=4", 4),
])
def test_option_text_is_parsed_by_the_declared_type(text: str, value: object) -> None:
    key, _, raw = text.partition("=")
    parsed = TYPED.parse_options({key: raw})
    assert parsed == {key: value} and type(parsed[key]) is type(value)


@pytest.mark.parametrize("text, message", [
    ("count=1.5", "takes an integer, not '1.5'"), ("count=abc", "an integer"), ("ratio=inf", "a number"),
    ("flag=maybe", "true or false"), ("maybe=x", "None or an integer"), ("mode=c", "one of 'a', 'b'"),
    ("plain=x", "an integer"), ("colour=red", "has no option colour"),
])
def test_option_text_that_does_not_fit_names_the_option(text: str, message: str) -> None:
    key, _, raw = text.partition("=")
    with pytest.raises(ExportError, match=message) as info:
        TYPED.parse_options({key: raw})
    assert repr(key) in str(info.value) or key in str(info.value)


def test_indent_none_writes_valid_json(capsysbinary: pytest.CaptureFixture[bytes], sample: Plan) -> None:
    assert main(["export", "--sample", "--to", "json", "--option", "indent=None"]) == 0
    out = capsysbinary.readouterr().out
    assert out.count(b"\n") == 1 and zwgk.loads(out) == sample


@pytest.mark.parametrize("value", ["no", "false", "0", "off"])
def test_summary_no_leaves_out_the_summary(value: str, tmp_path: Path) -> None:
    out = tmp_path / "o.md"
    assert main(["export", "--sample", "-o", str(out), "--option", f"summary={value}"]) == 0
    assert "## 汇总" not in out.read_text(encoding="utf-8")
    assert main(["export", "--sample", "-o", str(out), "--option", "summary=yes"]) == 0
    assert "## 汇总" in out.read_text(encoding="utf-8")


def test_a_font_that_looks_like_a_number_is_a_font(tmp_path: Path) -> None:
    out = tmp_path / "o.docx"
    assert main(["export", "--sample", "-o", str(out), "--option", "font=123"]) == 0
    with zipfile.ZipFile(out) as z:
        assert 'w:eastAsia="123"' in z.read("word/styles.xml").decode()


@pytest.mark.parametrize("name", ["md", ".md", "markdown", "MD", "Markdown", "txt", "text", ".json"])
def test_formats_by_name_or_suffix_with_or_without_the_dot(name: str, capsysbinary: pytest.CaptureFixture[bytes],
                                                             sample: Plan) -> None:
    assert main(["parse", "--sample", "-f", name]) == 0
    out = capsysbinary.readouterr().out
    assert out == zwgk.export(sample, get_exporter(name).name)
    assert main(["parse", "--sample", "--to", name]) == 0
    assert capsysbinary.readouterr().out == out


def _write_other(plan: Plan, stream: Any) -> None:
    stream.write(b"other markdown\n")


class _SecondMarkdown:
    @zwgk.hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        register(Exporter("md-other", (".md",), _write_other, "another Markdown"))


@pytest.fixture
def second_markdown() -> Iterator[None]:
    plugins.register(_SecondMarkdown(), name="other-md")
    yield
    plugins.unregister("other-md")


def test_two_exporters_of_one_suffix_warn_and_to_chooses(second_markdown: None, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.md"
    assert main(["export", "--sample", "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("zwgk: warning: exporters 'markdown'")
    assert "'md-other' (plugin 'other-md')" in err[0] and ".md" in err[0]
    assert out.read_text(encoding="utf-8").startswith("附件")
    assert main(["export", "--sample", "-o", str(out), "--to", "md-other"]) == 0
    assert capsys.readouterr().err == ""
    assert out.read_text(encoding="utf-8") == "other markdown\n"
    with pytest.warns(RuntimeWarning, match="md-other"):
        get_exporter(".md")


def test_load_plugins_naming_an_unknown_plugin_is_reported(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ZWGK_LOAD_PLUGINS", "nosuch")
    plugins.reset()
    try:
        assert main(["plugins"]) == 0
        err = capsys.readouterr().err.splitlines()
        assert err == [line for line in err if line.startswith("zwgk: warning: ")]
        assert any("ZWGK_LOAD_PLUGINS names 'nosuch'" in line for line in err)
        assert any("nosuch" in str(e) for e in plugins.plugin_errors())
    finally:
        monkeypatch.delenv("ZWGK_LOAD_PLUGINS")
        plugins.reset()


def test_plugins_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_name = {r["name"]: r for r in rows}
    docx = by_name["zwgk.exporters.docx"]
    assert docx["builtin"] is True and docx["hooks"] == ["register_exporters"]
    assert docx["version"] == zwgk.__version__
    (exporter,) = docx["adds"]["exporters"]
    assert exporter["name"] == "docx" and exporter["suffixes"] == [".docx"]
    assert {"name": "font_size", "type": "a number", "default": 10.5} in exporter["options"]
    assert by_name["zwgk.exporters.json"]["adds"]["exporters"][0]["options"] == [
        {"name": "indent", "type": "None or an integer", "default": 2}]
    codes = [v["code"] for v in by_name["zwgk.validators.roles"]["adds"]["validators"]]
    assert "ZW101" in codes
    assert [r["name"] for r in by_name["zwgk.readers.builtin"]["adds"]["readers"]] == [
        "docx", "json", "odt", "doc", "mht", "html", "pdf", "image", "text"]


# zwgk validate: what ruff users reach for

def test_validate_select_all_is_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample", "-f", "json", "--fail-on", "error", "--exit-zero"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert main(["validate", "--sample", "-f", "json", "--select", "ALL", "--exit-zero"]) == 0
    assert json.loads(capsys.readouterr().out) == every
    assert main(["validate", "--sample", "-f", "json", "--select", "ALL", "--ignore", "ZW1", "--exit-zero"]) == 0
    assert not any(f["code"].startswith("ZW1") for f in json.loads(capsys.readouterr().out)[0]["findings"])


def test_validate_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--sample", "--fail-on", "info"]) == 1
    assert main(["validate", "--sample", "--fail-on", "info", "--exit-zero"]) == 0
    capsys.readouterr()


def test_validate_statistics(capsys: pytest.CaptureFixture[str], sample: Plan) -> None:
    report = zwgk.validate(sample)
    assert main(["validate", "--sample", "--statistics", "--exit-zero"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(report.by_code)
    counted = {line.split()[1]: int(line.split()[0]) for line in lines}
    assert counted == report.by_code
    assert [int(line.split()[0]) for line in lines] == sorted(counted.values(), reverse=True)
    assert main(["validate", "--sample", "--sample", "--statistics", "--output-format", "json",
                 "--exit-zero"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["code"]: d["count"] for d in data} == report.by_code


def test_validate_output_file_and_output_format_alias(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main(["validate", "--sample", "--output-format", "json", "-o", str(out), "--exit-zero"]) == 0
    assert capsys.readouterr().out == ""
    (report,) = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema"] == "zwgk.report/1" and report["tasks"] == 143
    text = tmp_path / "report.txt"
    assert main(["validate", "--sample", "-o", str(text), "--exit-zero"]) == 0
    assert text.read_text(encoding="utf-8").splitlines()[-1].startswith("taian-2020-zwgk-tasks.txt: ")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_validate_reads_standard_input(fmt: str, sample_path: Path, sample: Plan, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = sample_path.read_bytes() if fmt == "text" else zwgk.export(sample, "json")
    assert data is not None
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["validate", "-", "-f", "json", "--exit-zero"]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["source"] == "-" and report["tasks"] == 143
    assert report["counts"] == zwgk.validate(sample).to_dict()["counts"]
    assert all(f.get("source", {}).get("file") in (None, "-") for f in report["findings"])


def test_validate_standard_input_errors_name_it(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\x00\x01\x02" * 50)))
    assert main(["validate", "-"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("zwgk: error: -: ") and "stdin" not in line
