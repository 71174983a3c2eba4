"""Units written at the end of each task's text, in a table with no unit column.

Some tables list their tasks with a 序号, the task and a deadline, and name the units inside the
task cell, as task paragraphs do: in a closing bracket (``推进财政预决算公开。（市财政局牵头，市审计局
配合）``) or in labels after the sentence (``做好政策解读。责任单位：市政府办公室``). The layout finds no
unit column there ("no unit column found"); :func:`inline_units` gives the grid the columns the
task cells name instead, with the same readings of brackets and labels the paragraph form uses
(:mod:`zwgk.table.paragraphs`), when most task cells carry them (:data:`MIN_INLINE_SHARE`): each
task cell keeps the text before its bracket or labels, and the units (and a deadline the table has
no column for) go to new columns at the table's right. The builder reads that grid; ``--explain``
says where those columns came from (:data:`INLINE_REASON`).
"""

from __future__ import annotations

from attrs import evolve

from zwgk.table.grid import Cell, Grid
from zwgk.table.layout import header_row
from zwgk.table.paragraphs import Label, trailing_units
from zwgk.vocabulary import HEADING, UNIT_ROLES, ColumnRole, classify, header_key

__all__ = ["INLINE_REASON", "MIN_INLINE_SHARE", "inline_units"]

#: The share of the task cells with text that must end in units for the table to be read so.
MIN_INLINE_SHARE = 0.5
#: Why a column made from the ends of the task cells holds what it holds (``--explain``).
INLINE_REASON = "no unit column: the units written at the end of each task's text (（…牵头） or 责任单位：…)"

_ORDER = (ColumnRole.LEAD, ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING, ColumnRole.DEADLINE)


def _starts(row: tuple[Cell, ...]) -> list[int]:
    """The grid column each cell of ``row`` starts in (a cell with no column follows the one before)."""
    out: list[int] = []
    end = 0
    for cell in row:
        start = cell.column if cell.column is not None else end
        out.append(start)
        end = start + cell.colspan
    return out


def inline_units(grid: Grid) -> tuple[Grid, int] | None:
    """``grid`` with the units its task cells end in as columns of their own, and the index of the
    first such column; ``None`` when the grid has a unit (or people) column, no task heading, or too
    few task cells ending in units."""
    h = header_row(grid)
    if h is None:
        return None
    if (grid.header_rows or 1) > 1 or any(c.rowspan > 1 for c in grid.rows[h]):
        return None
    header = grid.rows[h]
    roles = [classify(header_key(c.text))[0] for c in header]
    if any(r in UNIT_ROLES or r is ColumnRole.EXTRA for r in roles) or ColumnRole.TASK not in roles:
        return None
    task_col = _starts(header)[roles.index(ColumnRole.TASK)]
    has_deadline = ColumnRole.DEADLINE in roles
    split: dict[int, tuple[int, str, list[tuple[Label, str]]]] = {}  # row -> (cell index, text before, labels)
    with_text = 0
    for r in range(h + 1, len(grid.rows)):
        row = grid.rows[r]
        for i, start in enumerate(_starts(row)):
            if start != task_col or not row[i].text.strip():
                continue
            with_text += 1
            found = trailing_units(row[i].text)
            if found is not None and all(role in UNIT_ROLES or (role is ColumnRole.DEADLINE and not has_deadline)
                                         for role, _ in found[1]):
                split[r] = (i, found[0], found[1])
    if not split or len(split) < MIN_INLINE_SHARE * with_text:
        return None
    named = {label for _, _, labels in split.values() for label, _ in labels}
    new_roles = [role for role in _ORDER if role in named]
    width = grid.width
    explicit = all(c.column is not None for c in header)
    column_of = {role: width + k for k, role in enumerate(new_roles)}

    def cell(text: str, role: ColumnRole, like: Cell) -> Cell:
        return Cell(text, column=column_of[role] if explicit else None, position=like.position)

    rows = list(grid.rows)
    rows[h] = (*header, *(cell(HEADING[role], role, header[-1]) for role in new_roles))
    for r, (i, before, labels) in split.items():
        cells = list(rows[r])
        task = cells[i]
        cells[i] = evolve(task, text=before)
        values: dict[ColumnRole, list[str]] = {}
        for label, value in labels:
            if isinstance(label, ColumnRole):
                values.setdefault(label, []).append(value)
        if not explicit and _starts(tuple(cells))[-1] + cells[-1].colspan != width:
            return None  # a row the text form gives short: its new cells could not be placed
        # every new column gets a cell, empty where the task names no such role: the text form
        # places cells by their order
        cells.extend(cell("\n".join(values.get(role, ())), role, task) for role in new_roles)
        rows[r] = tuple(cells)
    return evolve(grid, rows=tuple(rows)), width
