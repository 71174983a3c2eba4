"""Write a plan in the text form of a Word table (the form :mod:`zwgk.readers.text` reads).

Category cells are written where the category changes and left empty below it (as a vertical
merge reads); a task with fewer levels than the table has is written with its text spanning the
missing category columns, as Word shows such a row. Reading the output gives an equal plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import BinaryIO

from zwgk.errors import ExportError, Position
from zwgk.exporters import Exporter
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role, Task

__all__ = ["LEVEL_HEADERS", "columns_for", "plan_to_text", "write_text"]

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


def _units(task: Task, role: Role) -> str:
    """A unit cell as written: names joined with 、, a closing 等… phrase attached as it was."""
    refs = task.units(role)
    text = ""
    for u in refs:
        if text and not u.as_written.startswith("等"):
            text += "、"
        text += u.as_written
    closed_by_deng = any(u.as_written.startswith("等") or u.as_written.rstrip().endswith("等") for u in refs)
    if task.is_open(role) and not closed_by_deng:
        text += "等"
    return text


def _cell_values(task: Task, cols: Sequence[str], depth: int, prev: tuple[str, ...] | None) -> list[str]:
    values: list[str] = []
    extra = dict(task.extra)
    for header in cols:
        if header in LEVEL_HEADERS[:depth]:
            k = LEVEL_HEADERS.index(header)
            if k >= len(task.path):
                continue  # the task text spans this column
            same = prev is not None and len(prev) > k and prev[: k + 1] == task.path[: k + 1]
            values.append("" if same else task.path[k])
        elif header == "具体任务":
            values.append(task.text)
        elif header == "序号":
            values.append(task.serial or "")
        elif header == "工作要求":
            values.append(task.requirement or "")
        elif header == "牵头单位":
            values.append(_units(task, Role.LEAD))
        elif header == "责任单位":
            values.append(_units(task, Role.RESPONSIBLE))
        elif header == "配合单位":
            values.append(_units(task, Role.COOPERATING))
        elif header == "完成时限":
            values.append(task.deadline or "")
        elif header == "备注":
            values.append(task.notes or "")
        else:
            values.append(extra.get(header, ""))
    return values


def _check(value: str, task: Task | None) -> str:
    """The cell as the text form holds it: trailing spaces of lines dropped; what it cannot hold
    (an empty line, a line starting with a TAB, a carriage return) is an :class:`ExportError`."""
    where = task.source if task is not None and task.source is not None else Position()
    lines = [ln.rstrip(" \t") for ln in value.split("\n")]
    if "\r" in value:
        raise ExportError("a cell holds a carriage return, which the text form cannot hold", where)
    if len(lines) > 1 and any(not ln.strip() for ln in lines):
        raise ExportError("a cell holds an empty line, which the text form cannot hold", where)
    if any(ln.startswith("\t") for ln in lines[1:]):
        raise ExportError("a line inside a cell starts with a TAB, which the text form cannot hold", where)
    return "\n".join(lines)


def plan_to_text(plan: Plan) -> str:
    """The plan in the text form, as a string."""
    cols = columns_for(plan)
    depth = sum(1 for c in cols if c in LEVEL_HEADERS)
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
        values = _cell_values(task, cols, depth, prev)
        for v in values:
            out.append("\t" + _check(v, task))
        out.append("")
        prev = task.path
    if plan.epilogue:
        for line in plan.epilogue:
            if line.startswith("\t") or "\n" in line or not line.strip():
                raise ExportError("an epilogue line starts with a TAB, is empty or holds a line break")
            out.append(line)
    return "\n".join(out) + "\n"


def write_text(plan: Plan, stream: BinaryIO, **options: object) -> None:
    """Write the text form (UTF-8) to a binary stream."""
    stream.write(plan_to_text(plan).encode("utf-8"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("text", (".txt",), write_text,
                      "Text form of a Word table, readable by zwgk's text reader"))
