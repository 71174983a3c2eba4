"""The xlsx exporter: a plan written as an Excel workbook.

The workbook has two sheets: the tasks, laid out as the Word table is (the preamble lines, 附件 and
the title, one row each merged across the table; a frozen header row with an autofilter; category
cells merged over their tasks; a task with fewer levels spanning the missing category columns; after
an empty row, the epilogue lines, one row each merged across the table), and the units with the
number of tasks each carries per role. A preamble the rows above the header cannot hold (more than
:data:`PREAMBLE_ROWS` lines, a cover letter; a line with a line break) is written in a third sheet,
:data:`PREAMBLE_SHEET`, from its start up to the title (the title and the lines after it stay above
the header when they fit there). The reader reads all of it back.

Every text is written as text (a shared string, ``data_type "s"``), never as a formula: a cell
reading ``=HYPERLINK(...)`` stays the characters it is. A cell longer than Excel holds, or a
character XML cannot hold, is an :class:`~zwgk.errors.ExportError` naming the task and column
(``replace_invalid=True`` writes U+FFFD for such a character, reported as an
:class:`~zwgk.exporters.ExportWarning`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, BinaryIO

from zwgk.errors import ExportError
from zwgk.exporters import TextCleaner
from zwgk.exporters.text import (
    RowCell,
    category_cell_notes,
    check_cells,
    check_columns,
    column_kinds,
    columns_for,
    lines_above,
    row_cells,
)
from zwgk.model import Plan, Role
from zwgk.vocabulary import LEVEL_HEADINGS
from zwgk_xlsx._read import (
    PREAMBLE_HEADER,
    PREAMBLE_ROWS,
    PREAMBLE_SHEET,
    WORKLOAD_HEADER,
    WORKLOAD_SHEET,
    preamble_line,
)

__all__ = ["MAX_CELL", "write_xlsx"]

MAX_CELL = 32_767
"""The most characters an Excel cell holds; longer text is an ExportError."""

_TASKS_SHEET = "任务分解"
_LOAD_SHEET = WORKLOAD_SHEET
_WIDTH_CAPS = {"具体任务": 60.0, "工作要求": 40.0}


def _width(text: str) -> float:
    """Excel column width units: a full-width character counts 2, others 1."""
    line = max(text.split("\n"), key=len, default="")
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in line)


def _fit(text: str, who: str, field: str) -> str:
    if len(text) > MAX_CELL:
        raise ExportError(f"{who}, {field}: the cell holds {len(text):,} characters; an Excel cell "
                          f"holds at most {MAX_CELL:,}")
    return text


def _put(ws: Any, row: int, column: int, value: str | int | None) -> Any:
    """Write one cell; text always as a string, never as a formula (a text starting with =)."""
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _above_header(lines: Sequence[str]) -> bool:
    """Whether rows above the header read ``lines`` back as written: at most
    :data:`~zwgk_xlsx._read.PREAMBLE_ROWS`, none empty, none with a line break or spaces at an end."""
    return len(lines) <= PREAMBLE_ROWS and all(line.strip() and preamble_line(line) == line for line in lines)


def _preamble_lines(plan: Plan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The preamble (else the title) as ``(sheet lines, lines above the header)``, checked to read back.

    The rows above the header hold it all when they can (:func:`_above_header`); otherwise they
    hold the title and the lines after it (as a Word attachment has them right above its table)
    when they can, or nothing, and the preamble sheet (:data:`~zwgk_xlsx._read.PREAMBLE_SHEET`)
    the lines before, each as written. The reader puts the sheet's lines first and chooses the
    title among all of them, as every reader does. An empty line reads back from neither place.
    """
    lines = lines_above(plan, "xlsx")
    for k, line in enumerate(lines, start=1):
        if not line:
            raise ExportError(f"the plan, preamble line {k}: an empty line would not read back from a workbook")
    if _above_header(lines):
        return (), lines
    at = max((k for k, line in enumerate(lines) if line == plan.title), default=len(lines))
    tail = lines[at:] if _above_header(lines[at:]) else ()
    return lines[:len(lines) - len(tail)], tail


def _epilogue_lines(plan: Plan) -> tuple[str, ...]:
    """The lines below the table, checked to read back: none empty or only spaces."""
    for k, line in enumerate(plan.epilogue, start=1):
        if not line.strip():
            raise ExportError(f"the plan, epilogue line {k}: an empty line would not read back from a row "
                              "below the table")
    return plan.epilogue


def _task_sheet(ws: Any, plan: Plan, lines: Sequence[str], clean: TextCleaner) -> None:
    """The task sheet, ``lines`` above its header."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    cols = columns_for(plan)
    check_columns(plan, cols)
    notes = category_cell_notes(plan, "a spreadsheet")
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for r, line in enumerate(lines, start=1):
        title = line == plan.title
        text = _fit(clean(line, None, "preamble"), "the plan", f"preamble line {r}")
        _put(ws, r, 1, text).font = Font(bold=True, size=16 if title else 12)
        ws.cell(r, 1).alignment = Alignment(horizontal="center" if title else "left", vertical="center")
        if len(cols) > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(cols))
        ws.row_dimensions[r].height = 30 if title else 20
    header_row = len(lines) + 1
    for c, heading in enumerate(cols, start=1):
        cell = _put(ws, header_row, c, _fit(clean(heading, None, "heading"), "the plan", f"heading {heading!r}"))
        cell.font = Font(bold=True)
        cell.alignment = centred
        cell.border = border
    widths = [_width(h) + 2 for h in cols]
    kinds = column_kinds(cols)
    open_merges: dict[int, int] = {}  # column -> first row of the category cell still open

    def close(col: int, last_row: int) -> None:
        first = open_merges.pop(col)
        if last_row > first:
            ws.merge_cells(start_row=first, start_column=col, end_row=last_row, end_column=col)

    prev: tuple[str, ...] | None = None
    row = header_row
    for task in plan.tasks:
        row += 1
        cells: Sequence[RowCell] = row_cells(task, cols, prev, kinds, notes)
        check_cells(task, cells)
        for cell in cells:
            col_index = (cell.column if cell.column is not None else cols.index(cell.header)) + 1
            start = col_index - (cell.span - 1)
            for covered in range(start, col_index + 1):
                if covered in open_merges and not cell.continued:
                    close(covered, row - 1)
            if cell.continued:
                continue
            text = _fit(clean(cell.text, task, cell.header), f"task {task.id}", cell.header)
            target = _put(ws, row, start, text or None)
            target.alignment = centred if cell.header != "具体任务" and cell.header != "工作要求" else wrap
            for k in range(start, col_index + 1):
                ws.cell(row, k).border = border
            if cell.span > 1:
                ws.merge_cells(start_row=row, start_column=start, end_row=row, end_column=col_index)
            elif cell.header in LEVEL_HEADINGS:
                open_merges[col_index] = row
            cap = _WIDTH_CAPS.get(cell.header, 24.0)
            if cell.span == 1:
                widths[col_index - 1] = max(widths[col_index - 1], min(_width(text) + 2, cap))
        prev = task.path
    for col in list(open_merges):
        close(col, row)
    last = row
    for k, line in enumerate(_epilogue_lines(plan), start=1):
        at = last + 1 + k  # after one empty row, each line merged across the table
        _put(ws, at, 1, _fit(clean(line, None, "epilogue"), "the plan", f"epilogue line {k}"))
        ws.cell(at, 1).alignment = Alignment(wrap_text=True, vertical="center", horizontal="left")
        if len(cols) > 1:
            ws.merge_cells(start_row=at, start_column=1, end_row=at, end_column=len(cols))
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(cols))}{max(row, header_row)}"
    ws.print_options.horizontalCentered = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{header_row}:{header_row}"


def _preamble_sheet(ws: Any, lines: Sequence[str], clean: TextCleaner) -> None:
    """The lines of the preamble the rows above the header do not hold: one a row under the header
    cell, as written (line breaks and spaces kept)."""
    from openpyxl.styles import Alignment, Font

    _put(ws, 1, 1, PREAMBLE_HEADER).font = Font(bold=True)
    for r, line in enumerate(lines, start=2):
        text = _fit(clean(line, None, "preamble"), "the plan", f"preamble line {r - 1}")
        _put(ws, r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 100


def _load_sheet(ws: Any, plan: Plan, clean: TextCleaner) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    kinds = {u.name: u.kind.value for u in plan.units()}
    header = list(WORKLOAD_HEADER)
    for c, heading in enumerate(header, start=1):
        _put(ws, 1, c, heading).font = Font(bold=True)
    load = plan.workload()
    ranked = sorted(load.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for r, (name, counts) in enumerate(ranked, start=2):
        values: list[str | int] = [_fit(clean(name, None, "unit"), "the plan", "unit name"), kinds.get(name, ""),
                  *(counts[role] for role in Role), sum(counts.values())]
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(load) + 1}"
    ws.column_dimensions["A"].width = max([_width(n) + 2 for n in load] + [12.0])
    ws.column_dimensions["B"].width = 20


def write_xlsx(plan: Plan, stream: BinaryIO, *, workload: bool = True, replace_invalid: bool = False) -> None:
    """Write the plan as an Excel workbook; ``workload=False`` leaves out the units sheet.

    ``replace_invalid=True`` writes U+FFFD for a character XML cannot hold (with an
    ``ExportWarning``) instead of refusing the plan.
    """
    from openpyxl import Workbook

    clean = TextCleaner("XLSX", replace=replace_invalid)
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    before, above = _preamble_lines(plan)
    _task_sheet(wb.create_sheet(_TASKS_SHEET), plan, above, clean)
    if before:
        _preamble_sheet(wb.create_sheet(PREAMBLE_SHEET), before, clean)
    if workload:
        _load_sheet(wb.create_sheet(_LOAD_SHEET), plan, clean)
    if plan.title:
        wb.properties.title = clean(plan.title, None, "title")
    wb.save(stream)
    clean.report()
