"""A workbook's sheet marking the units of one role (注：带*号的为牵头单位 in a row above its header)
reads as the other table forms do (tests/test_marked_units.py)."""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

import zwgk
from zwgk.exporters import Exporter

TITLE = "2023年某某市政务公开工作要点任务分解表"
ROWS = [["1", "推进重大行政决策事项目录管理。", "★市政府办公室、市司法局"],
        ["2", "做好政策解读工作。", "市发展改革委、市教育局★"],
        ["3", "推进卫生健康领域信息公开。", "市卫生健康委"]]
LED = [(["市政府办公室"], ["市司法局"]), (["市教育局"], ["市发展改革委"]), ([], ["市卫生健康委"])]


def _sheet(path: Path, note: str | None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append([TITLE])
    if note is not None:
        ws.append([note])
    ws.append(["序号", "工作任务", "责任单位"])
    for row in ROWS:
        ws.append(row)
    wb.save(path)
    return path


def _who(plan: zwgk.Plan) -> list[tuple[list[str], list[str]]]:
    return [([u.name for u in t.leads], [u.name for u in t.responsible]) for t in plan.tasks]


def test_a_note_above_the_header_says_the_marked_units_lead(xlsx: Exporter, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)
        plan = zwgk.load(_sheet(tmp_path / "t.xlsx", "注：带★号的为牵头单位。"))
    assert _who(plan) == LED
    assert plan.tasks[0].leads[0].as_written == "★市政府办公室"


def test_a_mark_nothing_explains_is_warned_of_in_its_sheet(xlsx: Exporter, tmp_path: Path) -> None:
    path = _sheet(tmp_path / "t.xlsx", None)
    with pytest.warns(zwgk.ReadWarning, match=r"sheet 1 「任务分解」, row 3, column 3: 2 cell\(s\) of column 3"):
        plan = zwgk.load(path)
    assert _who(plan) == LED
