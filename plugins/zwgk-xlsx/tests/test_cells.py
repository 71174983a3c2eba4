"""Every kind of cell the reader reads from the XML itself, against what openpyxl reads from the same file.

The workbooks are written with openpyxl (which stores text as inline strings) and, for each, the
same workbook with every string moved to a shared string table, as Excel, WPS and LibreOffice
store text. Each sheet's extent, merged ranges and every cell's text must be what openpyxl's normal
mode gives, values written as the reader writes them (a whole float without ``.0``, a date at
midnight as the date alone, booleans as ``TRUE``/``FALSE``).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from zwgk_xlsx import FormulaWarning, _survey, read_xlsx

from zwgk.errors import ParseError, Position, ReadWarning
from zwgk.readers.package import DEFAULT_LIMITS, open_package

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"

try:
    from tests.strategies import examples
except ImportError:  # run from the plugin's folder
    def examples(n: int) -> int:
        return n


def shared(data: bytes) -> bytes:
    """The workbook with every inline string moved to a shared string table (``t="s"``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    table: list[Any] = []
    for name in sorted(n for n in parts if n.startswith("xl/worksheets/sheet")):
        root = etree.fromstring(parts[name])
        for c in root.iter(f"{{{NS}}}c"):
            inline = c.find(f"{{{NS}}}is")
            if c.get("t") != "inlineStr" or inline is None:
                continue
            si = etree.Element(f"{{{NS}}}si")
            si.extend(list(inline))
            c.remove(inline)
            c.set("t", "s")
            etree.SubElement(c, f"{{{NS}}}v").text = str(len(table))
            table.append(si)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    sst = etree.Element(f"{{{NS}}}sst", nsmap={None: NS})
    sst.extend(table)
    parts["xl/sharedStrings.xml"] = etree.tostring(sst, xml_declaration=True, encoding="UTF-8")
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id="rIdSst", Type=SST_REL, Target="sharedStrings.xml")
    parts["xl/_rels/workbook.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>').encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return buf.getvalue()


def saved(wb: Any, storage: str) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return shared(buf.getvalue()) if storage == "shared" else buf.getvalue()


def as_text(cell: Any) -> str:
    """An openpyxl cell's value as the reader writes it."""
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f":
        return value if isinstance(value, str) else str(value.text)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def sheets_of(path: Path) -> list[_survey.Sheet]:
    with open_package(path, DEFAULT_LIMITS, ".xlsx") as zf:
        return _survey.read_sheets(zf, Position(file=str(path)), DEFAULT_LIMITS)


def assert_read_as_openpyxl_reads(path: Path) -> list[_survey.Sheet]:
    sheets = sheets_of(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)  # normal mode: every cell of the extent and the merged ranges
    assert [s.title for s in sheets] == wb.sheetnames
    for sheet, ws in zip(sheets, wb.worksheets, strict=True):
        extent = [(r, c) for r in range(1, ws.max_row + 1) for c in range(1, ws.max_column + 1)]
        expected = {(r, c): as_text(ws.cell(r, c)) for r, c in extent}
        got = {(r, c): sheet.cells.get(r, {}).get(c, "") for r, c in extent}
        assert got == expected, sheet.title
        if any(expected.values()) or ws.merged_cells.ranges:
            assert (sheet.rows, sheet.cols) == (ws.max_row, ws.max_column)
        assert sorted(sheet.merges) == sorted((m.min_row, m.min_col, m.max_row, m.max_col)
                                              for m in ws.merged_cells.ranges)
    return sheets


def every_kind() -> Any:
    """A workbook holding each kind of cell a task table may hold, on three sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务"
    ws.append(["2021年某市政务公开工作任务分解表"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "工作任务", "牵头单位", "完成时限", "是否完成", "备注"])
    ws.append([1, " 公开预算\n和决算 ", "市财政局", dt.datetime(2021, 6, 30), True, 0.1])
    ws.append([2.0, "公开审计结果", "市审计局", dt.datetime(2021, 12, 31, 17, 30), False, -3.5])
    ws.append([None] * 6)  # an empty row between tasks
    ws.append([3, CellRichText([TextBlock(InlineFont(b=True), "做好"), "政策", TextBlock(InlineFont(i=True), "解读")]),
               "市政府办公室", dt.date(2022, 1, 1), None, 1e20])
    ws.append([4, "长期坚持", "各县（市、区）", dt.time(9, 15), None, 12345678901234])
    ws["D8"] = dt.timedelta(hours=30, minutes=5)
    ws["D8"].number_format = "[h]:mm:ss"
    ws["D9"] = dt.datetime(2023, 3, 1)
    ws["D9"].number_format = 'yyyy"年"m"月"d"日"'
    ws["A10"] = "=A3+A4"
    ws["B10"] = "=CONCATENATE(B3,B4)"
    ws.merge_cells("C3:C4")
    ws.merge_cells("E6:E7")
    ws.row_dimensions[7].hidden = True
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append(["工作任务", "牵头单位"])
    hidden.append(["隐藏的任务。", "市教育局"])
    wb.create_sheet("空表")
    scattered = wb.create_sheet("散落")
    scattered["C5"] = "远处"
    scattered["AA2"] = 7
    scattered["D5"] = "近处"
    return wb


@pytest.mark.parametrize("storage", ["inline", "shared"])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(tmp_path: Path, storage: str) -> None:
    path = tmp_path / f"{storage}.xlsx"
    path.write_bytes(saved(every_kind(), storage))
    tasks, hidden, empty, scattered = assert_read_as_openpyxl_reads(path)
    assert tasks.cells[6][2] == "做好政策解读"  # rich text: the runs' text, joined
    assert (tasks.cells[3][4], tasks.cells[3][5]) == ("2021-06-30", "TRUE")
    assert (tasks.cells[4][4], tasks.cells[7][4], tasks.cells[8][4], tasks.cells[9][4]) == (
        "2021-12-31 17:30:00", "09:15:00", "1 day, 6:05:00", "2023-03-01")
    assert (tasks.cells[3][6], tasks.cells[4][1], tasks.cells[6][6]) == ("0.1", "2", "100000000000000000000")
    assert tasks.formulas == (("A10", "=A3+A4"), ("B10", "=CONCATENATE(B3,B4)"))
    assert hidden.cells[2][1] == "隐藏的任务。"  # a hidden sheet is read, as a hidden row is
    assert (empty.rows, empty.cols) == (0, 0)
    assert (scattered.rows, scattered.cols) == (5, 27)
    with pytest.warns(FormulaWarning) as caught:
        grids = read_xlsx(path).tables
    assert [str(w.message).split(" and never")[0].split(", cell ")[1] for w in caught] == [
        "A10: a formula; zwgk keeps its text as written (=A3+A4)",
        "B10: a formula; zwgk keeps its text as written (=CONCATENATE(B3,B4))"]
    assert [g.table for g in grids] == [1, 2, 4]  # the empty sheet holds no table, still counted


def test_the_1904_calendar(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active.append([dt.datetime(2021, 6, 30), dt.date(1999, 12, 31)])
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    (sheet,) = assert_read_as_openpyxl_reads(path)
    assert sheet.cells[1] == {1: "2021-06-30", 2: "1999-12-31"}


def test_phonetic_guides_are_left_out(tmp_path: Path) -> None:
    """A shared string's phonetic guide (``rPh``, furigana) is not its text, as openpyxl reads it."""
    wb = openpyxl.Workbook()
    wb.active.append(["东京都", "牵头"])
    data = shared(saved(wb, "inline"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(
        "东京都</t>".encode(), "东京都</t><rPh sb=\"0\" eb=\"2\"><t>とうきょうと</t></rPh>".encode())
    path = _zip(tmp_path / "rph.xlsx", parts)
    (sheet,) = assert_read_as_openpyxl_reads(path)
    assert sheet.cells[1] == {1: "东京都", 2: "牵头"}


@pytest.mark.parametrize("storage", ["inline", "shared"])
def test_escaped_characters_are_the_characters(tmp_path: Path, storage: str) -> None:
    """``_x000D_`` is a carriage return and ``_x005F_`` the underscore of a literal ``_x000D_``
    (ECMA-376 ST_Xstring), as Excel writes them; the text is the characters they stand for."""
    cells = [("A1", "第一行_x000D_\n第二行"), ("B1", "字面的_x005F_x000D_"), ("C1", "无转义_x00")]
    written = "".join(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' for ref, text in cells)
    path = _zip(tmp_path / "esc.xlsx", _parts(f'<row r="1">{written}</row>'))
    if storage == "shared":
        path.write_bytes(shared(path.read_bytes()))
    (sheet,) = sheets_of(path)
    assert sheet.cells[1] == {1: "第一行\r\n第二行", 2: "字面的_x000D_", 3: "无转义_x00"}


def test_east_asian_date_formats_known_by_number(tmp_path: Path) -> None:
    """Excel and WPS in Chinese store 2021年6月30日 with number format 31 and no format code; the
    cell is a date (openpyxl, knowing only the formats all locales share, reads the serial)."""
    styles = (f'<?xml version="1.0"?><styleSheet xmlns="{NS}"><cellXfs count="3"><xf numFmtId="0"/>'
              '<xf numFmtId="31" applyNumberFormat="1"/><xf numFmtId="58" applyNumberFormat="1"/></cellXfs>'
              "</styleSheet>")
    row = '<row r="1"><c r="A1" s="1"><v>44377</v></c><c r="B1" s="2"><v>44377</v></c><c r="C1"><v>44377</v></c></row>'
    path = _zip(tmp_path / "cjk.xlsx", _parts(row, styles=styles))
    (sheet,) = sheets_of(path)
    assert sheet.cells[1] == {1: "2021-06-30", 2: "2021-06-30", 3: "44377"}


def test_stored_kinds_without_a_writer_in_openpyxl(tmp_path: Path) -> None:
    """Formula results kept as text (``str``), errors, ISO dates (``d``), an inline string cell with
    no string, shared formulas and data tables, against openpyxl where it reads them alike."""
    row1 = ('<row r="1"><c r="A1" t="str"><v>公开</v></c><c r="B1" t="e"><v>#N/A</v></c>'
            '<c r="C1" t="d"><v>2021-06-30T00:00:00</v></c><c r="D1" t="inlineStr"/>'
            '<c r="E1" t="b"><v>1</v></c><c r="F1" t="n"><v></v></c></row>')
    rows = ('<row r="2"><c r="A2"><f t="shared" ref="A2:A4" si="0">ROW()-1</f><v>1</v></c></row>'
            '<row r="3"><c r="A3"><f t="shared" si="0"/><v>2</v></c></row>'
            '<row r="4"><c r="A4"><f t="shared" si="0"/><v>3</v></c>'
            '<c r="B4"><f t="array" ref="B4">SUM(A2:A4)</f></c></row>')
    path = _zip(tmp_path / "kinds.xlsx", _parts(row1 + rows))
    (sheet,) = assert_read_as_openpyxl_reads(path)
    assert sheet.cells[1] == {1: "公开", 2: "#N/A", 3: "2021-06-30", 5: "TRUE"}  # empty cells are not kept
    assert [sheet.cells[r][1] for r in (2, 3, 4)] == ["=ROW()-1", "=ROW()-1", "=ROW()-1"]
    table = '<row r="1"><c r="A1"><f t="dataTable" ref="A1:B2" dt2D="1" r1="C1" r2="D1"/><v>5</v></c></row>'
    (sheet,) = sheets_of(_zip(tmp_path / "table.xlsx", _parts(table)))
    assert sheet.formulas == (("A1", "=TABLE(C1,D1)"),)


def test_a_date_beyond_python_dates_is_kept_as_the_number(tmp_path: Path) -> None:
    styles = f'<?xml version="1.0"?><styleSheet xmlns="{NS}"><cellXfs><xf/><xf numFmtId="14"/></cellXfs></styleSheet>'
    path = _zip(tmp_path / "far.xlsx", _parts('<row r="1"><c r="A1" s="1"><v>99999999</v></c></row>', styles=styles))
    with pytest.warns(ReadWarning, match=r"A1: the date number 99999999"):
        (sheet,) = sheets_of(path)
    assert sheet.cells[1] == {1: "99999999"}


@pytest.mark.parametrize(("cells", "match"), [
    ('<row r="1"><c r="1A"><v>1</v></c></row>', "reference '1A'"),
    ('<row r="x"><c><v>1</v></c></row>', "row numbered 'x'"),
    ('<row r="1"><c r="A1" t="s"><v>7</v></c></row>', "A1 of type 's' holds '7'"),
    ('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>', "A1 of type 's' holds '-1'"),
    ('<row r="1"><c r="A1"><v>nan</v></c></row>', "A1 of type 'n' holds 'nan'"),
    ('<row r="1"><c r="A1" t="b"><v>yes</v></c></row>', "A1 of type 'b' holds 'yes'"),
])
def test_a_damaged_cell_is_a_parse_error_naming_it(tmp_path: Path, cells: str, match: str) -> None:
    with pytest.raises(ParseError, match=match) as e:
        read_xlsx(_zip(tmp_path / "bad.xlsx", _parts(cells)))
    assert "bad.xlsx, sheet 1 「S」" in str(e.value)


def test_merged_ranges_repeated_reversed_or_overlapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row><row r="3"/>'
    same = '<mergeCell ref="A1:B2"/>' * 3 + '<mergeCell ref="C3:B2"/>'
    (sheet,) = sheets_of(_zip(tmp_path / "m.xlsx", _parts(rows, merges=same)))
    assert sheet.merges == ((1, 1, 2, 2), (2, 2, 3, 3)) and (sheet.rows, sheet.cols) == (3, 3)
    with pytest.warns(ReadWarning, match="merged range 'A1:ZZ'"):
        sheets_of(_zip(tmp_path / "n.xlsx", _parts(rows, merges='<mergeCell ref="A1:ZZ"/>')))
    monkeypatch.setattr(_survey, "MAX_SHEET_CELLS", 50)
    stacked = "".join(f'<mergeCell ref="A1:E{r}"/>' for r in range(2, 10))  # within 9 × 5 cells, overlapping
    with pytest.raises(ParseError, match=r"merged ranges .* cover more than 50 cells"):
        sheets_of(_zip(tmp_path / "o.xlsx", _parts(rows, merges=stacked)))


def test_rows_without_cells_or_numbers_count_as_openpyxl_counts_them(tmp_path: Path) -> None:
    """A row with no ``r`` follows the row before, whether or not that row held cells; a cell
    standing outside any row is not read (nor by openpyxl) and is said."""
    def cell(text: str) -> str:
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    rows = f'<row r="2">{cell("甲")}</row><row/><row spans="1:1"/><row>{cell("乙")}{cell("丙")}</row><row r="9"/>'
    (sheet,) = assert_read_as_openpyxl_reads(_zip(tmp_path / "rows.xlsx", _parts(rows)))
    assert sheet.cells == {2: {1: "甲"}, 5: {1: "乙", 2: "丙"}} and (sheet.rows, sheet.cols) == (5, 2)
    with pytest.warns(ReadWarning, match=r"cells outside any row are not read \(1 of them\)"):
        (sheet,) = sheets_of(_zip(tmp_path / "out.xlsx", _parts(rows.replace("<row/>", cell("丁")))))
    assert sheet.cells == {2: {1: "甲"}, 4: {1: "乙", 2: "丙"}}

def test_a_sheet_whose_part_is_missing_is_said(tmp_path: Path) -> None:
    parts = _parts('<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row>')
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", b'<sheet name="\xe4\xb8\xa2" sheetId="2" r:id="rGone"/></sheets>')
    with pytest.warns(ReadWarning, match="sheet '丢'.*missing"):
        sheets = sheets_of(_zip(tmp_path / "gone.xlsx", parts))
    assert [s.title for s in sheets] == ["S"]


@pytest.mark.slow
def test_reading_a_workbook_does_not_import_openpyxl(tmp_path: Path) -> None:
    """openpyxl (about 0.4 s to import) is for writing; a fresh process reads a workbook without it."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        distribution("zwgk-xlsx")
    except PackageNotFoundError:
        pytest.skip("zwgk-xlsx is not installed: a fresh process would not find the reader")
    path = tmp_path / "t.xlsx"
    path.write_bytes(saved(every_kind(), "shared"))
    code = ("import sys, warnings, zwgk; warnings.simplefilter('ignore'); plan = zwgk.load(sys.argv[1], table=1); "
            "print(len(plan.tasks), 'openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60,
                         check=True)
    tasks, imported = out.stdout.split()
    assert int(tasks) > 0 and imported == "False"

values = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12).filter(
        lambda s: not s.startswith("=") and "_x" not in s),
    st.integers(-10**12, 10**12), st.floats(-1e9, 1e9, allow_nan=False).map(lambda f: round(f, 6)),
    st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)).map(lambda d: d.replace(microsecond=0)),
    st.none(),
)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=st.lists(st.lists(values, min_size=1, max_size=5), min_size=1, max_size=6),
       merges=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(0, 2), st.integers(0, 2)),
                       max_size=3),
       storage=st.sampled_from(["inline", "shared"]))
def test_generated_sheets_read_as_openpyxl_reads_them(tmp_path: Path, grid: list[list[object]],
                                                      merges: list[tuple[int, int, int, int]], storage: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in grid:
        ws.append(row)
    taken: set[tuple[int, int]] = set()
    for r, c, down, right in merges:
        block = {(r + i, c + j) for i in range(down + 1) for j in range(right + 1)}
        if block & taken or (down == right == 0):
            continue
        taken |= block
        ws.merge_cells(start_row=r, start_column=c, end_row=r + down, end_column=c + right)
    path = tmp_path / "g.xlsx"
    path.write_bytes(saved(wb, storage))
    assert_read_as_openpyxl_reads(path)


# -- hand-written workbooks -------------------------------------------------------------------------------

_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/styles.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _parts(rows: str, *, merges: str = "", styles: str | None = None) -> dict[str, bytes]:
    """The parts of a one-sheet workbook (sheet ``S``) whose sheet data is ``rows``."""
    sheet = (f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{rows}</sheetData>'
             + (f"<mergeCells>{merges}</mergeCells>" if merges else "") + "</worksheet>")
    return {
        "[Content_Types].xml": _TYPES.encode(),
        "_rels/.rels": (f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}"><Relationship Id="r1" '
                        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": (f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{_REL}"><sheets>'
                            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>').encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>').encode(),
        "xl/styles.xml": (styles or f'<?xml version="1.0"?><styleSheet xmlns="{NS}"><cellXfs><xf/></cellXfs>'
                          "</styleSheet>").encode(),
        "xl/worksheets/sheet1.xml": sheet.encode(),
    }


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return path
