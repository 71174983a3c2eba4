"""Tidy frames of what a plan, a validation report and a diff hold, in table order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zwgk._diff import ChangeKind, PlanDiff
from zwgk.analysis._common import ROLE_ORDER, ordered, pandas_module
from zwgk.model import Plan, Role

if TYPE_CHECKING:
    import pandas as pd

    from zwgk.validators import Report

__all__ = ["assignments", "categories", "changes", "findings", "level_columns", "tasks"]


def level_columns(plan: Plan) -> dict[str, pd.Categorical]:
    """``level1`` … ``levelN`` (every depth the plan has), each an ordered categorical in table order."""
    depth = max((len(t.path) for t in plan.tasks), default=0)
    out: dict[str, pd.Categorical] = {}
    for k in range(depth):
        values = [t.path[k] if len(t.path) > k else None for t in plan.tasks]
        out[f"level{k + 1}"] = ordered(values, [v for v in values if v is not None])
    return out


def _repeat(columns: dict[str, pd.Categorical], index: list[int]) -> dict[str, Any]:
    return {name: col.take(index) for name, col in columns.items()}


def tasks(plan: Plan) -> pd.DataFrame:
    """One row per task: id, every hierarchy level, text, serial, deadline, units per role (joined with 、), counts."""
    pandas = pandas_module()
    ts = plan.tasks
    data: dict[str, Any] = {"id": [t.id for t in ts], **level_columns(plan)}
    data.update(
        text=[t.text for t in ts],
        requirement=[t.requirement for t in ts],
        serial=[t.serial for t in ts],
        deadline=[t.deadline for t in ts],
        leads=["、".join(u.name for u in t.leads) for t in ts],
        responsible=["、".join(u.name for u in t.responsible) for t in ts],
        cooperating=["、".join(u.name for u in t.cooperating) for t in ts],
        n_leads=[len(t.leads) for t in ts],
        n_responsible=[len(t.responsible) for t in ts],
        n_cooperating=[len(t.cooperating) for t in ts],
        open_lead=[t.is_open(Role.LEAD) for t in ts],
        row=pandas.array([t.source.row if t.source else None for t in ts], dtype="Int64"),
    )
    frame: pd.DataFrame = pandas.DataFrame(data)
    return frame


def assignments(plan: Plan) -> pd.DataFrame:
    """One row per (task, unit, role) as written (the long form), with every hierarchy level.

    ``unit`` is an ordered categorical in order of first mention, ``role`` one in table order
    (lead, responsible, cooperating).
    """
    pandas = pandas_module()
    index: list[int] = []
    refs = []
    roles: list[str] = []
    for ti, t in enumerate(plan.tasks):
        for role in ROLE_ORDER:
            for ref in t.units(role):
                index.append(ti)
                refs.append(ref)
                roles.append(role.value)
    names = [r.name for r in refs]
    data: dict[str, Any] = {"task_id": [plan.tasks[i].id for i in index], **_repeat(level_columns(plan), index)}
    data.update(
        unit=ordered(names, names),
        as_written=[r.as_written for r in refs],
        kind=[r.kind.value for r in refs],
        resolved=[r.resolved for r in refs],
        role=ordered(roles, [r.value for r in ROLE_ORDER]),
        row=pandas.array([plan.tasks[i].source.row if plan.tasks[i].source else None  # type: ignore[union-attr]
                          for i in index], dtype="Int64"),
    )
    frame: pd.DataFrame = pandas.DataFrame(data)
    return frame


def categories(plan: Plan) -> pd.DataFrame:
    """One row per category path in table order: its depth, headings, and how many tasks it holds."""
    pandas = pandas_module()
    counts: dict[tuple[str, ...], int] = {}
    for t in plan.tasks:
        for d in range(1, len(t.path) + 1):
            counts[t.path[:d]] = counts.get(t.path[:d], 0) + 1
    rows = [
        {"depth": len(path), "path": " / ".join(path), "heading": path[-1], "tasks": counts[path]}
        for path in plan.categories()
    ]
    frame: pd.DataFrame = pandas.DataFrame(rows, columns=["depth", "path", "heading", "tasks"])
    return frame


def findings(report: Report) -> pd.DataFrame:
    """One row per finding of a validation report: code, slug, severity (ordered), message, where, units, hint."""
    pandas = pandas_module()
    fs = report.findings
    data = {
        "code": [f.code for f in fs],
        "slug": [f.slug for f in fs],
        "severity": ordered([f.severity.value for f in fs], ["info", "warning", "error"]),
        "message": [f.message for f in fs],
        "task_id": [f.task_id for f in fs],
        "path": [" / ".join(f.path) for f in fs],
        "row": pandas.array([f.source.row if f.source else None for f in fs], dtype="Int64"),
        "units": ["、".join(f.units) for f in fs],
        "hint": [f.hint for f in fs],
        "file": [(f.source.file if f.source and f.source.file else report.source) for f in fs],
    }
    frame: pd.DataFrame = pandas.DataFrame(data)
    return frame


def changes(diff: PlanDiff, *, unchanged: bool = False) -> pd.DataFrame:
    """One row per task change of a :func:`zwgk.diff` result (unchanged tasks only with ``unchanged=True``).

    Columns: ``kind`` (added, removed, changed, unchanged), ``fields`` (what changed, comma-separated),
    ``similarity``, the ids, rows, categories and texts of the old and new task, and per role the
    units gained and lost (joined with 、).
    """
    pandas = pandas_module()
    shown = [c for c in diff if unchanged or c.kind is not ChangeKind.UNCHANGED]
    data: dict[str, Any] = {
        "kind": ordered([c.kind.value for c in shown], [k.value for k in ChangeKind]),
        "fields": [", ".join(c.fields) for c in shown],
        "similarity": [round(c.similarity, 3) for c in shown],
    }
    for side in ("old", "new"):
        ts = [getattr(c, side) for c in shown]
        data[f"{side}_id"] = [t.id if t else None for t in ts]
        data[f"{side}_row"] = pandas.array([t.source.row if t and t.source else None for t in ts], dtype="Int64")
        data[f"{side}_path"] = [" / ".join(t.path) if t else None for t in ts]
        data[f"{side}_text"] = [t.text if t else None for t in ts]
    for role in ROLE_ORDER:
        data[f"{role.value}_gained"] = ["、".join(c.units_gained(role)) for c in shown]
        data[f"{role.value}_lost"] = ["、".join(c.units_lost(role)) for c in shown]
    frame: pd.DataFrame = pandas.DataFrame(data)
    return frame
