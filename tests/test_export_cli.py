"""``zwgk export`` and ``zwgk plugins``, and the export API they stand on."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import attrs
import pytest

import zwgk
from zwgk.cli import main
from zwgk.errors import ExportError
from zwgk.model import Plan


def test_export_infers_the_format_from_the_output_suffix(tmp_path: Path, sample: Plan) -> None:
    out = tmp_path / "out.docx"
    assert main(["export", "--sample", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        assert "word/document.xml" in z.namelist()
    md = tmp_path / "out.md"
    assert main(["export", "--sample", "-o", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("附件\n\n# " + (sample.title or ""))


def test_export_a_file_with_to(tmp_path: Path, sample: Plan) -> None:
    src = tmp_path / "plan.json"
    zwgk.export(sample, "json", src)
    out = tmp_path / "out.bin"
    assert main(["export", str(src), "--to", "docx", "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    txt = tmp_path / "x.txt"
    assert main(["export", str(src), "--to", "text", "-o", str(txt)]) == 0
    assert zwgk.load(txt) == sample


def test_export_to_stdout(capsys: pytest.CaptureFixture[bytes], sample: Plan) -> None:
    assert main(["export", "--sample", "--to", "json"]) == 0
    assert zwgk.loads(capsys.readouterr().out) == sample


def test_export_options(tmp_path: Path) -> None:
    out = tmp_path / "o.md"
    assert main(["export", "--sample", "-o", str(out), "--option", "summary=false"]) == 0
    assert "## 汇总" not in out.read_text(encoding="utf-8")
    assert main(["export", "--sample", "-o", str(tmp_path / "o.docx"), "--option", "font_size=12"]) == 0
    with zipfile.ZipFile(tmp_path / "o.docx") as z:
        assert '<w:sz w:val="24"/>' in z.read("word/styles.xml").decode()


@pytest.mark.parametrize("argv, message", [
    (["export", "--sample", "-o", "x.unknown"], "no exporter writes"),
    (["export", "--sample"], "give --to FORMAT"),
    (["export", "--sample", "--to", "pdfx", "-o", "x.pdfx"], "no exporter named 'pdfx'"),
    (["export", "--sample", "--to", "markdown", "--option", "oops"], "KEY=VALUE"),
    (["export", "--sample", "--to", "markdown", "--option", "colour=red", "-o", "x.md"], "colour"),
    (["export", "no-such-file.txt", "--to", "json"], "no such file"),
])
def test_export_errors_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str],
                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("zwgk: error: ") and message in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_export_refuses_characters_the_format_cannot_hold(tmp_path: Path, sample: Plan,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = attrs.evolve(sample.tasks[0], text="坏\x01字符。")
    src = tmp_path / "bad.json"
    zwgk.export(attrs.evolve(sample, tasks=(bad,)), "json", src)
    assert main(["export", str(src), "-o", str(tmp_path / "bad.docx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zwgk: error: ") and err.count("\n") == 1
    assert f"task {bad.id}, 具体任务: holds U+0001" in err and "replace_invalid=True" in err
    assert not (tmp_path / "bad.docx").exists()


def test_export_reports_replaced_characters(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    bad = attrs.evolve(sample.tasks[0], text="坏\x01字符。")
    src = tmp_path / "bad.json"
    zwgk.export(attrs.evolve(sample, tasks=(bad,)), "json", src)
    assert main(["export", str(src), "-o", str(tmp_path / "bad.docx"), "--option", "replace_invalid=true"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("zwgk: warning: 1 character(s) that DOCX cannot hold") and bad.id in err


def test_plugins_lists_what_is_loaded_and_from_where(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "zwgk.exporters.docx  [built-in]  exporter docx" in out
    assert any(line.startswith("zwgk.readers.builtin  [built-in]  reader docx, reader json") and "reader text" in line
               for line in out)
    assert any(line.startswith("zwgk.validators.roles  [built-in]  validator ZW101") for line in out)


def test_export_api_targets(tmp_path: Path, sample: Plan) -> None:
    as_bytes = zwgk.export(sample, "markdown")
    stream = io.BytesIO()
    assert zwgk.export(sample, "markdown", stream) is None
    path = tmp_path / "m.md"
    assert zwgk.export(sample, ".md", path) is None
    assert as_bytes == stream.getvalue() == path.read_bytes()


def test_failed_export_leaves_no_file(tmp_path: Path, sample: Plan) -> None:
    deep = attrs.evolve(sample.tasks[0], path=tuple(str(i) for i in range(9)))
    target = tmp_path / "deep.docx"
    with pytest.raises(ExportError):
        zwgk.export(attrs.evolve(sample, tasks=(deep,)), "docx", target)
    assert not list(tmp_path.iterdir())


def test_unknown_exporter_lists_the_available_ones(sample: Plan) -> None:
    with pytest.raises(ExportError, match="available: csv, docx, html, json, markdown, text"):
        zwgk.export(sample, "pdfx")


def test_json_on_stdout_is_utf8(capsys: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--sample", "--to", "json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["schema"] == "zwgk.plan/1"
