"""Workbooks whose XML asks for billions of cells, thousands of sheets or gigabytes of shared text are
refused while their parts stream, before any grid is built."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from zwgk_xlsx import _survey

import zwgk
from zwgk.errors import ParseError

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/worksheets/sheet1.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="xl/workbook.xml"/></Relationships>')
ROWS = [["工作任务", "牵头单位", "责任单位"], ["任务一。", "市司法局", "各县"], ["任务二。", "市政府办公室", "各县"]]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(*, sheets: int = 1, extra_cells: str = "", merges: str = "", shared: list[str] | None = None,
             shared_refs: int = 0) -> bytes:
    """A minimal .xlsx: the task rows on sheet1.xml, which every one of ``sheets`` sheets names."""
    rows = "".join(f'<row r="{r}">' + "".join(_cell(f"{'ABC'[c]}{r}", v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(ROWS, start=1))
    rows += "".join(f'<row r="{10 + i}"><c r="A{10 + i}" t="s"><v>0</v></c></row>' for i in range(shared_refs))
    sheet = (f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{rows}{extra_cells}</sheetData>'
             + (f"<mergeCells>{merges}</mergeCells>" if merges else "") + "</worksheet>")
    book = (f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
            + "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId{i}"/>' for i in range(sheets))
            + "</sheets></workbook>")
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                      for i in range(sheets))
            + (f'<Relationship Id="rS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
            + "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared:
            zf.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{NS}">'
                        + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
    return buf.getvalue()


def _write(tmp_path: Path, data: bytes, name: str = "w.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_minimal_workbook_reads(tmp_path: Path) -> None:
    path = _write(tmp_path, workbook(sheets=3))
    assert [t.text for t in zwgk.load(path, table=2)] == ["任务一。", "任务二。"]
    # Every task sheet is read, one after the other, as every format reads its task tables.
    assert [t.text for t in zwgk.load(path)] == ["任务一。", "任务二。"] * 3


@pytest.mark.parametrize("name", ["tasks.docx", "tasks"])
def test_a_workbook_under_another_name_is_read_by_its_content(tmp_path: Path, name: str) -> None:
    assert [t.text for t in zwgk.load(_write(tmp_path, workbook(), name))] == ["任务一。", "任务二。"]


@pytest.mark.parametrize(("kw", "limit"), [
    ({"merges": '<mergeCell ref="A1:XFD1048576"/>'}, "MAX_COLUMNS"),  # a merge over the whole sheet
    ({"extra_cells": '<row r="1048576">' + _cell("A1048576", "x") + "</row>"}, "MAX_SHEET_CELLS"),
    ({"sheets": _survey.MAX_SHEETS + 1}, "MAX_SHEETS"),  # every sheet naming the one part
    ({"shared": ["长" * 100_000], "shared_refs": 700}, "MAX_TEXT_CHARS"),  # 70 million characters
])
def test_a_workbook_beyond_the_limits_is_refused_before_a_grid_is_built(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kw: dict[str, object], limit: str) -> None:
    from zwgk_xlsx import _read

    built: list[object] = []
    monkeypatch.setattr(_read, "_sheet_grid", lambda *a: built.append(a))
    with pytest.raises(ParseError, match=limit) as e:
        zwgk.load(_write(tmp_path, workbook(**kw)))  # type: ignore[arg-type]
    assert built == []  # refused while the parts streamed: no sheet became a grid
    assert "w.xlsx" in str(e.value)


def test_the_limits_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, workbook(extra_cells='<row r="9000">' + _cell("A9000", "") + "</row>"))
    monkeypatch.setattr(_survey, "MAX_SHEET_CELLS", 1_000)
    with pytest.raises(ParseError, match="9,000 rows"):
        zwgk.load(path)
    monkeypatch.setattr(_survey, "MAX_SHEET_CELLS", 100_000)
    assert len(zwgk.load(path)) == 2


@pytest.mark.parametrize("strip", ["cells", "rows", "both"])
def test_cells_and_rows_without_references_are_placed_as_openpyxl_places_them(tmp_path: Path, strip: str) -> None:
    """A cell without ``r`` is placed after the one before it in its row, and a row without ``r``
    after the row before, as openpyxl places them: the grid is the one normal-mode openpyxl builds."""
    import re

    from openpyxl import load_workbook
    from zwgk_xlsx import read_xlsx

    # the note in E5 has no reference either: only placing it as openpyxl does finds the fifth column
    data = workbook(extra_cells='<row r="5"><c/><c/><c/><c/><c t="inlineStr"><is><t>注</t></is></c></row>')
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    if strip in ("cells", "both"):
        sheet = re.sub(r'<c r="[A-C]\d+"', "<c", sheet)
    if strip in ("rows", "both"):
        sheet = re.sub(r'<row r="[23]"', "<row", sheet)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    path = _write(tmp_path, buf.getvalue())
    (grid,) = read_xlsx(path).tables
    got = [[(c.text, c.column) for c in row] for row in grid.rows]
    ws = load_workbook(path).worksheets[0]  # normal mode: every cell of the extent built
    expected = [[("" if c.value is None else str(c.value), c.column - 1) for c in row] for row in ws.iter_rows()]
    assert got == expected
    assert got[0][:3] == [(h, i) for i, h in enumerate(ROWS[0])] and got[4][4] == ("注", 4)
