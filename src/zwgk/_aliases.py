"""Names two plans give one unit: 各设区市 in one year, 各设区市政府 the next.

A name is proposed as an alias of another when, in tasks the matching engine pairs across the two
plans (:mod:`zwgk._match`), the new name stands in the same role where the old one stood (the
names both tasks share set aside, the others taken in their order), the two names are written
alike (one holds the other, or their similarity reaches ``ALIAS_SIMILARITY``) and this happens in
at least ``MIN_ALIAS_TASKS`` pairs of tasks. Renames by a reform of government bodies are not
guessed here: :mod:`zwgk.units.lineage` holds them as data.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
from attrs import frozen

from zwgk._match import REWORD_THRESHOLD, match_tasks, similarity
from zwgk.model import Plan, Role, Task, UnitRef

__all__ = ["ALIAS_SIMILARITY", "MIN_ALIAS_TASKS", "AliasSuggestion", "apply_aliases", "suggest_aliases"]

#: Least similarity of two names (when neither holds the other) to be one unit written two ways.
ALIAS_SIMILARITY = 0.6
#: Pairs of tasks in which the new name must take the old one's place.
MIN_ALIAS_TASKS = 2


@frozen
class AliasSuggestion:
    """``old`` (as the old plan writes it) and ``new`` are proposed as one unit, with the evidence.

    ``tasks`` are the (old task id, new task id) pairs in which ``new`` took ``old``'s place, and
    ``roles`` the roles it did so in; ``old_left`` counts the new plan's tasks still naming
    ``old``, ``new_before`` the old plan's tasks already naming ``new``.
    """

    old: str
    new: str
    tasks: tuple[tuple[str, str], ...]
    roles: tuple[Role, ...]
    old_left: int = 0
    new_before: int = 0

    @property
    def evidence(self) -> str:
        """One line: ``in 6 paired tasks 各设区市政府 stands where 各设区市 stood (responsible)``."""
        roles = "、".join(r.value for r in self.roles)
        return (f"in {len(self.tasks)} paired tasks {self.new} stands where {self.old} stood ({roles}); "
                f"the new plan still names {self.old} in {self.old_left} tasks, "
                f"the old one named {self.new} in {self.new_before}")


def _alike(a: str, b: str) -> bool:
    return a in b or b in a or similarity(a, b) >= ALIAS_SIMILARITY


def _count(tasks: Sequence[Task]) -> dict[str, int]:
    out: dict[str, int] = {}
    for t in tasks:
        for name in {u.name for u in t.units()}:
            out[name] = out.get(name, 0) + 1
    return out


def suggest_aliases(old: Plan, new: Plan, *, threshold: float = REWORD_THRESHOLD) -> tuple[AliasSuggestion, ...]:
    """Names of ``old`` that ``new`` writes another way, most evidence first (see the module docstring)."""
    matching = match_tasks(old.tasks, new.tasks, threshold)
    found: dict[tuple[str, str], tuple[list[tuple[str, str]], dict[Role, None]]] = {}
    for j, (i, _) in sorted(matching.pairs.items()):
        a, b = old.tasks[i], new.tasks[j]
        for role in Role:
            before = [u.name for u in a.units(role)]
            after = [u.name for u in b.units(role)]
            lost = [n for n in before if n not in after]
            gained = [n for n in after if n not in before]
            for name in lost:
                match = next((g for g in gained if _alike(name, g)), None)
                if match is None:
                    continue
                gained.remove(match)
                tasks, roles = found.setdefault((name, match), ([], {}))
                if not tasks or tasks[-1] != (a.id, b.id):
                    tasks.append((a.id, b.id))
                roles[role] = None
    in_old, in_new = _count(old.tasks), _count(new.tasks)
    candidates = sorted(
        (AliasSuggestion(o, n, tuple(tasks), tuple(r for r in Role if r in roles), in_new.get(o, 0),
                         in_old.get(n, 0))
         for (o, n), (tasks, roles) in found.items() if len(tasks) >= MIN_ALIAS_TASKS),
        key=lambda s: (-len(s.tasks), s.old, s.new))
    out: list[AliasSuggestion] = []
    taken: set[str] = set()
    for s in candidates:  # each name in one suggestion, the best attested
        if s.old not in taken and s.new not in taken:
            out.append(s)
            taken.update((s.old, s.new))
    return tuple(out)


def apply_aliases(plan: Plan, suggestions: Sequence[AliasSuggestion]) -> Plan:
    """``plan`` with each suggestion's old name renamed to the new one (``as_written`` kept, ``note`` saying so)."""
    rename = {s.old: s.new for s in suggestions}
    if not rename:
        return plan

    def refs(units: tuple[UnitRef, ...]) -> tuple[UnitRef, ...]:
        out: dict[str, UnitRef] = {}
        for ref in units:
            if ref.name in rename:
                ref = attrs.evolve(ref, name=rename[ref.name], note=f"{ref.name} → {rename[ref.name]} (alias)")
            out.setdefault(ref.name, ref)
        return tuple(out.values())

    tasks = tuple(attrs.evolve(t, leads=refs(t.leads), responsible=refs(t.responsible),
                               cooperating=refs(t.cooperating))
                  if any(u.name in rename for u in t.units()) else t for t in plan.tasks)
    return attrs.evolve(plan, tasks=tasks)
