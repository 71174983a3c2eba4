"""The CSV exporter: one row per task with every field, for spreadsheets and journalists' tools.

Columns: ``id``; ``level1`` … ``levelN`` (every depth the plan has), each followed by
``levelK_note`` when a category of that level has a note (the introductory sentence after its
heading, :class:`~zwgk.model.CategoryNote`; written on every row of the category, as its name is);
``serial``, ``text``, ``requirement``, ``deadline``, ``notes``; per role the canonical unit names
and the names as written (joined with 、); ``unit_notes`` when a unit's resolution carries a note
(one line per note, ``name：note``); ``open_roles`` (roles whose list ended in 等); one column per
extra heading of the source table; ``file``, ``row``, and ``page``/``line`` when the source gives
them. Then the plan's own fields, on the first row only, each when the plan holds it: ``title``,
``region``, ``year``, ``level``, ``issuer``, ``preamble`` and ``epilogue`` (one line per
paragraph). Texts are written exactly as in the plan (line breaks inside quoted cells). UTF-8 with
a byte-order mark by default, so that Excel shows Chinese text; ``bom=False`` leaves it out.

Everything the plan holds is in some cell, or the plan is refused (:class:`~zwgk.errors.ExportError`):
a category note whose category no task is in (no row carries it), a plan without tasks that holds
a title, metadata, preamble or epilogue (no row carries them), a preamble or epilogue paragraph
holding a line break (the column's lines would not tell its paragraphs apart).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import BinaryIO

from zwgk.errors import ExportError
from zwgk.exporters import Exporter
from zwgk.exporters._fields import refuse_lone_surrogates, unwritten_notes
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role, Task

__all__ = ["PLAN_COLUMNS", "plan_rows", "write_csv"]

#: Joins the unit names of one role in a cell, as tables write them.
JOIN = "、"
#: Joins the lines of a multi-line column (the preamble's paragraphs, the unit notes).
LINES = "\n"
#: The plan's own fields, written on the first row in columns of these names when the plan holds them.
PLAN_COLUMNS = ("title", "region", "year", "level", "issuer", "preamble", "epilogue")


def _plan_fields(plan: Plan) -> dict[str, str]:
    """The plan's own fields by column, each that the plan holds."""
    meta = plan.metadata
    values: dict[str, str | None] = {
        "title": plan.title, "region": meta.region, "year": None if meta.year is None else str(meta.year),
        "level": meta.level, "issuer": meta.issuer,
        "preamble": _paragraphs(plan.preamble, "preamble"), "epilogue": _paragraphs(plan.epilogue, "epilogue"),
    }
    return {k: v for k, v in values.items() if v is not None}


def _paragraphs(lines: tuple[str, ...], part: str) -> str | None:
    for k, line in enumerate(lines, start=1):
        if LINES in line:
            raise ExportError(f"the plan, {part} line {k} ({line[:20]!r}): holds a line break, and the CSV "
                              f"column {part!r} writes one paragraph a line: write JSON")
    return LINES.join(lines) if lines else None


def _unit_notes(task: Task) -> str:
    return LINES.join(f"{u.name}：{u.note}" for u in task.units() if u.note is not None)


def plan_rows(plan: Plan) -> list[list[str]]:
    """The header and one row per task (see the module docstring)."""
    unwritten_notes(plan, "CSV")
    own = _plan_fields(plan)
    if own and not plan.tasks:
        raise ExportError(f"the plan holds no task, so CSV has no row to carry its {', '.join(own)}: write JSON")
    depth = max((len(t.path) for t in plan.tasks), default=0)
    noted = {len(n.path) for n in plan.category_notes}
    extras = list(dict.fromkeys(h for t in plan.tasks for h, _ in t.extra))
    with_unit_notes = any(u.note is not None for t in plan.tasks for u in t.units())
    places = [p for p in ("page", "line") if any(t.source and getattr(t.source, p) is not None for t in plan.tasks)]
    header = ["id"]
    for k in range(1, depth + 1):
        header += [f"level{k}", *([f"level{k}_note"] if k in noted else [])]
    header += ["serial", "text", "requirement", "deadline", "notes"]
    for role in Role:
        header += [role.value, f"{role.value}_as_written"]
    header += [*(["unit_notes"] if with_unit_notes else []), "open_roles", *(f"extra:{h}" for h in extras),
               "file", "row", *places, *own]
    rows = [header]
    for i, t in enumerate(plan.tasks):
        extra: dict[str, list[str]] = {}
        for h, v in t.extra:
            extra.setdefault(h, []).append(v)
        row = [t.id]
        for k in range(1, depth + 1):
            row.append(t.path[k - 1] if k <= len(t.path) else "")
            if k in noted:
                row.append((plan.note_of(t.path[:k]) or "") if k <= len(t.path) else "")
        row += [t.serial or "", t.text, t.requirement or "", t.deadline or "", t.notes or ""]
        for role in Role:
            row += [JOIN.join(u.name for u in t.units(role)), JOIN.join(u.as_written for u in t.units(role))]
        if with_unit_notes:
            row.append(_unit_notes(t))
        row += [",".join(r.value for r in Role if t.is_open(r)), *("\n".join(extra.get(h, ())) for h in extras),
                (t.source.file or "") if t.source else (plan.source or ""),
                str(t.source.row) if t.source and t.source.row is not None else ""]
        for p in places:
            value = getattr(t.source, p) if t.source else None
            row.append("" if value is None else str(value))
        row += [v if i == 0 else "" for v in own.values()]
        rows.append(row)
    return rows


def write_csv(plan: Plan, stream: BinaryIO, *, bom: bool = True) -> None:
    """Write the plan's tasks as CSV (UTF-8; with a byte-order mark unless ``bom=False``).

    A lone surrogate in the plan's text is an :class:`~zwgk.errors.ExportError` naming the task and
    field: UTF-8 cannot encode it. A source file name that is not UTF-8 is written with its bytes as
    escapes (``\\udcff``), as the JSON exporter writes it.
    """
    refuse_lone_surrogates(plan, "CSV (UTF-8)")
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(plan_rows(plan))
    stream.write(("\ufeff" if bom else "").encode("utf-8") + text.getvalue().encode("utf-8", "backslashreplace"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("csv", (".csv",), write_csv, "CSV: one row per task with every field (UTF-8, for Excel)"))
