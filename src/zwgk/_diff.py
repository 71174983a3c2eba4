"""What changed between two plans (last year's table and this year's, or two drafts).

Tasks are paired by :mod:`zwgk._match`, the engine ``zwgk.analysis.compare`` uses too: the same
text within a category and then anywhere, then similar text within a category and then across
categories, best pair first, from ``REWORD_THRESHOLD`` up. Paired tasks report which fields
changed (category, text, units per role, deadline, ...); unpaired ones are added or removed.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterator

from attrs import field, frozen

from zwgk._match import REWORD_THRESHOLD, match_tasks, text_diff
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Role, Task

__all__ = ["ChangeKind", "NoteChange", "PlanDiff", "TaskChange", "diff"]


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
    similarity of the pair (1.0 for the same text, 0 for added/removed tasks; see
    :func:`zwgk._match.similarity`).
    """

    kind: ChangeKind
    old: Task | None
    new: Task | None
    fields: tuple[str, ...] = ()
    similarity: float = 0.0

    def text_diff(self) -> tuple[tuple[str, str], ...]:
        """The text's change character by character: ``(op, text)`` runs, ``op`` one of ``=``, ``-``, ``+``.

        ``("=", "推进")``, ``("-", "医疗")``, ``("+", "医疗卫生领域")`` …; the ``=`` and ``-`` runs
        give the old text, the ``=`` and ``+`` runs the new one. An added task is one ``+`` run, a
        removed one a ``-`` run.
        """
        return text_diff(self.old.text if self.old else "", self.new.text if self.new else "")

    def units_gained(self, role: Role) -> tuple[str, ...]:
        """Canonical names in ``role`` in the new task but not the old."""
        old = {u.name for u in self.old.units(role)} if self.old else set()
        return tuple(u.name for u in (self.new.units(role) if self.new else ()) if u.name not in old)

    def units_lost(self, role: Role) -> tuple[str, ...]:
        """Canonical names in ``role`` in the old task but not the new."""
        new = {u.name for u in self.new.units(role)} if self.new else set()
        return tuple(u.name for u in (self.old.units(role) if self.old else ()) if u.name not in new)


@frozen
class NoteChange:
    """A category's note (:class:`~zwgk.model.CategoryNote`) that differs between the plans: added
    (``old`` is ``None``), removed (``new`` is ``None``) or reworded. ``path`` is the category as the
    new plan names it (the old plan's, for a removed note)."""

    path: tuple[str, ...]
    old: str | None
    new: str | None


@frozen
class PlanDiff:
    """All task changes, in the new plan's order with removed tasks after their old neighbours.

    ``categories`` maps each old category path that has a counterpart to its new path (the same
    path, or the one it was renamed to); ``threshold`` is the least similarity of a pair.
    """

    changes: tuple[TaskChange, ...]
    categories: dict[tuple[str, ...], tuple[str, ...]] = field(factory=dict)
    threshold: float = REWORD_THRESHOLD
    #: The categories whose note differs, in the new plan's order, then removed ones.
    notes: tuple[NoteChange, ...] = ()

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
        """True when any task was added, removed or changed, or a category's note differs."""
        return bool(self.notes) or any(c.kind is not ChangeKind.UNCHANGED for c in self.changes)

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


def _fields(old: Task, new: Task) -> tuple[str, ...]:
    if old is new or old == new:  # equal tasks (ids too): nothing to name
        return ()
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


def diff(old: Plan, new: Plan, *, threshold: float = REWORD_THRESHOLD) -> PlanDiff:
    """Compare two plans task by task.

    :param threshold: the least text similarity (0–1) for two different texts to count as the same
        task changed rather than one removed and one added (``REWORD_THRESHOLD``, 0.6).
    """
    if not 0.0 <= threshold <= 1.0:
        raise ZwgkError(f"threshold must be between 0 and 1, not {threshold!r}")
    old_tasks, new_tasks = list(old.tasks), list(new.tasks)
    matching = match_tasks(old_tasks, new_tasks, threshold)
    pair = matching.pairs
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
    return PlanDiff(tuple(changes), matching.categories, threshold, _note_changes(old, new, matching.categories))


def _note_changes(old: Plan, new: Plan, renamed: dict[tuple[str, ...], tuple[str, ...]]) -> tuple[NoteChange, ...]:
    """The category notes that differ, each old category read under the name the new plan gives it
    (a renamed category's prefixes renamed alike)."""
    to_new: dict[tuple[str, ...], tuple[str, ...]] = {}
    for was, now in renamed.items():
        for k in range(1, min(len(was), len(now)) + 1):
            to_new.setdefault(was[:k], now[:k])
    before = {to_new.get(n.path, n.path): n.text for n in old.category_notes}
    after = {n.path: n.text for n in new.category_notes}
    out = [NoteChange(path, before.get(path), text) for path, text in after.items() if before.get(path) != text]
    out += [NoteChange(path, text, None) for path, text in before.items() if path not in after]
    return tuple(out)
