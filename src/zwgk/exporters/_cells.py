"""A role's units written as one table cell, the way the unit splitter reads it back."""

from __future__ import annotations

import re

from zwgk.errors import ExportError
from zwgk.model import Role, Task
from zwgk.units import default_registry
from zwgk.units.written import closes_list, list_separators

__all__ = ["unit_text"]


def unit_text(task: Task, role: Role) -> str:
    """The units of ``role`` as one cell, as the splitter reads it back.

    Names are written as they were (``as_written``) joined by 、 (``；`` where a level prefix must not
    carry on: :func:`~zwgk.units.written.list_separators`); a closing collective written with
    its 等 (``等相关部门（单位）``) follows the name before it directly; an open list whose 等 is
    not part of any name written (at its end or in the middle) gets one at the end.

    A name written over several lines (``市自然资源和⏎规划局``) is read back by how the splitter cuts
    the whole cell at its line breaks, which the names around it decide: such a cell is split again
    here, and a cell that would not read back as the names written is refused (:class:`ExportError`).
    """
    refs = task.units(role)
    text = ""
    closed = False
    for ref, sep in zip(refs, list_separators(refs), strict=True):
        written = ref.as_written
        starts = written.startswith("等")
        closed = closed or starts or written.rstrip().endswith("等") or closes_list(written)
        text += written if starts else sep + written
    if not closed and role in task.open_roles:
        text += "等"
    names = [ref.as_written for ref in refs]
    if any(_SOFT_BOUNDARY.search(name) for name in names):
        back = [ref.as_written for ref in default_registry().split(text)]
        if back != names:
            raise ExportError(f"task {task.id}: the {role.value} units {names!r} would read back as "
                              f"{back!r}: a name written over several lines is cut otherwise beside "
                              f"the names around it")
    return text


#: Where the splitter may cut a cell without a separator (spaces and line breaks): see zwgk.units.
_SOFT_BOUNDARY = re.compile(r"\s")
