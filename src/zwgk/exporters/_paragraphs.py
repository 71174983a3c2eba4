"""A plan written as paragraphs (the form :mod:`zwgk.table.paragraphs` reads), for any exporter.

Headings are written where the path changes, a category's note after its name and a 。; each
task is its text as one paragraph (its requirement after a 。 when the text holds none, else on a
工作要求： line), then one labelled line per role it names (牵头单位： 责任单位： 配合单位：),
完成时限：, 备注： and its extra cells naming people (责任人：, 联系人：, the labels the reader takes
for them: :func:`~zwgk.table.paragraphs.names_people_as_label`). A task naming no unit gets an empty 责任单位:
line, so that it reads as a task. The written paragraphs are read back with the reader's own rules
before anything is returned: a plan they would not read back as it is (a heading without the
numbering that shows its depth, a serial its text does not start with, an extra column other than
people, a line the reader would take for a label or a heading) is an
:class:`~zwgk.errors.ExportError` naming the task and the field.
"""

from __future__ import annotations

from collections.abc import Sequence

from zwgk._numbering import split_numbering
from zwgk.errors import ExportError, Position
from zwgk.exporters._cells import unit_text
from zwgk.exporters._fields import lines_above, task_position, unwritten_notes
from zwgk.model import Metadata, Plan, Role, Task
from zwgk.table.paragraphs import ListTask, extra_headings, find_tasks, names_people_as_label, people_columns
from zwgk.vocabulary import HEADING, ColumnRole

__all__ = ["plan_paragraphs"]



def _task_paragraphs(task: Task) -> list[str]:
    text, requirement = task.text, task.requirement
    head = text
    labels: list[tuple[ColumnRole, str]] = []
    if requirement is not None and "。" not in text and "\n" not in requirement and requirement.strip():
        head = f"{text}。{requirement}"
    elif requirement is not None or "。" in text.rstrip("。"):
        # An empty 工作要求 line keeps a text with a 。 inside it whole.
        labels.append((ColumnRole.REQUIREMENT, requirement or ""))
    for role in Role:
        cell = unit_text(task, role)
        if cell:
            labels.append((role.column, cell))
    if task.deadline is not None:
        labels.append((ColumnRole.DEADLINE, task.deadline))
    if task.notes is not None:
        labels.append((ColumnRole.NOTES, task.notes))
    if not any(r in (ColumnRole.LEAD, ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING, ColumnRole.DEADLINE)
               for r, _ in labels):
        labels.append((ColumnRole.RESPONSIBLE, ""))
    return [head] + [f"{HEADING[r]}：{v}" for r, v in labels] + [f"{h}：{v}" for h, v in task.extra]


def _expected_serial(text: str) -> str | None:
    style, number, _ = split_numbering(text)
    return number if style in ("arabic-dot", "arabic-paren") else None


def _compare(task: Task, got: ListTask, people: Sequence[str]) -> str | None:
    """The first field ``got`` (read back) holds differently from ``task``, or ``None`` (``people``:
    the extra columns the reader makes of the labels naming people, in order)."""
    if tuple(p for p, _ in got.path) != task.path:
        return "category"
    if got.text.strip() != task.text:
        return "text"
    if (got.cell(ColumnRole.REQUIREMENT) or "").strip() != (task.requirement or ""):
        return "requirement"
    for role in Role:
        if (got.cell(role.column) or "").strip() != unit_text(task, role):
            return role.label
    if (got.cell(ColumnRole.DEADLINE) or "").strip() != (task.deadline or ""):
        return "deadline"
    if (got.cell(ColumnRole.NOTES) or "").strip() != (task.notes or ""):
        return "notes"
    # the builder reads a row's extra cells in the order of their columns
    placed = [h for _, h in sorted((k, h) for (k, _), (h, _) in zip(people_columns(got, people), got.extra,
                                                                     strict=True))]
    if got.extra != task.extra or placed != [h for h, _ in got.extra]:
        return "extra cells naming people (a heading twice, or in another order than other tasks')"
    return None


def plan_paragraphs(plan: Plan, *, lines: bool) -> list[str]:
    """The plan as paragraphs. With ``lines`` (the text form) each paragraph must be one line, and
    the check reads every line as a paragraph; otherwise a paragraph may hold line breaks."""
    unwritten_notes(plan, "the paragraph form")
    notes = {n.path: n.text for n in plan.category_notes}
    out: list[str] = list(lines_above(plan, "the paragraph form"))
    prev: tuple[str, ...] = ()
    owner: list[Task | None] = [None] * len(out)
    for task in plan.tasks:
        for heading, _value in task.extra:
            if not names_people_as_label(heading):
                raise ExportError(f"task {task.id}, extra column {heading!r}: the paragraph form writes only "
                                  "extra cells naming people, as labelled lines (责任人：…)", task_position(task))
        expected = _expected_serial(task.text)
        if task.serial is not None and expected != task.serial:
            raise ExportError(f"task {task.id}, serial: {task.serial!r} is not the number its text starts "
                              "with, and the paragraph form numbers a task in its text", task_position(task))
        if task.serial is None and expected is not None:
            raise ExportError(f"task {task.id}, serial: the task has none, but its text starts with {expected!r}, "
                              "which the paragraph form would read back as its serial", task_position(task))
        same = 0
        while same < min(len(prev), len(task.path)) and prev[same] == task.path[same]:
            same += 1
        for k in range(same, len(task.path)):
            note = notes.get(task.path[: k + 1])
            # a category's note follows its name after a 。 (the reader parts them there)
            out.append(task.path[k] if note is None else f"{task.path[k]}。{note}")
            owner.append(task)
        for paragraph in _task_paragraphs(task):
            out.append(paragraph)
            owner.append(task)
        prev = task.path
    out.extend(plan.epilogue)
    owner.extend([None] * len(plan.epilogue))
    _check(plan, out, owner, lines)
    return out


def _check(plan: Plan, out: Sequence[str], owner: Sequence[Task | None], lines: bool) -> None:
    paragraphs: list[tuple[str, Position]] = []
    whose: list[Task | None] = []
    for text, task in zip(out, owner, strict=True):
        parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if lines else [text]
        for part in parts:
            paragraphs.append((part, Position(line=len(paragraphs) + 1)))
            whose.append(task)
    found = find_tasks(paragraphs)
    people = extra_headings(found.tasks)
    for k, task in enumerate(plan.tasks):
        if k >= len(found.tasks):
            raise ExportError(f"task {task.id}: its paragraphs would not read back as a task (its text or a "
                              "heading above it reads as a label, a heading or prose)", task_position(task))
        field = _compare(task, found.tasks[k], people)
        if field is not None:
            raise ExportError(f"task {task.id}, {field}: the paragraph form would read it back differently "
                              "(a heading needs the numbering that shows its depth, 一、 （一） 1.; a text "
                              "must not look like a label, a heading or a unit list)", task_position(task))
    if len(found.tasks) > len(plan.tasks):
        extra = found.tasks[len(plan.tasks)].position.line or 1
        task = whose[extra - 1]
        who = f"task {task.id}" if task is not None else "the text around the tasks"
        raise ExportError(f"{who}: a paragraph would read back as a task of its own", task_position(task))
    if found.epilogue != tuple(plan.epilogue) or found.preamble != tuple(
            plan.preamble or ((plan.title,) if plan.title else ())):
        raise ExportError("the text around the tasks (preamble or epilogue) would read back differently "
                          "in the paragraph form")
    if {n.path: n.text for n in found.notes} != {n.path: n.text for n in plan.category_notes}:
        raise ExportError("a category's note would read back differently in the paragraph form (a category "
                          "name holding a 。, or a note the reader would take for the heading's)")
    if Metadata.title_of(found.preamble) != plan.title:
        raise ExportError(f"the title {plan.title!r} would read back as {Metadata.title_of(found.preamble)!r} in the "
                          "paragraph form")
