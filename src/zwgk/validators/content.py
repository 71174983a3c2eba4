"""Checks on task content: repeated tasks, empty task text, deadlines that are not dates.

Codes ZW301–ZW303; see ``docs/validators.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from zwgk._deadline import readable_deadline
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Task
from zwgk.units import UnitRegistry
from zwgk.validators._core import Validator
from zwgk.validators._report import Finding, Severity

__all__ = ["duplicate_task", "empty_task", "unreadable_deadline"]

_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def _squeeze(text: str | None) -> str:
    return _SPACE_RE.sub("", text or "")


def _where(task: Task) -> str:
    if task.source is not None and task.source.row is not None:
        return f"row {task.source.row}"
    return f"task {task.id}"


def duplicate_task(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """The same task text (and requirement) twice in one plan, ignoring whitespace and line breaks."""
    first: dict[tuple[str, str], Task] = {}
    for task in plan.tasks:
        key = (_squeeze(task.text), _squeeze(task.requirement))
        if not key[0]:
            continue
        earlier = first.setdefault(key, task)
        if earlier is task:
            continue
        elsewhere = "" if earlier.path == task.path else f" (under {' / '.join(earlier.path) or 'no heading'})"
        yield Finding.at(
            task,
            f"the same task text as {_where(earlier)}{elsewhere}",
            units=list(dict.fromkeys(r.name for r in earlier.units() + task.units())),
            hint="delete the repeated row, or merge the units of both rows into one task",
        )


def empty_task(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A task row with no task text."""
    for task in plan.tasks:
        if not _squeeze(task.text):
            yield Finding.at(
                task,
                "the task text is empty",
                units=list(dict.fromkeys(r.name for r in task.units())),
                hint="fill in the task text; if the row continues the task above, merge the cells",
            )


def unreadable_deadline(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A deadline (完成时限) that reads neither as a date nor as a period."""
    for task in plan.tasks:
        if task.deadline is not None and _squeeze(task.deadline) and not readable_deadline(task.deadline):
            shown = " ".join(task.deadline.split())
            yield Finding.at(
                task,
                f"the deadline {shown!r} is not a date or a period",
                hint="write a date (2020年6月底前) or a period (每季度, 长期坚持); "
                     "a unit name here usually means the columns slipped",
            )


VALIDATORS = (
    Validator("ZW301", "duplicate-task", Severity.WARNING, duplicate_task,
              "the same task text twice in one plan"),
    Validator("ZW302", "empty-task", Severity.ERROR, empty_task, "a task row with no task text"),
    Validator("ZW303", "unreadable-deadline", Severity.WARNING, unreadable_deadline,
              "a deadline that is neither a date nor a period"),
)


@hookimpl
def register_validators(register: Callable[[Validator], None]) -> None:
    for v in VALIDATORS:
        register(v)
