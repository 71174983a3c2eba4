"""Reading Excel workbooks (.xlsx): each sheet a :class:`~zwgk.table.grid.Grid`.

Each sheet's XML is read once (:func:`zwgk_xlsx._survey.read_sheets`, the same pass that checks the
limits): the values stored in the file, every cell of the sheet's extent as openpyxl's normal mode
would build it, and each merged range as one cell with its ``rowspan``/``colspan``. Formulas are
never evaluated: a formula cell keeps its text as written (``=A1&B1``) and is reported with a
:class:`FormulaWarning` naming the sheet and cell. Hidden rows and sheets are read as any other.

Safety is zwgk's: the package is checked against :class:`~zwgk.readers.package.ZipLimits` before
anything is inflated, and every XML part read is refused if its parser sees a DTD. A
password-protected workbook (an OLE file holding an ``EncryptedPackage``), a damaged or truncated
one, and a zip bomb each raise a specific :class:`~zwgk.errors.ZwgkError`.
"""

from __future__ import annotations

import os
import warnings

import attrs
from lxml import etree

from zwgk.errors import ParseError, Position, UnsupportedFormatError, ZwgkError
from zwgk.model import Role
from zwgk.readers import Document, Source, is_ole, is_zip, ole_kind
from zwgk.readers.package import DEFAULT_LIMITS, MEMBER_ERRORS, ZipLimits, open_package
from zwgk.table import Cell, Grid
from zwgk.table.grid import emphasised
from zwgk_xlsx._survey import Sheet, read_sheets

__all__ = ["PREAMBLE_HEADER", "PREAMBLE_ROWS", "PREAMBLE_SHEET", "FormulaWarning", "preamble_line", "read_xlsx",
           "sniff_xlsx"]

#: Rows at the top of a sheet looked at for the preamble (附件, the title) above the header: rows of
#: one filled cell (usually merged across). More would risk taking task rows for text.
PREAMBLE_ROWS = 5


#: The sheet of the text before the table that the rows above its header do not hold (a cover
#: letter, a 文号 over more lines than :data:`PREAMBLE_ROWS`): its first cell is
#: :data:`PREAMBLE_HEADER`, then one line a row in its first column, each kept as written. Its lines
#: come before the rows above the header of the sheet read as the table (of each sheet).
PREAMBLE_SHEET = "表前文字"
PREAMBLE_HEADER = "表前文字"

#: The sheet of unit workloads the exporter writes beside the tasks, and its header: counts derived
#: from the task sheet, so the reader leaves it out (reading it back would add nothing).
WORKLOAD_SHEET = "单位任务量"
WORKLOAD_HEADER = ("单位", "类别", *(r.label for r in Role), "合计")

#: What a damaged package raises while its parts stream, besides the ParseErrors zwgk raises itself.
_DAMAGED: tuple[type[BaseException], ...] = (*MEMBER_ERRORS, etree.LxmlError)


class FormulaWarning(UserWarning):
    """A cell holds a formula: its text is kept as written, never evaluated."""


def sniff_xlsx(head: bytes) -> bool:
    """A zip package whose first entries name spreadsheet parts (``xl/``)."""
    return is_zip(head) and b"xl/" in head and b"word/" not in head


def _sheet_grid(sheet: Sheet, source: str, number: int) -> Grid:
    """The grid of a sheet: every cell of its extent, a merged range one cell with its spans; each
    position names the sheet (its number and its name, :attr:`~zwgk.errors.Position.sheet`) and its
    row as the sheet numbers it (the title rows taken off: :attr:`~zwgk.table.grid.Grid.first_row_number`)."""
    title = sheet.title
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for min_row, min_col, max_row, max_col in sheet.merges:
        spans[(min_row, min_col)] = (max_row - min_row + 1, max_col - min_col + 1)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    covered.add((r, c))
    for coordinate, formula in sheet.formulas:
        warnings.warn(f"{Position(source, number, sheet=title).describe()}, cell {coordinate}: a formula; zwgk "
                      f"keeps its text as written ({formula[:60]}) and never evaluates it", FormulaWarning,
                      stacklevel=4)
    merged_rows = {r for r, _ in covered} | {r for r, _ in spans}
    rows: list[tuple[Cell, ...]] = []
    nothing: dict[int, str] = {}
    columns = range(1, sheet.cols + 1)
    bold = sheet.bold

    def emphasis(r: int, c: int) -> tuple[tuple[int, int], ...]:
        """Where cell ``(r, c)``'s text is bold (:attr:`~zwgk.table.grid.Cell.emphasis`)."""
        pieces = bold.get((r, c)) if bold else None
        return emphasised(sheet.cells[r][c], pieces) if pieces else ()

    for r in range(1, sheet.rows + 1):
        text = sheet.cells.get(r, nothing).get
        if r not in merged_rows:
            rows.append(tuple([Cell(text(c, ""), 1, 1, c - 1, Position(source, number, r, c, sheet=title),
                                    emphasis(r, c)) for c in columns]))
            continue
        row: list[Cell] = []
        for c in columns:
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            row.append(Cell(text(c, ""), rowspan, colspan, c - 1, Position(source, number, r, c, sheet=title),
                            emphasis(r, c)))
        rows.append(tuple(row))
    while rows and not any(c.text.strip() for c in rows[-1]):
        rows.pop()
    preamble: list[str] = []
    taken = 0
    while rows and taken < PREAMBLE_ROWS:  # the title and other single lines above the header
        filled = [c for c in rows[0] if c.text.strip()]
        if len(filled) > 1:
            break
        taken += 1
        if filled:
            preamble.append(preamble_line(filled[0].text))
        rows.pop(0)
    epilogue = _epilogue(rows)
    return Grid(tuple(rows), source=source, table=number, preamble=tuple(preamble), epilogue=epilogue, sheet=title,
                first_row_number=taken + 1)


def _is_workload(sheet: Sheet) -> bool:
    """The unit workload sheet the exporter writes (its name and header)."""
    if sheet.title != WORKLOAD_SHEET:
        return False
    header = sheet.cells.get(1, {})
    return tuple(header[c] for c in sorted(header) if header[c]) == WORKLOAD_HEADER


def _preamble_sheet(sheet: Sheet) -> tuple[str, ...] | None:
    """The lines of the preamble sheet the exporter writes (:data:`PREAMBLE_SHEET`: its name, its
    header, text in its first column only), or ``None`` for any other sheet."""
    if sheet.title != PREAMBLE_SHEET or sheet.cells.get(1, {}).get(1) != PREAMBLE_HEADER:
        return None
    if any(text for row in sheet.cells.values() for col, text in row.items() if col != 1):
        return None  # text beside the lines: not the sheet the exporter writes; read as any sheet
    return tuple(text for r, row in sorted(sheet.cells.items()) if r > 1 and (text := row.get(1, "")))


def preamble_line(text: str) -> str:
    """A cell above the header as one line of the preamble: its lines stripped and joined."""
    return "".join(part.strip() for part in text.split("\n"))


def _epilogue(rows: list[tuple[Cell, ...]]) -> tuple[str, ...]:
    """Take the lines below the table out of ``rows``: the last rows holding one cell merged across
    every column (a note, a date, a signature), with the empty rows before them. A row of cells is
    never taken, so a task row stays a task row."""
    width = max(((c.column or 0) + c.colspan for r in rows for c in r if c.text.strip()), default=0)
    end = len(rows)
    while end > 0:
        filled = [c for c in rows[end - 1] if c.text.strip()]
        if width < 2 or len(filled) != 1 or filled[0].column != 0 or filled[0].colspan != width:
            break
        end -= 1
    if end == len(rows) or end == 0:
        return ()
    lines = tuple(next(c.text for c in row if c.text.strip()) for row in rows[end:])
    del rows[end:]
    while rows and not any(c.text.strip() for c in rows[-1]):
        rows.pop()
    return lines


def read_xlsx(source: Source | str | os.PathLike[str], *, limits: ZipLimits | None = None) -> Document:
    """Read an .xlsx workbook: each sheet with cells in it is a table (``table=N`` counts sheets),
    except the unit workload sheet the exporter writes (:data:`WORKLOAD_SHEET`), derived from the tasks,
    and the preamble sheet (:data:`PREAMBLE_SHEET`), whose lines lead each table's preamble.

    :param limits: package limits (default :data:`~zwgk.readers.package.DEFAULT_LIMITS`).
    """
    src = Source.of(source)
    p, where, head, name = src.path, src.where, src.head, src.name
    if is_ole(head):
        if ole_kind(p) == "encrypted":
            raise UnsupportedFormatError(
                "this workbook is password-protected (encrypted), so its sheets cannot be read; open it in "
                "Excel or WPS, remove the password (File › Info › Protect Workbook › Encrypt with Password, "
                "clear the box) and save it again as .xlsx", where)
        raise UnsupportedFormatError("this is a legacy binary Excel (.xls) workbook, not an .xlsx; zwgk.load "
                                     "converts it with LibreOffice when one is installed", where)
    if not is_zip(head):
        raise ParseError("not an .xlsx file (an .xlsx is a zip package starting with PK)", where)
    lim = limits if limits is not None else DEFAULT_LIMITS
    with open_package(p, lim, ".xlsx") as zf:
        try:
            sheets = read_sheets(zf, where, lim)
        except ZwgkError:
            raise
        except _DAMAGED as e:
            raise ParseError(f"the workbook is damaged and cannot be read ({type(e).__name__}: {e}); open it in "
                             "Excel, WPS or LibreOffice and save it again", where) from None
    above: tuple[str, ...] = ()
    grids: list[Grid] = []
    for n, sheet in enumerate(sheets, start=1):
        lines = _preamble_sheet(sheet)
        if lines is not None:
            above += lines
        elif not _is_workload(sheet):
            grids.append(_sheet_grid(sheet, name, n))
    grids = [g for g in grids if g.rows or g.preamble]  # a sheet of lines alone: said as no task table
    if above:  # the text before the table, before the rows above the header of whichever sheet is the table
        grids = [attrs.evolve(g, preamble=(*above, *g.preamble)) for g in grids]
    return Document(grids, table_count=len(sheets), kind="workbook", table_noun="sheet",
                    tables_are="sheets")
