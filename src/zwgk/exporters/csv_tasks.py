"""The CSV exporter: one row per task with every field, for spreadsheets and journalists' tools.

Columns: ``id``, ``level1`` … ``levelN`` (every depth the plan has), ``serial``, ``text``,
``requirement``, ``deadline``, ``notes``, per role the canonical unit names and the names as
written (joined with 、), ``open_roles`` (roles whose list ended in 等), one column per extra
heading of the source table, and ``file``, ``row``. Texts are written exactly as in the plan
(line breaks inside quoted cells). UTF-8 with a byte-order mark by default, so that Excel shows
Chinese text; ``bom=False`` leaves it out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import BinaryIO

from zwgk.exporters import Exporter
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Role

__all__ = ["plan_rows", "write_csv"]

#: Joins the unit names of one role in a cell, as tables write them.
JOIN = "、"


def plan_rows(plan: Plan) -> list[list[str]]:
    """The header and one row per task (see the module docstring)."""
    depth = max((len(t.path) for t in plan.tasks), default=0)
    extras = list(dict.fromkeys(h for t in plan.tasks for h, _ in t.extra))
    header = ["id", *(f"level{k + 1}" for k in range(depth)), "serial", "text", "requirement", "deadline", "notes"]
    for role in Role:
        header += [role.value, f"{role.value}_as_written"]
    header += ["open_roles", *(f"extra:{h}" for h in extras), "file", "row"]
    rows = [header]
    for t in plan.tasks:
        extra: dict[str, list[str]] = {}
        for h, v in t.extra:
            extra.setdefault(h, []).append(v)
        row = [t.id, *(t.path[k] if k < len(t.path) else "" for k in range(depth)), t.serial or "", t.text,
               t.requirement or "", t.deadline or "", t.notes or ""]
        for role in Role:
            row += [JOIN.join(u.name for u in t.units(role)), JOIN.join(u.as_written for u in t.units(role))]
        row += [",".join(r.value for r in Role if t.is_open(r)), *("\n".join(extra.get(h, ())) for h in extras),
                (t.source.file or "") if t.source else (plan.source or ""),
                str(t.source.row) if t.source and t.source.row is not None else ""]
        rows.append(row)
    return rows


def write_csv(plan: Plan, stream: BinaryIO, *, bom: bool = True) -> None:
    """Write the plan's tasks as CSV (UTF-8; with a byte-order mark unless ``bom=False``)."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(plan_rows(plan))
    stream.write(("\ufeff" if bom else "").encode("utf-8") + text.getvalue().encode("utf-8"))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(Exporter("csv", (".csv",), write_csv, "CSV: one row per task with every field (UTF-8, for Excel)"))
