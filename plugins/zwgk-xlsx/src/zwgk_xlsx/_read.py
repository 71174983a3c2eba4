"""Reading Excel workbooks (.xlsx): each sheet a :class:`~zwgk.table.grid.Grid`.

The workbook is opened with openpyxl in read-only mode, which streams each sheet's cells; the
sheet's extent and merged ranges (which read-only mode does not give) come from zwgk's own pass
over the sheet's XML (:func:`zwgk_xlsx._survey.survey`, the same pass that checks the limits), so
a merged range becomes a cell with its ``rowspan``/``colspan`` and every cell of the sheet's extent
is read as openpyxl's normal mode would build it. Values are the ones stored in the
file; formulas are never evaluated: a formula cell keeps its text as written (``=A1&B1``) and is
reported with a :class:`FormulaWarning` naming the sheet and cell.

Safety is zwgk's: the package is checked against :class:`~zwgk.readers.package.ZipLimits` before
openpyxl inflates anything, and every XML part is refused if its parser sees a DTD. A
password-protected workbook (an OLE file holding an ``EncryptedPackage``), a damaged or truncated
one, and a zip bomb each raise a specific :class:`~zwgk.errors.ZwgkError`.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from pathlib import Path
from typing import Any

from lxml import etree

from zwgk.errors import ParseError, Position, UnsupportedFormatError, ZwgkError
from zwgk.model import Role
from zwgk.readers import Document, Source, is_ole, is_zip, ole_kind
from zwgk.readers.package import (
    DEFAULT_LIMITS,
    MEMBER_ERRORS,
    ZipLimits,
    check_no_dtd,
    open_member,
    open_package,
)
from zwgk.table import MAX_COLUMNS, Cell, Grid
from zwgk_xlsx._survey import Extent, survey

__all__ = ["PREAMBLE_ROWS", "FormulaWarning", "preamble_line", "read_xlsx", "sniff_xlsx"]

#: Rows at the top of a sheet looked at for the preamble (附件, the title) above the header: rows of
#: one filled cell (usually merged across). More would risk taking task rows for text.
PREAMBLE_ROWS = 5


#: The sheet of unit workloads the exporter writes beside the tasks, and its header: counts derived
#: from the task sheet, so the reader leaves it out (reading it back would add nothing).
WORKLOAD_SHEET = "单位任务量"
WORKLOAD_HEADER = ("单位", "类别", *(r.label for r in Role), "合计")

#: What openpyxl raises on a damaged workbook, besides the zip layer's errors.
_DAMAGED: tuple[type[BaseException], ...] = (*MEMBER_ERRORS, KeyError, TypeError, AttributeError, IndexError,
                                             etree.LxmlError)


class FormulaWarning(UserWarning):
    """A cell holds a formula: its text is kept as written, never evaluated."""


def sniff_xlsx(head: bytes) -> bool:
    """A zip package whose first entries name spreadsheet parts (``xl/``)."""
    return is_zip(head) and b"xl/" in head and b"word/" not in head


def _check_parts(path: Path, limits: ZipLimits, name: str) -> dict[str, Extent]:
    """Check the package's limits, refuse any XML part whose parser sees a DTD, and survey the sheets'
    extent and text before openpyxl builds them (:mod:`zwgk_xlsx._survey`)."""
    where = Position(file=name)
    with open_package(path, limits) as zf:
        for name in zf.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            stream = open_member(zf, name, where, limits)
            try:
                events = etree.iterparse(stream, events=("start",), resolve_entities=False, no_network=True,
                                         load_dtd=False)
                try:
                    first = next(events, None)
                except etree.XMLSyntaxError as e:
                    raise ParseError(f"the workbook part {name} is damaged XML: {e.msg}", where) from None
                check_no_dtd(first[1] if first is not None else events.root, where)
            finally:
                stream.close()
        return survey(zf, where, limits)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _sheet_grid(ws: Any, extent: Extent | None, source: str, number: int) -> Grid:
    """The grid of a sheet of ``extent`` (``None``: a sheet the survey did not find, such as one whose
    part is missing, read as openpyxl streams it, which names the damage)."""
    if extent is None:
        extent = Extent()
        lines: Any = ws.iter_rows()
    else:
        lines = ws.iter_rows(min_row=1, max_row=extent.rows, min_col=1, max_col=extent.cols) if extent.rows else ()
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for min_row, min_col, max_row, max_col in extent.merges:
        spans[(min_row, min_col)] = (max_row - min_row + 1, max_col - min_col + 1)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    covered.add((r, c))
    if extent.cols > MAX_COLUMNS:
        raise ParseError(f"the sheet {ws.title!r} is {extent.cols:,} columns wide, more than "
                         f"{MAX_COLUMNS:,} (zwgk.table.grid.MAX_COLUMNS)", Position(file=source, table=number))
    rows: list[tuple[Cell, ...]] = []
    for r, line in enumerate(lines, start=1):
        row: list[Cell] = []
        for c, cell in enumerate(line, start=1):
            if covered and (r, c) in covered:
                continue
            value = cell.value
            if value is None:
                text = ""
            elif cell.data_type == "f":
                text = value if isinstance(value, str) else str(getattr(value, "text", value))
                warnings.warn(f"{source}, sheet {ws.title!r}, cell {cell.coordinate}: a formula; zwgk keeps "
                              f"its text as written ({text[:60]}) and never evaluates it", FormulaWarning,
                              stacklevel=4)
            else:
                text = _text(value)
            rowspan, colspan = spans.get((r, c), (1, 1))
            row.append(Cell(text, rowspan, colspan, c - 1, Position(file=source, table=number, row=r, column=c)))
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
    return Grid(tuple(rows), source=source, table=number, preamble=tuple(preamble), epilogue=epilogue)


def _is_workload(ws: Any) -> bool:
    """The unit workload sheet the exporter writes (its name and header)."""
    if ws.title != WORKLOAD_SHEET:
        return False
    header = next(ws.iter_rows(max_row=1, values_only=True), ())
    return tuple(v for v in header if v is not None) == WORKLOAD_HEADER


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
    except the unit workload sheet the exporter writes (:data:`WORKLOAD_SHEET`), derived from the tasks.

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
    extents = _check_parts(p, lim, name)
    from openpyxl import load_workbook

    # a file object, not the path: openpyxl refuses a name without an Excel suffix, and a workbook saved
    # under a .docx name or none is told by its content (sniff_xlsx); read-only mode reads from it as it goes
    with p.open("rb") as f:
        try:
            wb = load_workbook(f, read_only=True, data_only=False, keep_links=False, keep_vba=False)
            try:
                sheets = list(wb.worksheets)
                grids = [_sheet_grid(ws, extents.get(ws.title), name, n)
                         for n, ws in enumerate(sheets, start=1) if not _is_workload(ws)]
            finally:
                wb.close()
        except ZwgkError:
            raise
        except _DAMAGED as e:
            raise ParseError(f"the workbook is damaged and cannot be read ({type(e).__name__}: {e}); open it in "
                             "Excel, WPS or LibreOffice and save it again", where) from None
        except Exception as e:  # openpyxl's InvalidFileException and its other complaints
            raise ParseError(f"not a readable .xlsx workbook ({type(e).__name__}: {e})", where) from None
    return Document([g for g in grids if g.rows], table_count=len(sheets), kind="workbook", table_noun="sheet",
                    tables_are="sheets")
