"""Who carries the load and who works together: workload, category matrix, co-assignment.

Every count here counts tasks, not cells: a unit named twice in one task (as lead and as
responsible, or twice in one cell) counts once for that task in the totals.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from zwgk._api import unit_registry
from zwgk.analysis._common import ROLE_ORDER, distinct, ordered, pandas_module, plan_label, roles_of, triples
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role
from zwgk.units.lineage import LineageWarning, Mapping, bundled_lineage

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["NO_CATEGORY", "apply_lineage", "category_matrix", "co_assignment", "workload"]

#: The column of tasks that have no heading at the level asked for (a task above the deeper levels).
NO_CATEGORY = "（无）"


def _np() -> Any:
    pandas_module()
    import numpy

    return numpy


def _registry(expand_collectives: bool) -> Any:
    if not expand_collectives:
        return None
    return unit_registry()


def apply_lineage(plans: Sequence[Plan]) -> tuple[list[Plan], tuple[Mapping, ...]]:
    """The plans with old unit names mapped to their successors, named as in the last plan, and the mappings applied.

    Changes are followed up to the last (newest) plan's year: a 2019 merge is not applied between
    2017 and 2018. Earlier changes are, since a plan may still use a name a reform retired. When
    the last plan has no year every change is followed, and a
    :class:`~zwgk.units.lineage.LineageWarning` says so.
    """
    lineage = bundled_lineage()
    until = plans[-1].metadata.year if plans else None
    if plans and until is None:
        warnings.warn(f"{plan_label(plans[-1], len(plans) - 1, plans)} has no year, so every reform in the lineage "
                      f"data is applied, later ones too; give the plans their years "
                      f"(attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, year=2018)))",
                      LineageWarning, stacklevel=3)
    prefer = {u.name for t in plans[-1].tasks for u in t.units()} if plans else set()
    out: list[Plan] = []
    applied: list[Mapping] = []
    for i, p in enumerate(plans):
        mapped, used = lineage.apply(p, until=until, prefer=prefer, label=plan_label(p, i, plans))
        out.append(mapped)
        applied.extend(m for m in used if m.new != m.old)
    return out, tuple(applied)


def _as_plans(plan: Plan | Iterable[Plan]) -> tuple[list[Plan], bool]:
    if isinstance(plan, Plan):
        return [plan], False
    plans = list(plan)
    if not plans or not all(isinstance(p, Plan) for p in plans):
        raise ZwgkError("give a Plan or a non-empty sequence of Plans")
    return plans, True


def _unit_table(plan: Plan, roles: tuple[Role, ...], by: str, registry: Any) -> pd.DataFrame:
    pandas, np = pandas_module(), _np()
    tr = triples(plan, roles, expand=registry)
    if by == "unit":
        keys, kinds = tr.names, [k.value for k in tr.kinds]
        key_of = np.asarray(tr.unit, dtype=np.int64)
    elif by == "kind":
        kinds = list(dict.fromkeys(k.value for k in tr.kinds))
        keys = kinds
        kind_index = {k: i for i, k in enumerate(kinds)}
        per_unit = np.asarray([kind_index[k.value] for k in tr.kinds], dtype=np.int64)
        key_of = per_unit[tr.unit] if len(tr.unit) else np.zeros(0, dtype=np.int64)
    else:
        raise ZwgkError(f"by must be 'unit' or 'kind', not {by!r}")
    n_keys, n_tasks = len(keys), max(len(plan.tasks), 1)
    task = np.asarray(tr.task, dtype=np.int64)
    role = np.asarray(tr.role, dtype=np.int64)
    data: dict[str, Any] = {"unit" if by == "unit" else "kind": keys}
    if by == "unit":
        data["kind"] = kinds
    any_role = distinct(key_of * n_tasks + task)  # distinct (key, task) pairs
    for r in roles:
        ri = ROLE_ORDER.index(r)
        pairs = distinct(key_of[role == ri] * n_tasks + task[role == ri])
        data[r.value] = np.bincount(pairs // n_tasks, minlength=n_keys)
    data["total"] = np.bincount(any_role // n_tasks, minlength=n_keys)
    for r in roles:
        data[f"{r.value}_share"] = data[r.value] / n_tasks
    data["share"] = data["total"] / n_tasks
    frame: pd.DataFrame = pandas.DataFrame(data)
    used: pd.DataFrame = frame[frame["total"] > 0]
    return used


def workload(plan: Plan | Iterable[Plan], by: str = "unit", roles: Iterable[Role | str] | Role | str | None = None,
             *, expand_collectives: bool = False, sort: str = "total", long: bool = False,
             lineage: bool = False) -> pd.DataFrame:
    """Tasks per unit (or per kind of unit) and role, with shares of the plan's tasks.

    Columns: ``unit``, ``kind``, one column per role asked for (tasks in that role), ``total``
    (tasks in any of those roles, each task once), and ``<role>_share`` / ``share``: those counts
    divided by the number of tasks in the plan. Sorted by ``sort`` (``total``, or a role) and then
    by the total, descending, then in order of first mention.

    :param by: ``"unit"`` (one row per canonical unit) or ``"kind"`` (department, collective, …).
    :param roles: the roles counted (default all three).
    :param expand_collectives: count a collective's task for each unit it covers in full
        (各县（市、区） for each county government, 市政府各部门（单位） for each department of the
        unit registry); a collective covering only some units (市政府有关部门（单位）) stays itself.
    :param long: one row per (unit, role) with ``tasks`` and ``share`` instead; its ``tasks`` sum to
        the number of distinct (task, unit, role) triples.
    :param lineage: with several plans, map old unit names to their successors (市卫计委 →
        市卫生健康委); the mappings applied are in ``frame.attrs["lineage"]``.

    Several plans give one block per plan, with a ``plan`` column first (its year, or title).
    """
    pandas = pandas_module()
    rs = roles_of(roles)
    plans, several = _as_plans(plan)
    applied: tuple[Mapping, ...] = ()
    if lineage:
        plans, applied = apply_lineage(plans)
    if sort not in ("total", *(r.value for r in rs)):
        raise ZwgkError(f"sort must be 'total' or one of the roles counted ({', '.join(r.value for r in rs)}), "
                        f"not {sort!r}")
    registry = _registry(expand_collectives)
    frames = []
    for i, p in enumerate(plans):
        f = _unit_table(p, rs, by, registry)
        f = f.assign(_first=range(len(f))).sort_values([sort, "total", "_first"], ascending=[False, False, True])
        f = f.drop(columns="_first").reset_index(drop=True)
        if long:
            key = "unit" if by == "unit" else "kind"
            ids = [key, "kind"] if by == "unit" else [key]
            counts = f.melt(id_vars=ids, value_vars=[r.value for r in rs], var_name="role", value_name="tasks")
            counts["share"] = counts["tasks"] / max(len(p.tasks), 1)
            counts["role"] = ordered(list(counts["role"]), [r.value for r in ROLE_ORDER])
            f = counts[counts["tasks"] > 0].reset_index(drop=True)
        if several:
            f.insert(0, "plan", plan_label(p, i, plans))
        frames.append(f)
    out: pd.DataFrame = pandas.concat(frames, ignore_index=True) if several else frames[0]
    if several:
        out["plan"] = ordered(list(out["plan"]), [plan_label(p, i, plans) for i, p in enumerate(plans)])
    out.attrs["lineage"] = [str(m) for m in applied]
    return out


def _categories_at(plan: Plan, level: int) -> tuple[list[str], list[int]]:
    """Each task's category label at ``level`` (its heading; the path where headings repeat) and the labels."""
    if level < 1:
        raise ZwgkError(f"level must be 1 or more, not {level}")
    paths = [t.path[:level] if len(t.path) >= level else None for t in plan.tasks]
    distinct = list(dict.fromkeys(p for p in paths if p is not None))
    headings = [p[-1] for p in distinct]
    clash = {h for h in headings if headings.count(h) > 1}
    label = {p: (" / ".join(p) if p[-1] in clash else p[-1]) for p in distinct}
    labels = [label[p] for p in distinct]
    if any(p is None for p in paths):
        labels.append(NO_CATEGORY)
    index = {lab: i for i, lab in enumerate(labels)}
    return labels, [index[label[p]] if p is not None else index[NO_CATEGORY] for p in paths]


def category_matrix(plan: Plan, level: int = 1, roles: Iterable[Role | str] | Role | str | None = None, *,
                    expand_collectives: bool = False, long: bool = False) -> pd.DataFrame:
    """Unit × category: how many tasks of each category (at ``level``) name the unit, each task once.

    Rows are units by their total, descending (then first mention); columns are the categories in
    table order (an ordered ``CategoricalIndex``); tasks with no heading at ``level`` go to
    ``NO_CATEGORY``. ``long=True`` gives ``unit, category, tasks`` rows instead (zeros left out).
    """
    pandas, np = pandas_module(), _np()
    rs = roles_of(roles)
    labels, cat_of_task = _categories_at(plan, level)
    tr = triples(plan, rs, expand=_registry(expand_collectives))
    n_units, n_cats = len(tr.names), len(labels)
    task = np.asarray(tr.task, dtype=np.int64)
    unit = np.asarray(tr.unit, dtype=np.int64)
    pairs = distinct(unit * max(len(plan.tasks), 1) + task)  # (unit, task) once, whatever the roles
    u, t = pairs // max(len(plan.tasks), 1), pairs % max(len(plan.tasks), 1)
    cats = np.asarray(cat_of_task, dtype=np.int64)[t] if len(t) else np.zeros(0, dtype=np.int64)
    counts = np.bincount(u * n_cats + cats, minlength=n_units * n_cats).reshape(n_units, n_cats)
    order = np.argsort(-counts.sum(axis=1), kind="stable")
    columns = pandas.CategoricalIndex(labels, categories=labels, ordered=True, name="category")
    frame: pd.DataFrame = pandas.DataFrame(counts[order], index=pandas.Index([tr.names[i] for i in order],
                                                                               name="unit"), columns=columns)
    if long:
        stacked = frame.stack().rename("tasks").reset_index()
        stacked["unit"] = ordered(list(stacked["unit"]), list(frame.index))
        stacked["category"] = ordered(list(stacked["category"]), labels)
        result: pd.DataFrame = stacked[stacked["tasks"] > 0].reset_index(drop=True)
        return result
    return frame


def co_assignment(plan: Plan, roles: Iterable[Role | str] | Role | str | None = None, *,
                  expand_collectives: bool = False, long: bool = False) -> pd.DataFrame:
    """Unit × unit: how many tasks name both units (in the roles asked for); the diagonal is each unit's tasks.

    Built as one product of the task × unit incidence matrix with itself (``M.T @ M``; sparse
    with scipy when it is installed), never by looping over pairs of units. Units are ordered by
    their task count, descending. ``long=True`` gives ``unit_a, unit_b, tasks`` for each pair
    sharing a task (``unit_a`` before ``unit_b`` in that order), most shared first.
    """
    pandas, np = pandas_module(), _np()
    rs = roles_of(roles)
    tr = triples(plan, rs, expand=_registry(expand_collectives))
    n_tasks, n_units = len(plan.tasks), len(tr.names)
    task = np.asarray(tr.task, dtype=np.int64)
    unit = np.asarray(tr.unit, dtype=np.int64)
    keys = distinct(task * max(n_units, 1) + unit)  # a unit in two roles of one task counts once
    task, unit = keys // max(n_units, 1), keys % max(n_units, 1)
    try:
        from scipy import sparse  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        # The same product without scipy: joining the incidence entries on the task gives every
        # (unit, unit) pair of each task; counting them is M.T @ M.
        entries = pandas.DataFrame({"task": task, "unit": unit})
        joined = entries.merge(entries, on="task")
        flat = joined["unit_x"].to_numpy() * n_units + joined["unit_y"].to_numpy()
        product = np.bincount(flat, minlength=n_units * n_units).reshape(n_units, n_units)
    else:
        m = sparse.csr_matrix((np.ones(len(task), dtype=np.int64), (task, unit)), shape=(n_tasks, n_units))
        product = (m.T @ m).toarray()
    counts = np.asarray(product, dtype=np.int64)
    order = np.lexsort((np.arange(n_units), -np.diag(counts))) if n_units else np.zeros(0, dtype=np.int64)
    names = [tr.names[i] for i in order]
    matrix = counts[np.ix_(order, order)]
    frame: pd.DataFrame = pandas.DataFrame(matrix, index=pandas.Index(names, name="unit_a"),
                                           columns=pandas.Index(names, name="unit_b"))
    if not long:
        return frame
    a, b = np.triu_indices(len(names), k=1)
    shared = matrix[a, b]
    keep = shared > 0
    pairs = pandas.DataFrame({
        "unit_a": ordered([names[i] for i in a[keep]], names),
        "unit_b": ordered([names[i] for i in b[keep]], names),
        "tasks": shared[keep],
    })
    result: pd.DataFrame = pairs.sort_values("tasks", ascending=False, kind="stable").reset_index(drop=True)
    return result
