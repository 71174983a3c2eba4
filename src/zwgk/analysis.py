"""pandas views of a plan, for notebooks. Needs the ``analysis`` extra (``pip install ".[analysis]"`` in a checkout).

    import zwgk
    from zwgk import analysis

    plan = zwgk.load_sample()
    analysis.workload(plan).head()          # who leads most
    analysis.assignments(plan)              # long form: one row per (task, unit, role)

Each function returns a fresh ``DataFrame``; text columns hold the text exactly as in the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["assignments", "categories", "tasks", "workload"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ZwgkError('zwgk.analysis needs pandas: pip install pandas '
                        '(or, from a zwgk checkout, pip install ".[analysis]")') from None
    return pandas


def _level(path: tuple[str, ...], k: int) -> str | None:
    return path[k] if len(path) > k else None


def tasks(plan: Plan) -> pd.DataFrame:
    """One row per task: id, levels, text, serial, deadline, units per role (joined with 、), counts."""
    pandas = _pandas()
    depth = max((len(t.path) for t in plan.tasks), default=0)
    rows: list[dict[str, Any]] = []
    for t in plan.tasks:
        row: dict[str, Any] = {"id": t.id}
        for k in range(depth):
            row[f"level{k + 1}"] = _level(t.path, k)
        row.update(
            text=t.text,
            requirement=t.requirement,
            serial=t.serial,
            deadline=t.deadline,
            leads="、".join(u.name for u in t.leads),
            responsible="、".join(u.name for u in t.responsible),
            cooperating="、".join(u.name for u in t.cooperating),
            n_leads=len(t.leads),
            n_responsible=len(t.responsible),
            n_cooperating=len(t.cooperating),
            open_lead=t.is_open(Role.LEAD),
            row=t.source.row if t.source else None,
        )
        rows.append(row)
    frame: pd.DataFrame = pandas.DataFrame(rows)
    return frame


def assignments(plan: Plan) -> pd.DataFrame:
    """One row per (task, unit, role): the long form for grouping and pivoting."""
    pandas = _pandas()
    rows = [
        {
            "task_id": a.task.id,
            "level1": _level(a.task.path, 0),
            "level2": _level(a.task.path, 1),
            "unit": a.unit.name,
            "as_written": a.unit.as_written,
            "kind": a.unit.kind.value,
            "resolved": a.unit.resolved,
            "role": a.role.value,
            "row": a.task.source.row if a.task.source else None,
        }
        for a in plan.assignments()
    ]
    columns = ["task_id", "level1", "level2", "unit", "as_written", "kind", "resolved", "role", "row"]
    frame: pd.DataFrame = pandas.DataFrame(rows, columns=columns)
    return frame


def workload(plan: Plan) -> pd.DataFrame:
    """One row per canonical unit: tasks led, responsible for, cooperating on, and the total.

    Sorted by the number of tasks led, then by the total (counting tasks, not cells).
    """
    pandas = _pandas()
    kinds = {u.name: u.kind.value for u in plan.units()}
    totals: dict[str, set[str]] = {}
    for a in plan.assignments():
        totals.setdefault(a.unit.name, set()).add(a.task.id)
    rows = [
        {
            "unit": name,
            "kind": kinds.get(name),
            "lead": counts[Role.LEAD],
            "responsible": counts[Role.RESPONSIBLE],
            "cooperating": counts[Role.COOPERATING],
            "total": len(totals[name]),
        }
        for name, counts in plan.workload().items()
    ]
    frame: pd.DataFrame = pandas.DataFrame(
        rows, columns=["unit", "kind", "lead", "responsible", "cooperating", "total"]
    )
    ordered: pd.DataFrame = frame.sort_values(
        ["lead", "total", "unit"], ascending=[False, False, True], ignore_index=True
    )
    return ordered


def categories(plan: Plan) -> pd.DataFrame:
    """One row per category path: its depth, headings, and how many tasks it holds."""
    pandas = _pandas()
    rows = [
        {"depth": len(path), "path": " / ".join(path), "heading": path[-1], "tasks": len(plan.tasks_in(path))}
        for path in plan.categories()
    ]
    frame: pd.DataFrame = pandas.DataFrame(rows, columns=["depth", "path", "heading", "tasks"])
    return frame
