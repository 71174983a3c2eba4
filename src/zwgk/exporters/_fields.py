"""Every piece of text a plan holds, named by task and field, for exporters that write or check them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from zwgk.errors import ExportError, Position
from zwgk.model import Plan, Role, Task

__all__ = ["LONE_SURROGATE", "plan_texts", "refuse_category_notes", "refuse_lone_surrogates", "task_position",
           "unwritten_notes"]

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""A UTF-16 surrogate on its own: no Unicode encoding can write it."""


def task_position(task: Task | None) -> Position:
    """Where the task came from, when known."""
    return task.source if task is not None and task.source is not None else Position()


def plan_texts(plan: Plan) -> Iterator[tuple[Task | None, str, str]]:
    """``(task or None, field, text)`` for every string the plan holds, in document order."""
    for k, line in enumerate(plan.preamble):
        yield None, f"preamble line {k + 1}", line
    if plan.title is not None:
        yield None, "title", plan.title
    meta = plan.metadata
    for name in ("region", "issuer"):
        value = getattr(meta, name)
        if value is not None:
            yield None, f"metadata {name}", value
    for task in plan.tasks:
        yield task, "id", task.id
        for k, level in enumerate(task.path):
            yield task, f"category level {k + 1}", level
        yield task, "text", task.text
        for name in ("requirement", "serial", "deadline", "notes"):
            value = getattr(task, name)
            if value is not None:
                yield task, name, value
        for role in Role:
            for ref in task.units(role):
                yield task, f"{role.label} as written", ref.as_written
                yield task, f"{role.label} name", ref.name
                if ref.note is not None:
                    yield task, f"{role.label} note", ref.note
        for header, value in task.extra:
            yield task, f"extra column heading {header!r}", header
            yield task, f"extra column {header!r}", value
    for note in plan.category_notes:
        yield None, f"the note of category {'／'.join(note.path)!r}", note.text
    for k, line in enumerate(plan.epilogue):
        yield None, f"epilogue line {k + 1}", line


def refuse_category_notes(plan: Plan, form: str) -> None:
    """An :class:`ExportError` naming the first category note, for a form with no place for one (a
    table: its categories are cells)."""
    if plan.category_notes:
        note = plan.category_notes[0]
        raise ExportError(f"category {'／'.join(note.path)!r} has a note ({note.text[:20]!r}), which {form} has "
                          "no place for: write the list form (form='list'), Markdown or JSON")


def unwritten_notes(plan: Plan, form: str) -> None:
    """An :class:`ExportError` for a category note whose category no task is in: a form that writes
    a category's heading above its tasks has nowhere to write it."""
    categories = set(plan.categories())
    for note in plan.category_notes:
        if note.path not in categories:
            raise ExportError(f"category {'／'.join(note.path)!r} has a note but no task, so {form} writes no "
                              "heading to carry it")


def refuse_lone_surrogates(plan: Plan, format_name: str) -> None:
    """Raise :class:`ExportError` naming the first task and field holding a lone surrogate."""
    for task, field, text in plan_texts(plan):
        m = LONE_SURROGATE.search(text)
        if m is not None:
            who = f"task {task.id}" if task is not None else "the plan"
            raise ExportError(
                f"{who}, {field}: holds a lone surrogate (U+{ord(m.group()):04X} at character "
                f"{m.start() + 1}), which {format_name} cannot encode",
                task_position(task),
            )
