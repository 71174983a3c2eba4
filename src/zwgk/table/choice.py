"""Which grids a reader yields for a document: its tables, or the grid its paragraphs write.

A document may hold task tables, task paragraphs (:mod:`zwgk.table.paragraphs`), both or neither;
the reader option ``layout`` (``"table"``, ``"list"``) decides, and by default a task table wins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from zwgk.errors import LayoutError, ParseError, Position
from zwgk.table.grid import Grid
from zwgk.table.paragraphs import LOOKED_FOR, Paragraph, ReadLayout, find_tasks, grid_of

__all__ = ["choose_grids"]


def _is_task_table(grid: Grid) -> bool:
    """Whether the layout finds a header row in ``grid`` (the cheap first step of the layout: the
    builder lays the table out in full, and names what is missing)."""
    from zwgk.table.layout import find_header

    try:
        find_header(grid)
    except LayoutError:
        return False
    return True


def choose_grids(
    tables: Sequence[Grid],
    paragraphs: Callable[[], Sequence[Paragraph]],
    source: str | None,
    layout: ReadLayout | None,
    no_table: str,
) -> list[Grid]:
    """What a reader yields: the tables, or the grid its paragraphs write.

    ``layout="table"`` reads only the tables and ``"list"`` only the paragraphs. By default the
    tables are read when one of them is a task table (a header the layout recognises); otherwise
    the paragraphs are, and when they hold no task either the tables are returned for the builder
    to name what it found in them, or, with no table at all, a :class:`~zwgk.errors.ParseError`
    says what was looked for (``no_table`` first: the reader's "no table found" message).
    """
    where = Position(file=source)
    if layout not in (None, "table", "list"):
        raise ParseError(f"layout must be 'table' or 'list', not {layout!r}", where)
    if layout == "table" or (layout is None and any(_is_task_table(g) for g in tables)):
        if not tables:
            raise ParseError(no_table, where)
        return list(tables)
    found = find_tasks(paragraphs())
    if found.tasks:
        return [grid_of(found, source)]
    if tables and layout is None:
        return list(tables)
    raise ParseError(f"{no_table}; {LOOKED_FOR}" if layout is None else LOOKED_FOR.replace(
        "no task paragraphs either: ", "no task paragraphs found: "), where)
