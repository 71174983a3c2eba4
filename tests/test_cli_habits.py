"""Command-line habits: - for standard input, folders read recursively, zwgk formats, CSV, suffixes."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zwgk
from zwgk import plugins
from zwgk.cli import main
from zwgk.exporters import Exporter
from zwgk.model import Plan, Role


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_parse_reads_standard_input(monkeypatch: pytest.MonkeyPatch, sample_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, sample_path.read_bytes())
    assert main(["parse", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["tasks"]) == 143


def test_folders_are_read_recursively(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    zwgk.export(sample, "json", tmp_path / "a" / "one.json")
    zwgk.export(sample, "text", tmp_path / "a" / "b" / "two.txt")
    (tmp_path / "a" / "b" / "picture.gif").write_bytes(b"GIF89a")  # no reader takes it: left out
    assert main(["stats", str(tmp_path), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [Path(d["file"]).name for d in data] == ["one.json", "two.txt"]  # a folder's files, then its folders
    assert main(["validate", str(tmp_path), "-f", "json", "--exit-zero"]) == 0
    capsys.readouterr()
    (tmp_path / "empty").mkdir()
    assert main(["stats", str(tmp_path / "empty")]) == 2
    assert "no readable file in this folder" in capsys.readouterr().err


def test_formats_lists_readers_and_exporters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["formats", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in data["read"]} >= set(zwgk.get_readers())
    assert {e["name"] for e in data["write"]} == set(zwgk.get_exporters())
    assert main(["formats"]) == 0
    assert ".docx" in capsys.readouterr().out


def test_parse_csv_has_one_row_per_task_with_every_field(sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--sample", "-f", "csv"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(sample.tasks)
    for row, t in zip(rows, sample.tasks, strict=True):
        assert row["id"] == t.id and row["text"] == t.text and row["level1"] == t.path[0]
        for role in Role:
            assert row[role.value] == "、".join(u.name for u in t.units(role))
            assert row[f"{role.value}_as_written"] == "、".join(u.as_written for u in t.units(role))
        assert row["row"] == str(t.source.row if t.source else "")


class _Workload:
    @zwgk.hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        def write(plan: Plan, stream: Any) -> None:
            stream.write(b"unit,tasks\n")

        register(Exporter("workload-test", (".workload.csv",), write, "units and their tasks"))


def test_suffixes_with_two_dots_and_unknown_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugins.register(_Workload(), name="workload-test")
    try:
        assert main(["export", "--sample", "-o", str(tmp_path / "t.workload.csv")]) == 0
        assert (tmp_path / "t.workload.csv").read_bytes() == b"unit,tasks\n"
        assert main(["export", "--sample", "-o", str(tmp_path / "t.csv")]) == 0
        assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
        assert main(["export", "--sample", "-o", str(tmp_path / "t.foo.bar")]) == 2
        err = capsys.readouterr().err
        assert "(.foo.bar)" in err and ".workload.csv" in err and ".docx" in err
    finally:
        plugins.unregister("workload-test")


def test_quiet_silences_warnings(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli._common import warn

    warn("shown")
    assert "zwgk: warning: shown" in capsys.readouterr().err
    assert main(["-q", "parse", "--sample", "-o", str(tmp_path / "p.json")]) == 0
    warn("hidden")
    assert capsys.readouterr().err == ""
    assert main(["parse", "--sample", "-o", str(tmp_path / "p.json")]) == 0  # back to speaking


def test_completion_scripts_name_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert main(["completion", shell]) == 0
        out = capsys.readouterr().out
        for command in ("parse", "diff", "export", "validate", "stats", "units", "formats", "completion"):
            assert command in out
        assert "--format" in out or "-l format" in out
    assert main(["completion", "tcsh"]) == 2


def test_batch_dry_run_and_limit(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")
    (tmp_path / "in").mkdir()
    for name in ("a.json", "b.json", "c.json"):
        zwgk.export(sample, "json", tmp_path / "in" / name)
    out = tmp_path / "out"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--dry-run", "--limit", "2"]) == 0
    captured = capsys.readouterr()
    assert [Path(line).name for line in captured.out.splitlines()] == ["a.json", "b.json"]
    assert "2 files would be read" in captured.err and not out.exists()
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--limit", "0"]) == 2
