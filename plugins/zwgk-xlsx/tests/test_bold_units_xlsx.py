"""A workbook whose sheet says its bold units lead (责任单位（加粗的为牵头单位）) reads as the other table
forms do (tests/test_bold_units.py): a unit set bold by a rich text run, or a cell set bold by its
style's font, takes the role; shared and inline strings alike."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

import zwgk

TITLE = "2023年某某市政务公开工作要点任务分解表"
HEADING = "责任单位（加粗的为牵头单位）"
LED = [(["市财政局"], ["市审计局"]), (["市司法局"], ["市政府办公室"]), (["市统计局"], []), ([], ["市行政审批服务局"])]


def _workbook(path: Path, heading: str = HEADING) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(["序号", "工作任务", heading])
    bold, plain = InlineFont(b=True), InlineFont()
    ws.append(["1", "推进财政预算公开。", CellRichText([TextBlock(bold, "市财政局"), TextBlock(plain, "、市审计局")])])
    ws.append(["2", "做好政策解读。", CellRichText([TextBlock(plain, "市政府办公室、"), TextBlock(bold, "市司法局")])])
    ws.append(["3", "公开统计数据。", "市统计局"])
    ws["C5"].font = Font(bold=True)  # the whole cell set bold by its style
    ws.append(["4", "推进一网通办。", "市行政审批服务局"])
    for cell in ws[2]:
        cell.font = Font(bold=True)  # a bold header row says nothing of units
    wb.save(path)
    return path


def _shared(path: Path) -> Path:
    """The workbook with its rich inline strings moved into the shared string table, as Excel
    stores them."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_cells import shared

    path.write_bytes(shared(path.read_bytes()))
    return path


def _load(path: Path) -> tuple[zwgk.Plan, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(path)
    return plan, [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]


def _who(plan: zwgk.Plan) -> list[tuple[list[str], list[str]]]:
    return [([u.name for u in t.leads], [u.name for u in t.responsible]) for t in plan.tasks]


@pytest.mark.parametrize("storage", ["inline", "shared"])
def test_bold_runs_and_bold_cells_lead_where_the_heading_says_so(tmp_path: Path, storage: str) -> None:
    path = _workbook(tmp_path / "t.xlsx")
    if storage == "shared":
        path = _shared(path)
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
            assert b"<b" in zf.read("xl/sharedStrings.xml")  # the runs are shared strings now
    plan, said = _load(path)
    assert (_who(plan), said) == (LED, [])
    assert "marked bold" in (plan.tasks[0].leads[0].note or "")


def test_bold_says_nothing_where_the_sheet_says_nothing_of_it(tmp_path: Path) -> None:
    plan, said = _load(_workbook(tmp_path / "t.xlsx", "责任单位"))
    assert [sorted(lead + resp) for lead, resp in LED] == [sorted(u.name for u in t.responsible) for t in plan.tasks]
    assert not any(t.leads for t in plan.tasks) and said == []
