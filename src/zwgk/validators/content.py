"""Checks on task content: repeated tasks, empty task text, deadlines that are not dates.

Codes ZW301–ZW303; see ``docs/validators.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from zwgk._deadline import readable_deadline
from zwgk.hookspecs import hookimpl
from zwgk.model import Plan, Task
from zwgk.units import UnitRegistry
from zwgk.validators._core import Validator
from zwgk.validators._report import Finding, Severity
from zwgk.validators._walk import squeeze, walk_of

__all__ = ["duplicate_task", "empty_task", "unreadable_deadline"]

def _where(task: Task) -> str:
    if task.source is not None and task.source.row is not None:
        return f"row {task.source.row}"
    return f"task {task.id}"


def duplicate_task(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """The same task text (and requirement) twice in one plan, ignoring whitespace and line breaks."""
    texts = walk_of(plan).texts
    written = [text for text in texts if text]
    if len(set(written)) == len(written):  # most plans: no text twice, so no task twice
        return
    first: dict[tuple[str, str], Task] = {}
    for task, text in zip(plan.tasks, texts, strict=True):
        if not text:
            continue
        key = (text, squeeze(task.requirement))
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
    for task, text in zip(plan.tasks, walk_of(plan).texts, strict=True):
        if not text:
            yield Finding.at(
                task,
                "the task text is empty",
                units=list(dict.fromkeys(r.name for r in task.units())),
                hint="fill in the task text; if the row continues the task above, merge the cells",
            )


def unreadable_deadline(plan: Plan, registry: UnitRegistry) -> Iterator[Finding]:
    """A deadline (完成时限) that reads neither as a date nor as a period."""
    for task in plan.tasks:
        if task.deadline is not None and squeeze(task.deadline) and not readable_deadline(task.deadline):
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
