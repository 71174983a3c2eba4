"""What the built-in checks derive from a plan alone, worked out once per plan and shared by the
checks of one run.

Several checks walk the same things: every unit name of a plan with the tasks naming it (the
unknown-name checks, the collective-overlap check), every unit as written with the tasks writing
it (the near-duplicate check), the tasks naming one unit twice (the role-conflict check), the
references with a note (the OCR correction check), each task's text without whitespace (the
empty-task and repeated-task checks), the plan's region and level (both unknown-name checks).
The references are walked once for all of these (:attr:`PlanWalk._references`).
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

__all__ = ["PlanWalk", "Spelling", "Usage", "squeeze", "walk_of", "walking"]

_ZERO_WIDTH = ("\u200b", "\ufeff")  # no whitespace to str.split, but taken out as whitespace is


def squeeze(text: str | None) -> str:
    """``text`` without whitespace of any kind (ideographic and no-break spaces, zero-width spaces).

    ``str.split`` splits at every character ``str.isspace`` holds true of (``\\s`` in a pattern);
    a third of the time of a pattern's substitution."""
    if not text:
        return ""
    if " " not in text and text.isprintable():  # every other whitespace character and both
        return text  # zero-width ones are unprintable: nothing to take out (most task texts)
    out = "".join(text.split())
    for c in _ZERO_WIDTH:
        if c in out:
            out = out.replace(c, "")
    return out


class Usage:
    """Where one unit name is used in a plan: the reference first naming it (table order: task by
    task, lead, responsible, cooperating) and the tasks naming it (each once, in table order)."""

    __slots__ = ("first", "tasks")

    def __init__(self, first: UnitRef, task: Task) -> None:
        self.first = first
        self.tasks = [task]

    @property
    def written(self) -> str:
        """How the name was first written (whitespace runs as one space)."""
        return " ".join(self.first.as_written.split())


Spelling = str | tuple[str, str]
"""A unit as written: its ``as_written`` text, with its note when it has one."""


class _References:
    """What one pass over a plan's references finds (see :class:`PlanWalk`)."""

    __slots__ = ("mixed_kinds", "noted", "repeated", "spelled", "usage")

    def __init__(self) -> None:
        self.usage: dict[str, Usage] = {}
        self.spelled: dict[Spelling, list[Task]] = {}
        self.noted: list[tuple[Task, UnitRef]] = []
        self.repeated: list[Task] = []
        self.mixed_kinds = False


class PlanWalk:
    """What the built-in checks derive from ``plan`` alone, each part worked out on first use."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    @property
    def usage(self) -> dict[str, Usage]:
        """Each unit name of the plan, in order of first mention, with where it is used."""
        return self._references.usage

    @property
    def spelled(self) -> dict[Spelling, list[Task]]:
        """Each unit as written (with its note, when it has one), in order of first mention, with
        the tasks writing it (each once, in table order)."""
        return self._references.spelled

    @property
    def noted(self) -> list[tuple[Task, UnitRef]]:
        """Each reference of the plan with a note (most have none), with its task, in table order."""
        return self._references.noted

    @property
    def repeated(self) -> list[Task]:
        """The tasks naming one unit name more than once (in one role or in two), in table order:
        the only tasks where a unit can be in two roles."""
        return self._references.repeated

    @property
    def mixed_kinds(self) -> bool:
        """Whether references naming one unit name differ in kind (one name, one kind, as a rule)."""
        return self._references.mixed_kinds

    @cached_property
    def _references(self) -> _References:
        """:attr:`usage`, :attr:`spelled`, :attr:`noted`, :attr:`repeated` and :attr:`mixed_kinds`,
        found in one pass over the plan's references."""
        found = _References()
        usage, spelled, noted, repeated = found.usage, found.spelled, found.noted, found.repeated
        using, spelling = usage.get, spelled.get
        mixed = False
        for task in self.plan.tasks:
            for ref in task.leads + task.responsible + task.cooperating:  # task.units(), without the call
                use = using(ref.name)
                if use is None:
                    usage[ref.name] = Usage(ref, task)
                else:
                    if use.tasks[-1] is not task:
                        use.tasks.append(task)
                    elif not repeated or repeated[-1] is not task:  # a name twice in one task
                        repeated.append(task)
                    if ref.kind is not use.first.kind:
                        mixed = True
                note = ref.note
                if note is None:
                    key: Spelling = ref.as_written
                else:
                    key = (ref.as_written, note)
                    noted.append((task, ref))
                tasks = spelling(key)
                if tasks is None:
                    spelled[key] = [task]
                elif tasks[-1] is not task:
                    tasks.append(task)
        found.mixed_kinds = mixed
        return found

    def in_order(self, *lists: list[Task]) -> list[Task]:
        """The tasks of ``lists`` (each in table order, as :attr:`usage` and :attr:`spelled` give
        them), each once, in table order."""
        if len(lists) == 1:
            return lists[0]
        position = self._position
        return sorted({id(t): t for tasks in lists for t in tasks}.values(), key=lambda t: position[id(t)])

    @cached_property
    def _position(self) -> dict[int, int]:
        """Each task's place in the plan, by the task's ``id()`` (tasks are told apart by identity)."""
        return {id(task): i for i, task in enumerate(self.plan.tasks)}

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
