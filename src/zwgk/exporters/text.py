"""Write a plan in the text form of a Word table (the form :mod:`zwgk.readers.text` reads).

Category cells are written where the category changes and left empty below it (as a vertical
merge reads); a task with fewer levels than the table has is written with its text spanning the
missing category columns, as Word shows such a row. Reading the output gives an equal plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import BinaryIO

from attrs import frozen

from zwgk.errors import ExportError, Position
from zwgk.exporters import Exporter
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role, Task

__all__ = ["LEVEL_HEADERS", "RowCell", "columns_for", "plan_to_text", "row_cells", "unit_text", "write_text"]

LEVEL_HEADERS = ("一级任务", "二级任务", "三级任务", "四级任务", "五级任务", "六级任务")


def columns_for(plan: Plan) -> list[str]:
    """The column headings a plan needs: levels, task, and only the optional columns it uses."""
    depth = max((len(t.path) for t in plan.tasks), default=0)
    if depth > len(LEVEL_HEADERS):
        raise ExportError(f"a task path is {depth} levels deep; at most {len(LEVEL_HEADERS)} are supported")
    cols: list[str] = []
    if any(t.serial for t in plan.tasks):
        cols.append("序号")
    cols.extend(LEVEL_HEADERS[:depth])
    cols.append("具体任务")
    if any(t.requirement for t in plan.tasks):
        cols.append("工作要求")
    cols.extend(["牵头单位", "责任单位"])
    if any(t.cooperating or Role.COOPERATING in t.open_roles for t in plan.tasks):
        cols.append("配合单位")
    if any(t.deadline for t in plan.tasks):
        cols.append("完成时限")
    if any(t.notes for t in plan.tasks):
        cols.append("备注")
    for t in plan.tasks:
        for header, _ in t.extra:
            if header not in cols:
                cols.append(header)
    return cols


def unit_text(task: Task, role: Role) -> str:
    """The units of ``role`` as one cell, as the splitter reads it back.

    Names are written as they were (``as_written``) joined by 、; a closing collective written with
    its 等 (``等相关部门（单位）``) follows the name before it directly; an open list whose 等 is
    not part of any name written gets one at the end.
    """
    parts: list[str] = []
    for ref in task.units(role):
        if parts and ref.as_written.startswith("等"):
            parts[-1] += ref.as_written
        else:
            parts.append(ref.as_written)
    text = "、".join(parts)
    closed = text.rstrip().endswith("等") or any(u.as_written.startswith("等") for u in task.units(role))
    if task.is_open(role) and not closed:
        text += "等"
    return text


@frozen
class RowCell:
    """One cell of a task's row in a table export.

    ``span`` is how many grid columns the cell covers (the task text spans the category columns
    of levels the task does not have); ``continued`` marks a category cell that continues the
    same category from the row above (a vertical merge; the text form leaves it empty).
    """

    header: str
    text: str
    span: int = 1
    continued: bool = False


def row_cells(task: Task, cols: Sequence[str], prev: tuple[str, ...] | None) -> list[RowCell]:
    """The cells of ``task``'s row under the headings ``cols`` (from :func:`columns_for`).

    ``prev`` is the path of the task in the row above, or ``None`` for the first row.
    """
    out: list[RowCell] = []
    extra = dict(task.extra)
    skipped = 0
    for header in cols:
        if header in LEVEL_HEADERS:
            k = LEVEL_HEADERS.index(header)
            if k >= len(task.path):
                skipped += 1  # the task text spans this column
                continue
            same = prev is not None and len(prev) > k and prev[: k + 1] == task.path[: k + 1]
            out.append(RowCell(header, task.path[k], 1, same))
        elif header == "具体任务":
            out.append(RowCell(header, task.text, 1 + skipped))
        elif header == "序号":
            out.append(RowCell(header, task.serial or ""))
        elif header == "工作要求":
            out.append(RowCell(header, task.requirement or ""))
        elif header == "牵头单位":
            out.append(RowCell(header, unit_text(task, Role.LEAD)))
        elif header == "责任单位":
            out.append(RowCell(header, unit_text(task, Role.RESPONSIBLE)))
        elif header == "配合单位":
            out.append(RowCell(header, unit_text(task, Role.COOPERATING)))
        elif header == "完成时限":
            out.append(RowCell(header, task.deadline or ""))
        elif header == "备注":
            out.append(RowCell(header, task.notes or ""))
        else:
            out.append(RowCell(header, extra.get(header, "")))
    return out


def _check(value: str, task: Task | None) -> None:
    where = task.source if task is not None else None
    lines = value.split("\n")
    if "\t" in value or "\r" in value:
        raise ExportError("a cell holds a TAB or carriage return, which the text form cannot hold",
                          where or Position())
    if len(lines) > 1 and any(not ln.strip() for ln in lines):
        raise ExportError("a cell holds an empty line, which the text form cannot hold",
                          where or Position())


def plan_to_text(plan: Plan) -> str:
    """The plan in the text form, as a string."""
    cols = columns_for(plan)
    out: list[str] = []
    for line in plan.preamble or ((plan.title,) if plan.title else ()):
        if line.startswith("\t") or "\n" in line:
            raise ExportError("a preamble line starts with a TAB or holds a line break")
        out.append(line)
    if out:
        out.append("")
    out.extend("\t" + c for c in cols)
    out.append("")
    prev: tuple[str, ...] | None = None
    for task in plan.tasks:
        for cell in row_cells(task, cols, prev):
            value = "" if cell.continued else cell.text
            _check(value, task)
            out.append("\t" + value)
        out.append("")
        prev = task.path
    if plan.epilogue:
        for line in plan.epilogue:
            if line.startswith("\t") or "\n" in line or not line.strip():
                raise ExportError("an epilogue line starts with a TAB, is empty or holds a line break")
            out.append(line)
    return "\n".join(out) + "\n"


def write_text(plan: Plan, stream: BinaryIO) -> None:
    """Write the text form (UTF-8) to a binary stream."""
    stream.write(plan_to_text(plan).encode("utf-8"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("text", (".txt",), write_text,
                      "Text form of a Word table, readable by zwgk's text reader"))
