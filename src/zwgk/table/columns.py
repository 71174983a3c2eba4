"""What a layout is: the role each grid column plays (:class:`Column`) and the header it was read
from (:class:`Layout`). Deciding it is :mod:`zwgk.table.layout`'s job (from the headings) and
:mod:`zwgk.table.content`'s (from the cells, where the headings cannot tell)."""

from __future__ import annotations

from collections.abc import Sequence

from attrs import field, frozen

from zwgk.table.grid import Cell
from zwgk.vocabulary import ColumnRole, header_key

__all__ = ["Column", "Layout", "number_levels"]


@frozen
class Column:
    index: int
    role: ColumnRole
    header: str
    level: int | None = None  # 1-based, for LEVEL columns
    #: Why the column has its role: its heading, its place beside other headings, or its content.
    reason: str = field(default="", eq=False)


@frozen
class Layout:
    columns: tuple[Column, ...]
    header_rows: int  # how many grid rows the header takes (from the top of the grid)
    header_start: int  # index of the first header row
    width: int
    #: The header rows as placed on the columns (a spanning heading repeated on each column it covers).
    header: tuple[tuple[Cell | None, ...], ...] = ()
    #: The roles decided from the cells' content rather than the headings, one sentence each
    #: (which reading was taken and the counts that decided it), for ``zwgk parse --explain``.
    decisions: tuple[str, ...] = ()

    @property
    def levels(self) -> int:
        return sum(1 for c in self.columns if c.role is ColumnRole.LEVEL)

    @property
    def roles(self) -> tuple[ColumnRole, ...]:
        """Each column's role, in order: what placing a row needs to know of the layout."""
        return tuple(c.role for c in self.columns)

    @property
    def first_data_row(self) -> int:
        """Index of the first grid row below the header."""
        return self.header_start + self.header_rows

    def find(self, role: ColumnRole) -> Column | None:
        for c in self.columns:
            if c.role is role:
                return c
        return None

    def explain(self) -> list[str]:
        """One line per column: its number, heading, role (and level) and why."""
        lines = []
        for c in self.columns:
            role = f"{c.role.value} {c.level}" if c.level is not None else c.role.value
            why = c.reason or "named by its heading"
            lines.append(f"column {c.index + 1} {c.header or '(no heading)'}: {role} ({why})")
        return lines

    def header_keys(self) -> frozenset[tuple[str, ...]]:
        """The keys (:func:`header_key`) of each header row's cells in order: what a repeated header shows."""
        keys: set[tuple[str, ...]] = set()
        for placed in self.header:
            row: list[str] = []
            prev: Cell | None = None
            for cell in placed:
                if cell is not None and cell is not prev:
                    row.append(header_key(cell.text))
                prev = cell
            keys.add(tuple(row))
        return frozenset(keys)


def number_levels(columns: Sequence[Column]) -> list[Column]:
    """The columns with their LEVEL columns numbered 1, 2, … from the left."""
    out: list[Column] = []
    level = 0
    for c in columns:
        lvl = None
        if c.role is ColumnRole.LEVEL:
            level += 1
            lvl = level
        out.append(Column(c.index, c.role, c.header, lvl, c.reason))
    return out
