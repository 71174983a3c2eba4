"""Units on the bundled 2020 Tai'an sample, and the ``zwgk units`` command."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

import zwgk
from zwgk.cli import main
from zwgk.model import Plan, Role, UnitKind
from zwgk.units import default_registry, load_registry, summarize_units, written_name


@pytest.fixture(scope="module")
def plan() -> Plan:
    return zwgk.load_sample()


def test_units_spellings_are_names_not_layout(plan: Plan) -> None:
    spellings = {u.name: u.aliases for u in summarize_units(plan, default_registry())}
    assert spellings["市生态环境局"] == ("生态环境局",)
    assert spellings["市文化和旅游局"] == ()  # 市文化和旅游局等 is the same name with a closing 等
    assert spellings["市自然资源和规划局"] == ()  # a line break inside the name is layout
    for aliases in spellings.values():
        assert all(not a.endswith("等") and a == "".join(a.split()) for a in aliases)


@pytest.mark.parametrize(
    ("as_written", "name"),
    [
        ("市科技局等", "市科技局"),
        ("市自然资源和\n规划局", "市自然资源和规划局"),
        ("市财政局牵头", "市财政局"),
        ("牵头单位：市财政局", "市财政局"),
        ("市财政局（牵头）", "市财政局"),
        ("等相关部门（单位）", "相关部门（单位）"),
        ("市高等职业学校", "市高等职业学校"),
        ("等", ""),
    ],
)
def test_written_name_takes_off_layout_role_words_and_closing_deng(as_written: str, name: str) -> None:
    assert written_name(as_written, zwgk.unit_registry()) == name


def test_each_canonical_unit_once(plan: Plan) -> None:
    names = [u.name for u in plan.units()]
    assert len(names) == len(set(names))
    assert "市文化和旅游局" in names and "市文化和旅游局等" not in names
    assert "生态环境局" not in names and "市生态环境局" in names


def test_no_name_carries_separators_breaks_spaces_or_deng(plan: Plan) -> None:
    for a in plan.assignments():
        name = a.unit.name
        outside_brackets = re.sub(r"（[^（）]*）", "", name)
        assert "、" not in outside_brackets and "\n" not in name and "\r" not in name
        assert name == name.strip() and not name.endswith("等")


def test_collective_counts_are_tasks_not_cells(plan: Plan) -> None:
    counties = "各县（市、区）"
    assert len(plan.tasks_for(counties, Role.LEAD)) == 38
    assert len(plan.tasks_for(counties, Role.RESPONSIBLE)) == 97
    assert len(plan.tasks_for("市政府各部门（单位）", Role.LEAD)) == 55
    kinds = {u.name: u.kind for u in plan.units()}
    assert kinds[counties] is UnitKind.COLLECTIVE
    assert kinds["市政府各部门（单位）"] is UnitKind.COLLECTIVE


def test_every_unit_of_the_sample_resolves(plan: Plan) -> None:
    refs = [a.unit for a in plan.assignments()]
    assert all(r.resolved for r in refs)
    noted = {r.as_written: r.note for r in refs if r.note}
    assert set(noted) == {"生态环境局", "等相关部门（单位）"}


def test_the_two_nursing_colleges_stay_as_written(plan: Plan) -> None:
    names = {u.name for u in plan.units()}
    assert {"泰安护理职业学院", "泰山护理职业学院"} <= names


def test_open_lists_and_the_collective_named_by_deng(plan: Plan) -> None:
    opened = [t for t in plan.tasks if t.open_roles]
    assert len(opened) == 5
    (task,) = [t for t in plan.tasks if any(r.as_written == "等相关部门（单位）" for r in t.units())]
    assert [r.name for r in task.leads] == ["各县（市、区）", "市行政审批服务局", "市政府各相关部门（单位）"]
    assert Role.LEAD in task.open_roles


def test_line_breaks_in_the_sample(plan: Plan) -> None:
    written = {a.unit.as_written: a.unit.name for a in plan.assignments()}
    assert written["市自然资源和\n规划局"] == "市自然资源和规划局"
    cells = [t for t in plan.tasks if [r.name for r in t.leads] == ["市行政审批服务局", "市公共资源交易中心"]]
    assert cells


def test_json_round_trip_keeps_notes(plan: Plan) -> None:
    assert zwgk.loads(zwgk.dumps(plan)) == plan


def test_reading_with_only_the_default_registry_learns_the_same_units(plan: Plan) -> None:
    from zwgk.units import default_registry

    reg = default_registry()
    bare = zwgk.load_sample(registry=reg)
    assert [u.name for u in bare.units()] == [u.name for u in plan.units()]
    assert {u.name for u in bare.units()} - {u.name for u in reg.units(UnitKind.COLLECTIVE)} == set(reg.learned)


def _run(args: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> str:
    assert main(args) == 0
    return capsysbinary.readouterr().out.decode("utf-8")


def test_cli_units_text(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    out = _run(["units", "--sample"], capsysbinary)
    lines = out.splitlines()
    assert lines[0].split() == ["unit", "kind", "lead", "responsible", "cooperating", "aliases"]
    row = next(line for line in lines if line.startswith("各县（市、区）"))
    assert row.split()[1:4] == ["collective", "38", "97"]
    assert len(lines) == 1 + len(zwgk.load_sample().units())


def test_cli_units_json_and_csv(capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    data = json.loads(_run(["units", "--sample", "--format", "json"], capsysbinary))
    by_name = {d["name"]: d for d in data}
    assert by_name["市政府各部门（单位）"]["lead"] == 55
    assert by_name["市生态环境局"]["aliases"] == ["生态环境局"]
    assert by_name["市文化和旅游局"]["aliases"] == []  # 市文化和旅游局等 is no spelling of it
    assert by_name["市自然资源和规划局"]["aliases"] == []  # nor is a line break
    out = tmp_path / "units.csv"
    assert main(["units", "--sample", "-f", "csv", "--sort", "lead", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["unit"] == "市政府各部门（单位）" and rows[1]["unit"] == "各县（市、区）"
    assert [int(r["lead"]) for r in rows] == sorted((int(r["lead"]) for r in rows), reverse=True)


def test_cli_units_toml_bootstraps_a_registry(capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_bytes(_run(["units", "--sample", "-f", "toml"], capsysbinary).encode("utf-8"))
    reg = load_registry(path)
    assert len(reg) == len(zwgk.load_sample().units())
    assert _run(["units", "--sample", "--registry", str(path), "-f", "csv"], capsysbinary).count("\n") == len(reg) + 1


def test_cli_units_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["units"]) == 2
    assert "give a FILE or --sample" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[[units]]\nname = 1\n", encoding="utf-8")
    assert main(["units", "--sample", "--registry", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("zwgk: error: ") and str(bad) in err
