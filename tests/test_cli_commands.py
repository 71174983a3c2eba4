"""Each command one module registering a Command; standard input and folders wherever files are taken."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import attrs
import pytest

import zwgk
from zwgk.cli import BUILTIN_COMMANDS, Command, build_parser, main
from zwgk.model import Plan


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_every_builtin_command_is_a_module_registering_a_command() -> None:
    names: list[str] = []
    for module in BUILTIN_COMMANDS:
        found: list[Command] = []
        module.register_commands(register=found.append)
        assert [type(c) for c in found] == [Command], module.__name__
        assert module.__name__ == f"zwgk.cli.{found[0].name}" or found[0].name == "plugins"
        names.append(found[0].name)
    assert len(set(names)) == len(names)
    assert set(names) <= set(build_parser().parse_args([]).commands)


def test_the_input_options_are_shared(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(sample_path), "--layout", "table", "--region", "泰安市", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["tasks"] == 143


def test_parse_explain_reads_standard_input(monkeypatch: pytest.MonkeyPatch, sample_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, sample_path.read_bytes())
    assert main(["parse", "--explain", "-"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)["tasks"]) == 143
    assert "zwgk: layout: -, table 1: header row 1" in err and "stdin" not in err


def test_a_plan_read_from_standard_input_names_it(monkeypatch: pytest.MonkeyPatch, sample_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, sample_path.read_bytes())
    assert main(["parse", "-"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["source"] == "-" and {t["source"]["file"] for t in plan["tasks"]} == {"-"}  # not a temporary file


def test_an_unreadable_standard_input_is_named_as_such(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, b"\x00\x01 not a table")
    assert main(["parse", "--explain", "-"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zwgk: error: -") and "stdin" not in err


def test_diff_reads_standard_input_once(monkeypatch: pytest.MonkeyPatch, sample_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, sample_path.read_bytes())
    assert main(["diff", "-", str(sample_path)]) == 0
    assert "changed 0" in capsys.readouterr().out
    assert main(["diff", "-", "-"]) == 2
    assert "read only once" in capsys.readouterr().err


def _years(tmp_path: Path, sample: Plan) -> tuple[Path, Path]:
    old, new = tmp_path / "2020", tmp_path / "2021"
    (old / "city").mkdir(parents=True)
    (new / "city").mkdir(parents=True)
    zwgk.export(sample, "text", old / "city" / "plan.txt")
    first = sample.tasks[0]
    changed = attrs.evolve(sample, tasks=(attrs.evolve(first, text=first.text + "（每季度）"), *sample.tasks[1:]))
    zwgk.export(changed, "text", new / "city" / "plan.txt")
    zwgk.export(sample, "json", old / "gone.json")
    zwgk.export(sample, "json", new / "added.json")
    return old, new


def test_diff_of_two_folders_pairs_files_by_path(tmp_path: Path, sample: Plan,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _years(tmp_path, sample)
    assert main(["diff", str(old), str(new), "-f", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(Path(p["old"]).name, Path(p["new"]).name) for p in data["pairs"]] == [("plan.txt", "plan.txt")]
    assert data["pairs"][0]["counts"]["changed"] == 1
    assert [Path(f).name for f in data["only_old"]] == ["gone.json"]
    assert [Path(f).name for f in data["only_new"]] == ["added.json"]
    assert main(["diff", str(old), str(new)]) == 1
    text = capsys.readouterr().out
    assert f"== {old / 'city' / 'plan.txt'} → {new / 'city' / 'plan.txt'}" in text
    assert f"only in {old}: {old / 'gone.json'}" in text
    assert main(["diff", str(old), str(new / "city" / "plan.txt")]) == 2
    assert "not a table and a folder" in capsys.readouterr().err
    assert main(["diff", str(old), str(new), "-o", str(tmp_path / "d.html")]) == 2
    assert "give two files" in capsys.readouterr().err


def test_export_of_a_folder_writes_each_file_at_its_path(tmp_path: Path, sample: Plan,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    old, _ = _years(tmp_path, sample)
    (old / "broken.txt").write_bytes(b"\xff\xfe not text at all \x00")
    out = tmp_path / "out"
    assert main(["export", str(old), "--to", "markdown", "-o", str(out)]) == 2  # broken.txt is reported
    assert "broken.txt" in capsys.readouterr().err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == ["city/plan.md", "gone.md"]
    assert (out / "gone.md").read_bytes() == zwgk.export(sample, "markdown")
    assert main(["export", str(old), "--to", "text"]) == 2
    assert "give --to FORMAT and -o DIR" in capsys.readouterr().err
    assert main(["export", str(old), "--to", "text", "-o", str(old)]) == 2
    assert "would overwrite" in capsys.readouterr().err
