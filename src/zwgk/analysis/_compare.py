"""Year over year: which tasks were added, removed, kept or reworded, which categories were renamed,
and whose load changed.

The tasks are paired by :func:`zwgk.diff` (the one matching engine, :mod:`zwgk._match`): the same
text within a category, then anywhere; then similar text within a category, then across
categories, best pair first, from ``REWORD_THRESHOLD`` (0.6) up. A paired task is *kept* when its
text is the same (whitespace and a leading item number set aside), *reworded* otherwise; the rest
are *added* or *removed*. A category path that is gone maps to the new path with the same headings
once their numbering is set aside, or to the one holding most of its tasks word for word (at least
``CATEGORY_OVERLAP`` of the smaller): it was *renamed*, and its tasks are not reported as moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from zwgk._aliases import AliasSuggestion, apply_aliases, suggest_aliases
from zwgk._diff import ChangeKind, PlanDiff, diff
from zwgk._match import CATEGORY_OVERLAP, REWORD_THRESHOLD, marked
from zwgk.analysis._common import ROLE_ORDER, ordered, pandas_module, plan_label
from zwgk.analysis._load import _unit_table, apply_lineage
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Task

if TYPE_CHECKING:
    import pandas as pd

    from zwgk.units.lineage import Mapping

__all__ = ["CATEGORY_OVERLAP", "REWORD_THRESHOLD", "STATUSES", "Comparison", "Trend", "compare", "compare_many"]

#: What happened to a task, in the order the ``status`` categorical uses.
STATUSES = ("kept", "reworded", "added", "removed")


class Comparison:
    """What :func:`compare` found. Each attribute is a ``DataFrame`` except ``lineage``.

    - ``tasks``: one row per task of either plan: ``status`` (kept, reworded, added, removed),
      ``changed`` (the other fields that differ: lead, responsible, cooperating, deadline, path …),
      ``similarity``, the old and new ids, rows, categories and texts, and ``text_diff``: a
      reworded task's text change marked character by character (``推进[-医疗-]{+医疗卫生领域+}信息公开``);
    - ``categories``: one row per category path: ``status`` (kept, renamed, added, removed), the old
      and new path and their task counts;
    - ``units``: units whose load changed: tasks per role and in total before and after;
    - ``lineage``: the unit-name mappings applied (with ``lineage=True``);
    - ``aliases``: with ``aliases="suggest"`` or ``"apply"``, the names the two plans write two
      ways (``old``, ``new``, ``tasks``, ``roles``, ``old_left``, ``new_before``, ``evidence``).
    """

    def __init__(self, tasks: pd.DataFrame, categories: pd.DataFrame, units: pd.DataFrame,
                 lineage: tuple[Mapping, ...], threshold: float, aliases: pd.DataFrame | None = None) -> None:
        self.tasks = tasks
        self.categories = categories
        self.units = units
        self.lineage = lineage
        self.threshold = threshold
        self.aliases = aliases

    def counts(self) -> dict[str, int]:
        """Tasks per status."""
        got = self.tasks["status"].value_counts()
        return {s: int(got.get(s, 0)) for s in STATUSES}

    def of(self, status: str) -> pd.DataFrame:
        """The task rows with one status."""
        frame: pd.DataFrame = self.tasks[self.tasks["status"] == status]
        return frame

    def __repr__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        renamed = int((self.categories["status"] == "renamed").sum())
        return (f"<Comparison: {counts}; {renamed} categories renamed; {len(self.units)} units' load changed; "
                f"{len(self.lineage)} lineage mappings>")


def _by_path(plan: Plan) -> dict[tuple[str, ...], list[int]]:
    out: dict[tuple[str, ...], list[int]] = {}
    for i, t in enumerate(plan.tasks):
        out.setdefault(t.path, []).append(i)
    return out


_Row = tuple[str, "Task | None", "Task | None", str, float, "str | None"]


def _task_rows(result: PlanDiff) -> list[_Row]:
    """(status, old, new, other fields changed, similarity, marked text diff) per change, in the diff's order."""
    rows: list[_Row] = []
    for c in result.changes:
        if c.kind is ChangeKind.ADDED:
            rows.append(("added", None, c.new, "", 0.0, None))
        elif c.kind is ChangeKind.REMOVED:
            rows.append(("removed", c.old, None, "", 0.0, None))
        else:
            assert c.old is not None and c.new is not None
            fields = [f for f in c.fields if f != "text"]
            if "path" in fields and result.categories.get(c.old.path) == c.new.path:
                fields.remove("path")  # its category was renamed; the task stayed where it was
            kept = c.similarity == 1.0
            rows.append(("kept" if kept else "reworded", c.old, c.new, ", ".join(fields), c.similarity,
                         None if kept else marked(c.text_diff())))
    return rows


def _units(old: Plan, new: Plan) -> pd.DataFrame:
    pandas = pandas_module()
    cols = [r.value for r in ROLE_ORDER] + ["total"]
    a = _unit_table(old, ROLE_ORDER, "unit", None).set_index("unit")
    b = _unit_table(new, ROLE_ORDER, "unit", None).set_index("unit")
    names = list(dict.fromkeys([*b.index, *a.index]))
    kinds = {**a["kind"].to_dict(), **b["kind"].to_dict()}
    a, b = a.reindex(names)[cols].fillna(0).astype(int), b.reindex(names)[cols].fillna(0).astype(int)
    data: dict[str, Any] = {"unit": names, "kind": [kinds[n] for n in names]}
    for c in cols:
        data[f"old_{c}"] = a[c].to_numpy()
        data[f"new_{c}"] = b[c].to_numpy()
    frame = pandas.DataFrame(data)
    frame["change"] = frame["new_total"] - frame["old_total"]
    differs = (a.to_numpy() != b.to_numpy()).any(axis=1)
    in_old, in_new = frame["unit"].isin(a.index[a["total"] > 0]), frame["unit"].isin(b.index[b["total"] > 0])
    status = ["gained" if not o else "lost" if not n else "changed" for o, n in zip(in_old, in_new, strict=False)]
    frame.insert(2, "status", ordered(status, ["changed", "gained", "lost"]))
    frame = frame[differs]
    frame = frame.assign(_size=frame["change"].abs()).sort_values(["_size", "unit"], ascending=[False, True])
    result: pd.DataFrame = frame.drop(columns="_size").reset_index(drop=True)
    return result


def _categories_frame(old: Plan, new: Plan, cat_map: dict[tuple[str, ...], tuple[str, ...]]) -> pd.DataFrame:
    pandas = pandas_module()
    old_paths, new_paths = _by_path(old), _by_path(new)
    rows: list[dict[str, Any]] = []
    back = {q: p for p, q in cat_map.items()}
    for q, idx in new_paths.items():
        p = back.get(q)
        status = "added" if p is None else "kept" if p == q else "renamed"
        rows.append({"status": status, "old_path": " / ".join(p) if p is not None else None,
                     "new_path": " / ".join(q), "old_tasks": len(old_paths[p]) if p is not None else 0,
                     "new_tasks": len(idx)})
    for p, idx in old_paths.items():
        if p not in cat_map:
            rows.append({"status": "removed", "old_path": " / ".join(p), "new_path": None,
                         "old_tasks": len(idx), "new_tasks": 0})
    frame: pd.DataFrame = pandas.DataFrame(rows, columns=["status", "old_path", "new_path", "old_tasks", "new_tasks"])
    frame["status"] = ordered(list(frame["status"]), ["kept", "renamed", "added", "removed"])
    return frame


_ALIAS_MODES = (None, "suggest", "apply")


def _aliases_frame(found: Sequence[AliasSuggestion]) -> pd.DataFrame:
    pandas = pandas_module()
    frame: pd.DataFrame = pandas.DataFrame({
        "old": [s.old for s in found], "new": [s.new for s in found], "tasks": [len(s.tasks) for s in found],
        "roles": [", ".join(r.value for r in s.roles) for s in found], "old_left": [s.old_left for s in found],
        "new_before": [s.new_before for s in found], "evidence": [s.evidence for s in found]})
    return frame


def _check_aliases(aliases: str | None) -> None:
    if aliases not in _ALIAS_MODES:
        raise ZwgkError(f"aliases must be None, 'suggest' or 'apply', not {aliases!r}")


def compare(old: Plan, new: Plan, *, threshold: float = REWORD_THRESHOLD, lineage: bool = False,
            aliases: str | None = None) -> Comparison:
    """Compare last year's plan with this year's (see the module docstring for how tasks are matched).

    :param threshold: least text similarity (0–1) for a changed text to count as the same task reworded.
    :param lineage: map old unit names to their successors first (市卫计委 → 市卫生健康委, the
        2018–2019 reform; data in ``zwgk/data/lineage.toml``); ``Comparison.lineage`` lists the
        mappings applied. Changes up to the new plan's year are followed (not a 2019 merge between
        2017 and 2018); when it has no year, all of them, and a ``LineageWarning`` says so.
    :param aliases: ``"suggest"``: list in ``Comparison.aliases`` the names the two plans write two
        ways (各设区市 / 各设区市政府), with the evidence (see :mod:`zwgk._aliases`); ``"apply"``: also
        rename them in the old plan before comparing.
    """
    pandas = pandas_module()
    _check_aliases(aliases)
    applied: tuple[Mapping, ...] = ()
    if lineage:
        (old, new), applied = apply_lineage([old, new])
    found: tuple[AliasSuggestion, ...] = ()
    if aliases is not None:
        found = suggest_aliases(old, new, threshold=threshold)
        if aliases == "apply":
            old = apply_aliases(old, found)
    result = diff(old, new, threshold=threshold)
    rows = _task_rows(result)
    data: dict[str, Any] = {
        "status": ordered([r[0] for r in rows], STATUSES),
        "changed": [r[3] for r in rows],
        "similarity": [round(r[4], 3) for r in rows],
    }
    for side, k in (("old", 1), ("new", 2)):
        ts: list[Task | None] = [r[k] for r in rows]  # type: ignore[misc]
        data[f"{side}_id"] = [t.id if t else None for t in ts]
        data[f"{side}_row"] = pandas.array([t.source.row if t and t.source else None for t in ts], dtype="Int64")
        data[f"{side}_path"] = [" / ".join(t.path) if t else None for t in ts]
        data[f"{side}_text"] = [t.text if t else None for t in ts]
    data["text_diff"] = [r[5] for r in rows]
    return Comparison(pandas.DataFrame(data), _categories_frame(old, new, result.categories),
                      _units(old, new), applied, threshold, _aliases_frame(found) if aliases else None)


class Trend:
    """What :func:`compare_many` found over several plans.

    - ``tasks``: one row per plan (``plan``, its label): ``tasks``, and against the plan before it
      ``kept``, ``reworded``, ``added``, ``removed`` (missing for the first plan);
    - ``units``: one row per unit, one column per plan: the tasks naming the unit (each task once),
      busiest in the last plan first;
    - ``comparisons``: the :class:`Comparison` of each plan with the one before it;
    - ``lineage``: the unit-name mappings applied (with ``lineage=True``).
    """

    def __init__(self, tasks: pd.DataFrame, units: pd.DataFrame, comparisons: tuple[Comparison, ...],
                 lineage: tuple[Mapping, ...]) -> None:
        self.tasks = tasks
        self.units = units
        self.comparisons = comparisons
        self.lineage = lineage

    def __repr__(self) -> str:
        return f"<Trend: {len(self.tasks)} plans, {len(self.units)} units>"


def compare_many(plans: Sequence[Plan], *, threshold: float = REWORD_THRESHOLD, lineage: bool = False,
                 aliases: str | None = None) -> Trend:
    """Several plans in order (``[p2016, p2017, p2018]``): tasks kept, added, removed and each unit's load per plan.

    Each plan is compared with the one before it as by :func:`compare`. With ``lineage=True`` every
    plan's names are mapped to the last plan's (the changes between each plan's year and the last
    one's); with ``aliases="apply"`` a name the next plan writes another way is renamed, from the
    last pair back, so a unit has the newest spelling throughout.
    """
    pandas = pandas_module()
    _check_aliases(aliases)
    plans = list(plans)
    if len(plans) < 2 or not all(isinstance(p, Plan) for p in plans):
        raise ZwgkError("compare_many needs a sequence of two or more Plans, oldest first")
    labels = [plan_label(p, i, plans) for i, p in enumerate(plans)]
    applied: tuple[Mapping, ...] = ()
    if lineage:
        plans, applied = apply_lineage(plans)
    if aliases == "apply":
        for k in range(len(plans) - 2, -1, -1):
            plans[k] = apply_aliases(plans[k], suggest_aliases(plans[k], plans[k + 1], threshold=threshold))
    comparisons = tuple(compare(plans[k - 1], plans[k], threshold=threshold,
                                aliases="suggest" if aliases else None) for k in range(1, len(plans)))
    rows: dict[str, Any] = {"plan": ordered(labels, labels), "tasks": [len(p.tasks) for p in plans]}
    for status in STATUSES:
        rows[status] = pandas.array([None] + [c.counts()[status] for c in comparisons], dtype="Int64")
    loads = [_unit_table(p, ROLE_ORDER, "unit", None).set_index("unit")["total"] for p in plans]
    units = pandas.concat(loads, axis=1, keys=labels).fillna(0).astype(int)
    units = units.assign(_last=units[labels[-1]]).sort_values("_last", ascending=False, kind="stable")
    units = units.drop(columns="_last")
    units.columns.name = "plan"
    return Trend(pandas.DataFrame(rows), units, comparisons, applied)
