"""A role's units written as one table cell, the way the unit splitter reads it back."""

from __future__ import annotations

from zwgk.model import Role, Task
from zwgk.units.written import closes_list, list_separators

__all__ = ["unit_text"]


def unit_text(task: Task, role: Role) -> str:
    """The units of ``role`` as one cell, as the splitter reads it back.

    Names are written as they were (``as_written``) joined by 、 (``；`` where a level prefix must not
    carry on: :func:`~zwgk.units.written.list_separators`); a closing collective written with
    its 等 (``等相关部门（单位）``) follows the name before it directly; an open list whose 等 is
    not part of any name written (at its end or in the middle) gets one at the end.
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
    return text
