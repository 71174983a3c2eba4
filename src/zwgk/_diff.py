"""What changed between two plans (last year's table and this year's, or two drafts).

Tasks are paired first by identical text (whitespace ignored), then by similar text: the pair with
the highest similarity above a threshold is taken first. Paired tasks report which fields changed
(category, text, units per role, deadline, ...); unpaired ones are added or removed.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterator
from difflib import SequenceMatcher

from attrs import frozen

from zwgk.model import Plan, Role, Task

__all__ = ["ChangeKind", "PlanDiff", "TaskChange", "diff"]

_WS = re.compile(r"\s+")


class ChangeKind(str, enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@frozen
class TaskChange:
    """One task of either plan and what happened to it.

    ``fields`` names what differs for a changed task: ``path``, ``text``, ``requirement``,
    ``deadline``, ``serial``, ``lead``, ``responsible``, ``cooperating``. ``similarity`` is the text
    similarity of the pair (1.0 for identical text, 0 for added/removed tasks).
    """

    kind: ChangeKind
    old: Task | None
    new: Task | None
    fields: tuple[str, ...] = ()
    similarity: float = 0.0

    def units_gained(self, role: Role) -> tuple[str, ...]:
        """Canonical names in ``role`` in the new task but not the old."""
        old = {u.name for u in self.old.units(role)} if self.old else set()
        return tuple(u.name for u in (self.new.units(role) if self.new else ()) if u.name not in old)

    def units_lost(self, role: Role) -> tuple[str, ...]:
        """Canonical names in ``role`` in the old task but not the new."""
        new = {u.name for u in self.new.units(role)} if self.new else set()
        return tuple(u.name for u in (self.old.units(role) if self.old else ()) if u.name not in new)


@frozen
class PlanDiff:
    """All task changes, in the new plan's order with removed tasks after their old neighbours."""

    changes: tuple[TaskChange, ...]

    def __iter__(self) -> Iterator[TaskChange]:
        return iter(self.changes)

    def of(self, kind: ChangeKind) -> tuple[TaskChange, ...]:
        return tuple(c for c in self.changes if c.kind is kind)

    @property
    def added(self) -> tuple[TaskChange, ...]:
        return self.of(ChangeKind.ADDED)

    @property
    def removed(self) -> tuple[TaskChange, ...]:
        return self.of(ChangeKind.REMOVED)

    @property
    def changed(self) -> tuple[TaskChange, ...]:
        return self.of(ChangeKind.CHANGED)

    @property
    def unchanged(self) -> tuple[TaskChange, ...]:
        return self.of(ChangeKind.UNCHANGED)

    def counts(self) -> dict[str, int]:
        c = Counter(ch.kind.value for ch in self.changes)
        return {k.value: c.get(k.value, 0) for k in ChangeKind}

    @property
    def differs(self) -> bool:
        """True when any task was added, removed or changed."""
        return any(c.kind is not ChangeKind.UNCHANGED for c in self.changes)

    def _names(self, side: str) -> dict[str, None]:
        out: dict[str, None] = {}
        for c in self.changes:
            task: Task | None = getattr(c, side)
            if task is not None:
                out.update(dict.fromkeys(u.name for u in task.units()))
        return out

    def units_gained(self) -> tuple[str, ...]:
        """Canonical names the new plan names (in any role) and the old one does not, in order of mention."""
        old = self._names("old")
        return tuple(n for n in self._names("new") if n not in old)

    def units_lost(self) -> tuple[str, ...]:
        """Canonical names the old plan names and the new one does not."""
        new = self._names("new")
        return tuple(n for n in self._names("old") if n not in new)

    def lead_changes(self) -> dict[str, tuple[int, int]]:
        """Per unit: (tasks it newly leads, tasks it no longer leads), counting added/removed tasks."""
        out: dict[str, list[int]] = {}
        for ch in self.changes:
            for name in ch.units_gained(Role.LEAD):
                out.setdefault(name, [0, 0])[0] += 1
            for name in ch.units_lost(Role.LEAD):
                out.setdefault(name, [0, 0])[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items(), key=lambda kv: (-sum(kv[1]), kv[0]))}


def _key(text: str) -> str:
    return _WS.sub("", text)


def _fields(old: Task, new: Task) -> tuple[str, ...]:
    out: list[str] = []
    if old.path != new.path:
        out.append("path")
    if old.text != new.text:
        out.append("text")
    for name in ("requirement", "deadline", "serial"):
        if getattr(old, name) != getattr(new, name):
            out.append(name)
    for role in Role:
        if [u.name for u in old.units(role)] != [u.name for u in new.units(role)] or (
            old.is_open(role) != new.is_open(role)
        ):
            out.append(role.value)
    return tuple(out)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def diff(old: Plan, new: Plan, *, threshold: float = 0.6) -> PlanDiff:
    """Compare two plans task by task.

    :param threshold: the least text similarity (0–1, difflib's ratio) for two different texts to
        count as the same task changed rather than one removed and one added.
    """
    old_tasks, new_tasks = list(old.tasks), list(new.tasks)
    pair: dict[int, tuple[int, float]] = {}  # new index -> (old index, similarity)
    by_key: dict[str, list[int]] = {}
    for i, t in enumerate(old_tasks):
        by_key.setdefault(_key(t.text), []).append(i)
    for j, t in enumerate(new_tasks):
        candidates = by_key.get(_key(t.text))
        if candidates:
            pair[j] = (candidates.pop(0), 1.0)
    taken_old = {i for i, _ in pair.values()}
    rest_old = [i for i in range(len(old_tasks)) if i not in taken_old]
    rest_new = [j for j in range(len(new_tasks)) if j not in pair]
    # Similar texts: an inverted bigram index limits the comparisons to texts sharing content.
    grams = {i: _bigrams(_key(old_tasks[i].text)) for i in rest_old}
    index: dict[str, set[int]] = {}
    for i, gs in grams.items():
        for g in gs:
            index.setdefault(g, set()).add(i)
    scored: list[tuple[float, int, int]] = []
    for j in rest_new:
        text = _key(new_tasks[j].text)
        mine = _bigrams(text)
        shared: Counter[int] = Counter()
        for g in mine:
            for i in index.get(g, ()):
                shared[i] += 1
        for i, n in shared.most_common(20):
            if n / max(len(mine), len(grams[i])) < threshold / 2:
                break
            matcher = SequenceMatcher(None, _key(old_tasks[i].text), text, autojunk=False)
            if matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                scored.append((ratio, i, j))
    scored.sort(key=lambda s: (-s[0], s[2], s[1]))
    used_old: set[int] = set()
    for ratio, i, j in scored:
        if j in pair or i in used_old:
            continue
        pair[j] = (i, ratio)
        used_old.add(i)
    paired_old = {i for i, _ in pair.values()}

    changes: list[TaskChange] = []
    removed_after: dict[int, list[int]] = {}  # old indexes to report after a new index
    last_new = -1
    old_to_new = {i: j for j, (i, _) in pair.items()}
    for i in range(len(old_tasks)):
        if i in old_to_new:
            last_new = old_to_new[i]
        else:
            removed_after.setdefault(last_new, []).append(i)
    for i in removed_after.get(-1, []):
        changes.append(TaskChange(ChangeKind.REMOVED, old_tasks[i], None))
    for j, t in enumerate(new_tasks):
        if j in pair:
            i, ratio = pair[j]
            fields = _fields(old_tasks[i], t)
            kind = ChangeKind.CHANGED if fields else ChangeKind.UNCHANGED
            changes.append(TaskChange(kind, old_tasks[i], t, fields, ratio))
        else:
            changes.append(TaskChange(ChangeKind.ADDED, None, t))
        for i in removed_after.get(j, []):
            if i not in paired_old:
                changes.append(TaskChange(ChangeKind.REMOVED, old_tasks[i], None))
    return PlanDiff(tuple(changes))
