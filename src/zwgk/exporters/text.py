"""Write a plan in the text form of a Word table (the form :mod:`zwgk.readers.text` reads).

Category cells are written where the category changes and left empty below it (as a vertical
merge reads); a task with fewer levels than the table has is written with its text spanning the
missing category columns, as Word shows such a row. Reading the output gives an equal plan.

With ``form="list"`` the plan is written as paragraphs instead, one a line: headings, each task's
paragraph and its 牵头单位：/责任单位： lines (:mod:`zwgk.exporters._paragraphs`), which the text
reader reads back as paragraphs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import BinaryIO, Literal

from attrs import frozen

from zwgk.errors import ExportError, LayoutError, Position, ZwgkError
from zwgk.exporters import Exporter
from zwgk.exporters._cells import unit_text
from zwgk.exporters._fields import (
    category_cell,
    category_cell_notes,
    lines_above,
    refuse_lone_surrogates,
    task_position,
)
from zwgk.exporters._paragraphs import plan_paragraphs
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role, Task
from zwgk.readers.text import parse_text
from zwgk.table.build import build_plan
from zwgk.table.grid import Cell, Grid
from zwgk.table.layout import detect_layout
from zwgk.vocabulary import HEADING, LEVEL_HEADINGS, WRITTEN_HEADINGS, ColumnRole

__all__ = [
    "KNOWN_HEADERS",
    "RowCell",
    "category_cell_notes",
    "check_cells",
    "check_columns",
    "column_kinds",
    "columns_for",
    "lines_above",
    "plan_to_list_text",
    "plan_to_text",
    "row_cells",
    "unit_text",
    "write_text",
]

#: Headings of the columns zwgk fills from the task's own fields, in table order.
KNOWN_HEADERS = WRITTEN_HEADINGS
#: Known columns written only when the plan uses them (or when an extra column repeats the
#: heading: the known column must come first, so that reading takes the repeat as the extra one).
_OPTIONAL = ("序号", "工作要求", "配合单位", "完成时限", "备注")


def _extra_headings(plan: Plan) -> list[str]:
    """The extra columns' headings, in an order every task's extra cells follow.

    Each task's headings (repeats and empty headings included) must read, left to right, as a
    subsequence of the columns: each task is matched leftmost against the columns so far, and a
    heading that cannot be matched is inserted right after the last matched column.
    """
    out: list[str] = []
    for t in plan.tasks:
        pos = 0
        for header, _ in t.extra:
            k = pos
            while k < len(out) and out[k] != header:
                k += 1
            if k == len(out):
                out.insert(pos, header)
                k = pos
            pos = k + 1
    return out


def columns_for(plan: Plan) -> list[str]:
    """The column headings a plan needs: levels, task, and only the optional columns it uses.

    Extra columns follow, each heading as often as a task needs it. A known heading that appears
    more than once in ``cols`` names the known column first and extra columns after it.
    """
    depth = max((len(t.path) for t in plan.tasks), default=0)
    if depth > len(LEVEL_HEADINGS):
        raise ExportError(f"a task path is {depth} levels deep; at most {len(LEVEL_HEADINGS)} are supported")
    extras = _extra_headings(plan)
    used = {
        "序号": any(t.serial for t in plan.tasks),
        "工作要求": any(t.requirement for t in plan.tasks),
        "配合单位": any(t.cooperating or Role.COOPERATING in t.open_roles for t in plan.tasks),
        "完成时限": any(t.deadline for t in plan.tasks),
        "备注": any(t.notes for t in plan.tasks),
    }
    for header in _OPTIONAL:
        used[header] = used[header] or header in extras
    cols: list[str] = []
    if used["序号"]:
        cols.append("序号")
    cols.extend(LEVEL_HEADINGS[:depth])
    cols.append("具体任务")
    if used["工作要求"]:
        cols.append("工作要求")
    cols.extend(["牵头单位", "责任单位"])
    cols.extend(h for h in ("配合单位", "完成时限", "备注") if used[h])
    return cols + extras


def column_kinds(cols: Sequence[str]) -> list[str | None]:
    """For each heading of ``cols``, the known column it is (its heading), or ``None`` for an extra
    column: the first occurrence of a known heading is the known column (a level heading only left
    of 具体任务); every other heading is an extra column."""
    seen: set[str] = set()
    task_at = cols.index("具体任务") if "具体任务" in cols else len(cols)
    out: list[str | None] = []
    for i, header in enumerate(cols):
        known = header in KNOWN_HEADERS and header not in seen
        if header in LEVEL_HEADINGS and i > task_at:
            known = False
        out.append(header if known else None)
        if known:
            seen.add(header)
    return out


@frozen
class RowCell:
    """One cell of a task's row in a table export.

    ``span`` is how many grid columns the cell covers (the task text spans the category columns
    of levels the task does not have); ``continued`` marks a category cell that continues the
    same category from the row above (a vertical merge; the text form leaves it empty).
    ``column`` is the index in the column list of the column the cell ends in (headings may repeat).
    """

    header: str
    text: str
    span: int = 1
    continued: bool = False
    column: int | None = None


def row_cells(task: Task, cols: Sequence[str], prev: tuple[str, ...] | None,
              kinds: Sequence[str | None] | None = None,
              notes: Mapping[tuple[str, ...], str] | None = None) -> list[RowCell]:
    """The cells of ``task``'s row under the headings ``cols`` (from :func:`columns_for`).

    ``prev`` is the path of the task in the row above, or ``None`` for the first row. Extra cells
    go to the extra columns of their heading, matched left to right. ``kinds`` is
    :func:`column_kinds` of ``cols``, when the caller has it (it is the same for every row).
    ``notes`` are the category notes by path (:func:`~zwgk.exporters._fields.category_cell_notes`):
    a category cell written where its category starts carries its note after its name and a 。.
    """
    out: list[RowCell] = []
    if kinds is None:
        kinds = column_kinds(cols)
    extra_at: dict[int, str] = {}
    pos = 0
    for header, value in task.extra:
        while pos < len(cols) and (kinds[pos] is not None or cols[pos] != header):
            pos += 1
        if pos == len(cols):
            raise ExportError(f"no column for the extra cell {header!r} (columns {list(cols)})",
                              _where(task))
        extra_at[pos] = value
        pos += 1
    skipped = 0
    for i, (header, kind) in enumerate(zip(cols, kinds, strict=True)):
        if kind is None:
            out.append(RowCell(header, extra_at.get(i, ""), column=i))
        elif kind in LEVEL_HEADINGS:
            k = LEVEL_HEADINGS.index(kind)
            if k >= len(task.path):
                skipped += 1  # the task text spans this column
                continue
            same = prev is not None and len(prev) > k and prev[: k + 1] == task.path[: k + 1]
            note = notes.get(task.path[: k + 1]) if notes and not same else None
            out.append(RowCell(header, category_cell(task.path[k], note), 1, same, i))
        elif kind == "具体任务":
            out.append(RowCell(header, task.text, 1 + skipped, column=i))
        else:
            out.append(RowCell(header, _known_text(task, kind), column=i))
    return out


def _known_text(task: Task, header: str) -> str:
    if header == "序号":
        return task.serial or ""
    if header == "工作要求":
        return task.requirement or ""
    if header == "牵头单位":
        return unit_text(task, Role.LEAD)
    if header == "责任单位":
        return unit_text(task, Role.RESPONSIBLE)
    if header == "配合单位":
        return unit_text(task, Role.COOPERATING)
    if header == "完成时限":
        return task.deadline or ""
    return task.notes or ""


def _where(task: Task | None) -> Position:
    return task_position(task)


def _who(task: Task | None) -> str:
    return f"task {task.id}" if task is not None else "the plan"


def check_columns(plan: Plan, cols: Sequence[str]) -> None:
    """Refuse (:class:`ExportError`) a column list that zwgk's readers would not read back as written.

    The header row is read by the reader's own layout detection: every known column must get its
    role, and every extra column must be read as an extra column under the same heading (a heading
    such as 牵头 or 具体要求 would be read as a role, and its cells lost from the extra columns).
    """
    kinds = column_kinds(cols)
    expected = {**{h: role for role, h in HEADING.items()}, **{h: ColumnRole.LEVEL for h in LEVEL_HEADINGS}}

    def owner(i: int) -> Task | None:
        seen = sum(1 for k in range(i) if kinds[k] is None and cols[k] == cols[i])
        for t in plan.tasks:
            if sum(1 for h, _ in t.extra if h == cols[i]) > seen:
                return t
        return None

    header = tuple(Cell(h, column=i) for i, h in enumerate(cols))
    try:
        layout = detect_layout(Grid((header,)))
    except LayoutError as e:
        first = next((i for i, k in enumerate(kinds) if k is None), None)
        task = owner(first) if first is not None else None
        raise ExportError(f"{_who(task)}: the extra column headings would hide the table's header "
                          f"row from readers ({e.message})", _where(task)) from None
    for i, (col, kind) in enumerate(zip(layout.columns, kinds, strict=True)):
        if kind is not None and col.role is not expected[kind]:
            raise ExportError(f"the column {kind!r} would be read as a {col.role.value} column",
                              _where(None))
        if kind is None and (col.role is not ColumnRole.EXTRA or col.header != cols[i]):
            task = owner(i)
            raise ExportError(
                f"{_who(task)}, extra column {cols[i]!r}: a table with this heading is read back as a "
                f"{col.role.value} column {col.header!r}, not as the extra column it is", _where(task))


def check_cells(task: Task, cells: Sequence[RowCell]) -> None:
    """Refuse a cell that a reader would read back differently whatever the format: readers keep a
    cell's text without the spaces around it, and drop an empty extra cell."""
    for cell in cells:
        if cell.continued:
            continue
        if cell.text != cell.text.strip():
            raise ExportError(f"{_who(task)}, {cell.header}: the text starts or ends with white space, "
                              "which readers do not keep", _where(task))
    for header, value in task.extra:
        if not value.strip():
            raise ExportError(f"{_who(task)}, extra column {header!r}: the cell is empty, and readers "
                              "keep no empty extra cell", _where(task))
    for name in ("requirement", "serial", "deadline", "notes"):
        if getattr(task, name) == "":
            raise ExportError(f"{_who(task)}, {name}: an empty text (not None), which readers read as "
                              "None", _where(task))


def _check(value: str, task: Task | None, field: str = "cell") -> str:
    """The cell as the text form holds it; what it cannot hold (a carriage return, an empty line,
    spaces or a TAB at the end of a line, a line starting with a TAB) is an :class:`ExportError`."""
    where = _where(task)
    who = f"{_who(task)}, {field}"
    lines = value.split("\n")
    if "\r" in value:
        raise ExportError(f"{who}: holds a carriage return, which the text form cannot hold", where)
    if len(lines) > 1 and any(not ln.strip() for ln in lines):
        raise ExportError(f"{who}: holds an empty line, which the text form cannot hold", where)
    if any(ln != ln.rstrip(" \t") for ln in lines):
        raise ExportError(f"{who}: a line ends in spaces or a TAB, which the text form cannot hold", where)
    if any(ln.startswith("\t") for ln in lines[1:]):
        raise ExportError(f"{who}: a line inside the cell starts with a TAB, which the text form cannot "
                          "hold", where)
    return value


def plan_to_text(plan: Plan) -> str:
    """The plan in the text form, as a string."""
    refuse_lone_surrogates(plan, "the text form (UTF-8)")
    notes = category_cell_notes(plan, "the text form of a table")
    cols = columns_for(plan)
    check_columns(plan, cols)
    out: list[str] = []
    for line in lines_above(plan, "the text form"):
        if line.startswith("\t") or "\n" in line:
            raise ExportError("a preamble line starts with a TAB or holds a line break")
        out.append(line)
    if out:
        out.append("")
    out.extend("\t" + _check(c, None, f"heading {c!r}") for c in cols)
    out.append("")
    prev: tuple[str, ...] | None = None
    kinds = column_kinds(cols)
    short_rows = False
    for task in plan.tasks:
        cells = row_cells(task, cols, prev, kinds, notes)
        check_cells(task, cells)
        short_rows = short_rows or any(c.span > 1 for c in cells)
        if not task.text and any(c.span > 1 for c in cells):
            # The text form shows no spans: the reader places the cells of a short row by what
            # they hold, and an empty task cell spanning category columns cannot be placed.
            raise ExportError(f"{_who(task)}, text: the task text is empty and spans category columns "
                              "the task has no value for, which the text form cannot show", _where(task))
        for cell in cells:
            value = "" if cell.continued else cell.text
            out.append("\t" + _check(value, task, cell.header))
        out.append("")
        prev = task.path
    if plan.epilogue:
        for line in plan.epilogue:
            if line.startswith("\t") or "\n" in line or not line.strip():
                raise ExportError("an epilogue line starts with a TAB, is empty or holds a line break")
            out.append(line)
    text = "\n".join(out) + "\n"
    if short_rows:
        _check_short_rows(plan, text)
    return text


def _check_short_rows(plan: Plan, text: str) -> None:
    """Read ``text`` back when it has short rows (a task text spanning the category columns of a
    shallower path): the reader places their cells by what they hold, and a category path it would
    read differently is an :class:`ExportError` naming the task."""
    import warnings


    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            back = build_plan([parse_text(text)]).tasks
        except ZwgkError as e:
            raise ExportError(f"the text form of this plan would not read back ({e})") from None
    for task, got in zip(plan.tasks, back, strict=False):
        if got.path != task.path or got.text != task.text:
            raise ExportError(f"{_who(task)}, category: the path {list(task.path)} is shallower than the category "
                              "columns, and the text form (which shows no spans) would read it back as "
                              f"{list(got.path)}", _where(task))
    if len(back) != len(plan.tasks):
        raise ExportError(f"the text form of this plan would read back as {len(back)} tasks, not "
                          f"{len(plan.tasks)}")


def plan_to_list_text(plan: Plan) -> str:
    """The plan as paragraphs, one a line (the form the text reader reads when there is no table)."""
    refuse_lone_surrogates(plan, "the text form (UTF-8)")
    out = plan_paragraphs(plan, lines=True)
    for line in out:
        if line.startswith("\t"):
            raise ExportError(f"the line {line[:20]!r} starts with a TAB, which makes the text a table")
    return "\n".join(out) + "\n"


def write_text(plan: Plan, stream: BinaryIO, *, form: Literal["table", "list"] = "table") -> None:
    """Write the text form (UTF-8) to a binary stream.

    :param form: ``"table"`` (the text form of a table) or ``"list"`` (numbered paragraphs with
        牵头单位：/责任单位： lines).
    """
    if form not in ("table", "list"):
        raise ExportError(f"form must be 'table' or 'list', not {form!r}")
    stream.write((plan_to_list_text(plan) if form == "list" else plan_to_text(plan)).encode("utf-8"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("text", (".txt",), write_text,
                      "Text form of a Word table, readable by zwgk's text reader"))
