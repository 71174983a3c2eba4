"""What the built-in checks derive from a plan alone, worked out once per plan and shared by the
checks of one run.

Several checks walk the same things: every unit name of a plan with the tasks naming it (the
unknown-name checks, the collective-overlap check), the references with a note (the OCR
correction check), each task's text without whitespace (the
empty-task and repeated-task checks), the plan's region and level (both unknown-name checks).
:func:`zwgk.validators.run` makes one :class:`PlanWalk` for the plan it checks and every built-in
check asks it through :func:`walk_of`, so each of these is worked out once per plan, by the first
check that needs it, instead of once per check.

A check called on its own (``validator.check(plan, registry)``, outside a run, or a run of
another plan) gets a walk of its own: the same results, worked out for it alone. Third-party
checks are called as before and never see a walk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property

from zwgk.model import Plan, Task, UnitRef
from zwgk.units.shapes import prevailing_level

__all__ = ["PlanWalk", "Usage", "squeeze", "walk_of", "walking"]

_ZERO_WIDTH = ("\u200b", "\ufeff")  # no whitespace to str.split, but taken out as whitespace is


def squeeze(text: str | None) -> str:
    """``text`` without whitespace of any kind (ideographic and no-break spaces, zero-width spaces).

    ``str.split`` splits at every character ``str.isspace`` holds true of (``\\s`` in a pattern);
    a third of the time of a pattern's substitution."""
    if not text:
        return ""
    out = "".join(text.split())
    for c in _ZERO_WIDTH:
        if c in out:
            out = out.replace(c, "")
    return out


class Usage:
    """Where one unit name is used in a plan: the reference first naming it (table order: task by
    task, lead, responsible, cooperating), how it was first written (whitespace runs as one space),
    and the tasks naming it (each once, in table order)."""

    __slots__ = ("first", "tasks", "written")

    def __init__(self, first: UnitRef) -> None:
        self.first = first
        self.written = " ".join(first.as_written.split())
        self.tasks: list[Task] = []


class PlanWalk:
    """What the built-in checks derive from ``plan`` alone, each part worked out on first use."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    @cached_property
    def usage(self) -> dict[str, Usage]:
        """Each unit name of the plan, in order of first mention, with where it is used."""
        return self._references[0]

    @cached_property
    def noted(self) -> list[tuple[Task, UnitRef]]:
        """Each reference of the plan with a note (most have none), with its task, in table order."""
        return self._references[1]

    @cached_property
    def _references(self) -> tuple[dict[str, Usage], list[tuple[Task, UnitRef]]]:
        """:attr:`usage` and :attr:`noted`, found in one pass over the plan's references."""
        out: dict[str, Usage] = {}
        noted: list[tuple[Task, UnitRef]] = []
        for task in self.plan.tasks:
            for refs in (task.leads, task.responsible, task.cooperating):
                for ref in refs:  # a name twice in one task: the task is listed once
                    use = out.get(ref.name)
                    if use is None:
                        use = out[ref.name] = Usage(ref)
                    if not use.tasks or use.tasks[-1] is not task:
                        use.tasks.append(task)
                    if ref.note is not None:
                        noted.append((task, ref))
        return out, noted

    @cached_property
    def texts(self) -> list[str]:
        """Each task's text without whitespace (:func:`squeeze`), in table order."""
        return [squeeze(task.text) for task in self.plan.tasks]

    @cached_property
    def scope(self) -> tuple[str | None, str | None]:
        """The plan's region and level: from its metadata, the level else from its units' prefixes."""
        meta = self.plan.metadata
        level = meta.level
        if level is None:
            level = prevailing_level(ref.name for task in self.plan.tasks
                                     for refs in (task.leads, task.responsible, task.cooperating) for ref in refs)
        return meta.region, level


_current: ContextVar[PlanWalk | None] = ContextVar("zwgk_plan_walk", default=None)


@contextmanager
def walking(plan: Plan) -> Iterator[PlanWalk]:
    """While the block runs, :func:`walk_of` ``plan`` is one shared walk (what a run does)."""
    walk = PlanWalk(plan)
    token = _current.set(walk)
    try:
        yield walk
    finally:
        _current.reset(token)


def walk_of(plan: Plan) -> PlanWalk:
    """The walk of ``plan`` shared by the checks of the run checking it, or a walk of its own."""
    walk = _current.get()
    return walk if walk is not None and walk.plan is plan else PlanWalk(plan)
