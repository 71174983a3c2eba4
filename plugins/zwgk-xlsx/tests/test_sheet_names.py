"""What is said of a workbook names its sheets as their tabs do: each position of a sheet's cell
holds the sheet's name beside its number (``t.xlsx, sheet 2 「任务分解」, row 5, column 3``), in the
warnings and errors of the reader and of the core, in ``zwgk parse --explain`` and in a task's
source; a document of any other format still says ``table N``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import openpyxl
import pytest
from zwgk_xlsx import FormulaWarning

import zwgk
from tests.fixtures import kinds
from zwgk._api import read
from zwgk.errors import LayoutError, Position
from zwgk.exporters import Exporter

TITLE = "2021年某市政务公开工作任务分解表"


def _workbook(path: Path, *, header: list[str] | None = None, formula: bool = False) -> Path:
    wb = openpyxl.Workbook()
    contacts = wb.active
    contacts.title = "联系人"
    contacts.append(["姓名", "电话"])
    contacts.append(["张三", "123"])
    tasks = wb.create_sheet("任务分解")
    tasks.append([TITLE])
    tasks.append(header or ["序号", "具体任务", "牵头单位", "配合单位"])
    tasks.append(["1", "公开预算和决算", "市财政局", "各县（市、区）"])
    tasks.append(["2", "=CONCATENATE(\"公开\",\"审计\")" if formula else "公开审计结果", "市审计局", "等"])
    tasks.append(["3", "做好政策解读。", "市政府办公室", "市政府各部门"])
    wb.save(path)
    return path


def test_a_position_in_a_sheet_says_its_number_and_its_name() -> None:
    assert Position("t.xlsx", 2, 5, 3, sheet="任务分解").describe() == "t.xlsx, sheet 2 「任务分解」, row 5, column 3"
    assert Position("t.xlsx", sheet="任务分解").describe() == "t.xlsx, sheet 「任务分解」"
    assert Position("t.docx", 2, 5, 3).describe() == "t.docx, table 2, row 5, column 3"  # other formats: as before


def test_the_warnings_of_a_workbook_name_its_sheets(xlsx: Exporter, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    assert any(m.startswith(f"{path}, sheet 1 「联系人」: not a task table") for m in said), said
    # the row as the sheet numbers it, the title row above the header counted
    assert any(m.startswith(f"{path}, sheet 2 「任务分解」, row 4, column 4: ") and "「等」" in m for m in said), said
    assert not any(", table " in m for m in said), said
    assert plan.tasks[0].source == Position(str(path), 2, 3, 2, sheet="任务分解")
    assert plan.tasks[0].source.describe() == f"{path}, sheet 2 「任务分解」, row 3, column 2"


def test_a_sheet_that_is_no_task_table_is_named_in_the_error(xlsx: Exporter, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx")
    with pytest.raises(LayoutError) as e:
        zwgk.load(path, table=1)
    assert str(e.value).startswith(f"{path}, sheet 1 「联系人」: ")


def test_a_formula_is_said_in_its_sheet(xlsx: Exporter, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "f.xlsx", formula=True)
    with warnings.catch_warnings(), \
            pytest.warns(FormulaWarning, match=r"f.xlsx, sheet 2 「任务分解」, cell B4: a formula"):
        warnings.simplefilter("ignore", zwgk.ReadWarning)  # the sheets' other warnings: said above
        zwgk.load(path)


def test_explain_names_the_sheet(xlsx: Exporter, tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx")
    (seen,) = read(path).layouts
    assert seen.describe() == f"{path}, sheet 2 「任务分解」"
    assert seen.header_row == 2  # as the sheet numbers it, the title row above counted


def test_a_plan_read_from_a_sheet_keeps_the_sheet_in_its_json(xlsx: Exporter, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", zwgk.ReadWarning)
        plan = zwgk.load(_workbook(tmp_path / "t.xlsx"))
    out = tmp_path / "p.json"
    zwgk.export(plan, "json", out)
    assert json.loads(out.read_text(encoding="utf-8"))["tasks"][0]["source"]["sheet"] == "任务分解"
    assert zwgk.load(out).tasks[0].source == plan.tasks[0].source


def test_other_formats_keep_saying_table(tmp_path: Path) -> None:
    rows = [["序号", "具体任务", "牵头单位"], ["1", "公开预算和决算", "市财政局"]]
    plan = zwgk.load(kinds.write_table(tmp_path, "html", TITLE, rows))
    assert plan.tasks[0].source is not None and plan.tasks[0].source.sheet is None
    assert ", table 1, line 12, row 2, column 2" in plan.tasks[0].source.describe()
