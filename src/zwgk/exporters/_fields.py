"""Every piece of text a plan holds, named by task and field, for exporters that write or check them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from zwgk.errors import ExportError, Position
from zwgk.model import Metadata, Plan, Role, Task

__all__ = ["LONE_SURROGATE", "category_cell", "category_cell_notes", "lines_above", "plan_texts",
           "refuse_lone_surrogates", "task_position", "unread_metadata", "unwritten_notes"]

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


def category_cell_notes(plan: Plan, form: str) -> dict[tuple[str, ...], str]:
    """The plan's category notes by path, for a table form that writes each in its category's cell
    after the name and a 。 (:func:`category_cell`), as the reader parts a category cell
    (:func:`zwgk.table.paragraphs.heading_of`). Raises :class:`ExportError` for a note whose
    category no task is in (no cell carries it) or that would not read back as written (a name
    holding a 。, a note with spaces at its ends)."""
    from zwgk.table.paragraphs import heading_of

    unwritten_notes(plan, form)
    notes: dict[tuple[str, ...], str] = {}
    for note in plan.category_notes:
        name = note.path[-1]
        if heading_of(category_cell(name, note.text)) != (name, note.text):
            raise ExportError(f"category {'／'.join(note.path)!r} has a note ({note.text[:20]!r}) that {form} "
                              "cannot write so that it reads back (the name holds a 。, or the note is blank at an "
                              "end): write the list form (form='list'), Markdown or JSON")
        notes[note.path] = note.text
    return notes


def category_cell(name: str, note: str | None) -> str:
    """A category cell's text: the name, then its note after a 。 (the reader parts them there)."""
    return name if note is None else f"{name}。{note}"


def unwritten_notes(plan: Plan, form: str) -> None:
    """An :class:`ExportError` for a category note whose category no task is in: a form that writes
    a category's heading above its tasks has nowhere to write it."""
    categories = set(plan.categories())
    for note in plan.category_notes:
        if note.path not in categories:
            raise ExportError(f"category {'／'.join(note.path)!r} has a note but no task, so {form} writes no "
                              "heading to carry it")


def lines_above(plan: Plan, form: str) -> tuple[str, ...]:
    """The lines a document form writes above the tasks (the preamble, else the title alone), checked
    to give back the plan's title and metadata, which readers take from these lines alone
    (:meth:`~zwgk.model.Metadata.title_of`, :meth:`~zwgk.model.Metadata.from_title`). A title its
    preamble would not give, or metadata its title does not give (a region or year given to
    ``zwgk.load``), is an :class:`ExportError`."""
    lines = plan.preamble or ((plan.title,) if plan.title else ())
    if Metadata.title_of(lines) != plan.title:
        raise ExportError(f"the plan, title: {plan.title!r} would read back from {form} as "
                          f"{Metadata.title_of(lines)!r}, the title its preamble lines give")
    unread = unread_metadata(plan)
    if unread:
        raise ExportError(f"the plan, metadata: {unread} is not what its title gives, and {form} holds no "
                          "metadata but the title, so it would not read back: write JSON or CSV, or give "
                          "the same region and year to zwgk.load when reading the file")
    return lines


def unread_metadata(plan: Plan) -> str | None:
    """The plan's metadata that its title does not give (set by ``zwgk.load(region=…, year=…)`` or in
    code), in words (``region 某某市, level 市``), or ``None`` when the title gives all of it."""
    named = Metadata.from_title(plan.title)
    meta = plan.metadata
    differ = [(name, getattr(meta, name)) for name in ("region", "year", "level", "issuer")
              if getattr(meta, name) != getattr(named, name)]
    return ", ".join(f"{name} {value}" for name, value in differ) or None


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
