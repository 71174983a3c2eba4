"""``zwgk stats`` and the new ``zwgk diff`` options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import attrs
import pytest

import zwgk
from zwgk._width import display_width
from zwgk.cli import main
from zwgk.model import Plan


def test_stats_text_is_aligned_by_display_width(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--sample", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "143 tasks, 47 units" in out
    lines = out.splitlines()
    header = lines.index("Top units by role (tasks, not cells)") + 1
    block = lines[header: lines.index("", header)]
    ends = {display_width(line) for line in block[1:]}
    assert len(ends) == 1  # right-aligned share column: every row ends at the same display column
    assert any("各县（市、区）" in line and "135" in line for line in block)
    assert "ZW101" in out and "missing-lead" in out


def test_stats_json_and_csv(sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--sample", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["top"]["total"][0] == {"unit": "各县（市、区）", "tasks": 135, "share": round(135 / 143, 4)}
    assert data["top"]["lead"][0]["unit"] == "市政府各部门（单位）"
    assert sum(c["tasks"] for c in data["categories"]) == 143
    assert {f["code"]: f["count"] for f in data["findings"]} == zwgk.validate(sample).by_code
    assert main(["stats", "--sample", "-f", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["section"] for r in rows} == {"unit", "category", "finding"}


def test_stats_of_several_files(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    zwgk.export(sample, "json", a)
    zwgk.export(attrs.evolve(sample, tasks=sample.tasks[:10]), "json", b)
    assert main(["stats", str(a), str(b), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["tasks"] for d in data] == [143, 10]
    assert main(["stats"]) == 2
    assert "give one or more FILEs or --sample" in capsys.readouterr().err


def test_stats_names_an_untitled_file_once(tmp_path: Path, sample: Plan, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "untitled.json"
    zwgk.export(attrs.evolve(sample, title=None), "json", path)
    assert main(["stats", str(path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.count("untitled.json") == 1 and first.endswith("143 tasks, 47 units")


def test_diff_exit_codes_sample_and_reworded_texts(tmp_path: Path, sample: Plan,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    same, other = tmp_path / "same.json", tmp_path / "other.json"
    zwgk.export(sample, "json", same)
    reg = zwgk.unit_registry()
    tasks = list(sample.tasks)
    tasks[20] = attrs.evolve(tasks[20], text=tasks[20].text.replace("公开", "主动公开", 1))
    tasks[5] = attrs.evolve(tasks[5], leads=(reg.ref("市档案馆"),))
    zwgk.export(attrs.evolve(sample, tasks=tuple(tasks)), "json", other)
    assert main(["diff", "--sample", str(same)]) == 0
    capsys.readouterr()
    assert main(["diff", "--sample", str(other)]) == 1
    out = capsys.readouterr().out
    assert f"    old: {sample.tasks[20].text}" in out and f"    new: {tasks[20].text}" in out
    assert "units gained: 市档案馆" in out
    assert main(["diff", "--sample", str(other), "--exit-zero", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["differ"] is True and data["units"]["gained"] == ["市档案馆"]
    assert main(["diff", str(same)]) == 2
    assert "give two tables" in capsys.readouterr().err
