"""Year over year: which tasks were added, removed, kept or reworded, which categories were renamed,
and whose load changed.

Matching goes in three steps:

1. **Categories.** A category path of the old plan maps to the same path in the new one; a path
   that is gone maps to the new path holding most of its tasks word for word (at least
   ``CATEGORY_OVERLAP`` of the smaller of the two), which makes it *renamed*.
2. **Tasks with the same text** (whitespace ignored) are *kept*: first within mapped categories,
   then anywhere (a task that moved to another category is kept, with ``path`` among its changes).
3. **Reworded tasks**: the remaining tasks are paired *within mapped categories* by text
   similarity (difflib's ratio on the text without whitespace), best pair first, when it is at
   least ``threshold`` (``REWORD_THRESHOLD``, 0.6, by default: a clause reworded or a few words
   added keep a ratio near 0.8–0.95; two different tasks of one category rarely reach 0.5).

Everything else is *added* or *removed*.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from zwgk._diff import _fields, _key
from zwgk.analysis._common import ROLE_ORDER, ordered, pandas_module
from zwgk.analysis._load import _unit_table, apply_lineage
from zwgk.model import Plan, Task

if TYPE_CHECKING:
    import pandas as pd

    from zwgk.units.lineage import Mapping

__all__ = ["CATEGORY_OVERLAP", "REWORD_THRESHOLD", "STATUSES", "Comparison", "compare"]

#: Least text similarity (0–1) for two different texts in one category to be the same task reworded.
REWORD_THRESHOLD = 0.6
#: Share of the smaller category's tasks two category paths must have in common (same text) for a
#: vanished path to count as renamed to the other.
CATEGORY_OVERLAP = 0.5
#: What happened to a task, in the order the ``status`` categorical uses.
STATUSES = ("kept", "reworded", "added", "removed")


class Comparison:
    """What :func:`compare` found. Each attribute is a ``DataFrame`` except ``lineage``.

    - ``tasks``: one row per task of either plan: ``status`` (kept, reworded, added, removed),
      ``changed`` (the other fields that differ: lead, responsible, cooperating, deadline, path …),
      ``similarity``, and the old and new ids, rows, categories and texts;
    - ``categories``: one row per category path: ``status`` (kept, renamed, added, removed), the old
      and new path and their task counts;
    - ``units``: units whose load changed: tasks per role and in total before and after;
    - ``lineage``: the unit-name mappings applied (with ``lineage=True``).
    """

    def __init__(self, tasks: pd.DataFrame, categories: pd.DataFrame, units: pd.DataFrame,
                 lineage: tuple[Mapping, ...], threshold: float) -> None:
        self.tasks = tasks
        self.categories = categories
        self.units = units
        self.lineage = lineage
        self.threshold = threshold

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


def _map_categories(old: Sequence[Task], new: Sequence[Task], old_paths: dict[tuple[str, ...], list[int]],
                    new_paths: dict[tuple[str, ...], list[int]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    mapping = {p: p for p in old_paths if p in new_paths}
    gone = [p for p in old_paths if p not in new_paths]
    fresh = {p for p in new_paths if p not in old_paths}
    if not gone or not fresh:
        return mapping
    keys_in = {p: {_key(new[i].text) for i in new_paths[p]} for p in fresh}
    scored: list[tuple[float, int, tuple[str, ...], tuple[str, ...]]] = []
    for order, p in enumerate(gone):
        mine = {_key(old[i].text) for i in old_paths[p]}
        for q, theirs in keys_in.items():
            shared = len(mine & theirs)
            if shared and shared >= CATEGORY_OVERLAP * min(len(mine), len(theirs)):
                scored.append((shared / max(len(mine), len(theirs)), -order, p, q))
    scored.sort(reverse=True)
    for _, _, p, q in scored:
        if p not in mapping and q in fresh:
            mapping[p] = q
            fresh.discard(q)
    return mapping


def _pair(old: Sequence[Task], new: Sequence[Task], cat_map: dict[tuple[str, ...], tuple[str, ...]],
          threshold: float) -> dict[int, tuple[int, float]]:
    """new index -> (old index, similarity)."""
    pair: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    new_keys = [_key(t.text) for t in new]
    old_keys = [_key(t.text) for t in old]

    def same_text(within: bool) -> None:
        free: dict[tuple[Any, str], list[int]] = {}
        for i, k in enumerate(old_keys):
            if i not in taken:
                free.setdefault((cat_map.get(old[i].path) if within else None, k), []).append(i)
        for j, k in enumerate(new_keys):
            if j in pair:
                continue
            candidates = free.get((new[j].path if within else None, k))
            if candidates:
                i = candidates.pop(0)
                pair[j] = (i, 1.0)
                taken.add(i)

    same_text(within=True)
    same_text(within=False)
    rest_old: dict[tuple[str, ...], list[int]] = {}
    for i, t in enumerate(old):
        if i not in taken and t.path in cat_map:
            rest_old.setdefault(cat_map[t.path], []).append(i)
    scored: list[tuple[float, int, int]] = []
    for j, t in enumerate(new):
        if j in pair:
            continue
        for i in rest_old.get(t.path, ()):
            matcher = SequenceMatcher(None, old_keys[i], new_keys[j], autojunk=False)
            if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold:
                ratio = matcher.ratio()
                if ratio >= threshold:
                    scored.append((ratio, i, j))
    scored.sort(key=lambda s: (-s[0], s[2], s[1]))
    for ratio, i, j in scored:
        if j not in pair and i not in taken:
            pair[j] = (i, ratio)
            taken.add(i)
    return pair


def _task_rows(old: Sequence[Task], new: Sequence[Task], pair: dict[int, tuple[int, float]],
               cat_map: dict[tuple[str, ...], tuple[str, ...]]) -> list[tuple[str, Task | None, Task | None,
                                                                            str, float]]:
    rows: list[tuple[str, Task | None, Task | None, str, float]] = []
    paired_old = {i: j for j, (i, _) in pair.items()}
    removed_after: dict[int, list[int]] = {}
    last = -1
    for i in range(len(old)):
        if i in paired_old:
            last = paired_old[i]
        else:
            removed_after.setdefault(last, []).append(i)
    rows.extend(("removed", old[i], None, "", 0.0) for i in removed_after.get(-1, ()))
    for j, t in enumerate(new):
        if j in pair:
            i, ratio = pair[j]
            o = old[i]
            fields = [f for f in _fields(o, t) if f != "text"]
            if "path" in fields and cat_map.get(o.path) == t.path:
                fields.remove("path")  # its category was renamed; the task stayed where it was
            rows.append(("kept" if ratio == 1.0 else "reworded", o, t, ", ".join(fields), ratio))
        else:
            rows.append(("added", None, t, "", 0.0))
        rows.extend(("removed", old[i], None, "", 0.0) for i in removed_after.get(j, ()))
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


def _categories_frame(old_paths: dict[tuple[str, ...], list[int]], new_paths: dict[tuple[str, ...], list[int]],
                      cat_map: dict[tuple[str, ...], tuple[str, ...]]) -> pd.DataFrame:
    pandas = pandas_module()
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


def compare(old: Plan, new: Plan, *, threshold: float = REWORD_THRESHOLD, lineage: bool = False) -> Comparison:
    """Compare last year's plan with this year's (see the module docstring for how tasks are matched).

    :param threshold: least text similarity (0–1) for a changed text to count as the same task reworded.
    :param lineage: map old unit names to their successors first (市卫计委 → 市卫生健康委, the
        2018–2019 reform; data in ``zwgk/data/lineage.toml``); ``Comparison.lineage`` lists the
        mappings applied.
    """
    pandas = pandas_module()
    if not 0.0 <= threshold <= 1.0:
        from zwgk.errors import ZwgkError

        raise ZwgkError(f"threshold must be between 0 and 1, not {threshold!r}")
    applied: tuple[Mapping, ...] = ()
    if lineage:
        (old, new), applied = apply_lineage([old, new])
    old_paths, new_paths = _by_path(old), _by_path(new)
    cat_map = _map_categories(old.tasks, new.tasks, old_paths, new_paths)
    pair = _pair(old.tasks, new.tasks, cat_map, threshold)
    rows = _task_rows(old.tasks, new.tasks, pair, cat_map)
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
    return Comparison(pandas.DataFrame(data), _categories_frame(old_paths, new_paths, cat_map),
                      _units(old, new), applied, threshold)
