"""The format-blind form of a table: rows of :class:`Cell` with spans and source positions.

Every reader produces :class:`Grid` objects; only the builder turns a grid into a plan. A merged
cell appears once, in its first row and column, with ``rowspan``/``colspan`` saying how far it
reaches; the rows it covers below hold no cell for those columns. Readers that cannot see merges
(the text form) give each row the cells they see; the builder resolves rows that are too short.
"""

from __future__ import annotations

from attrs import field, frozen

from zwgk.errors import Position

__all__ = ["MAX_COLUMNS", "MAX_SPAN", "Cell", "Grid"]

#: The widest grid a reader may produce (grid columns, spans included). Real task tables have
#: 3 to 12 columns; a wider "table" is a corrupt or hostile file, refused before any work is done.
MAX_COLUMNS = 1000
#: The largest row or column span a cell may declare (``rowspan``/``colspan``, ``w:gridSpan``,
#: ``w:gridBefore``). Far above any real merge; a larger value is refused when it is read.
MAX_SPAN = 1000


@frozen
class Cell:
    """One table cell.

    ``column`` is the 0-based grid column where the cell starts when the reader knows it (DOCX,
    HTML), or ``None`` when it only knows the cell's order within its row (text form).
    """

    text: str
    rowspan: int = 1
    colspan: int = 1
    column: int | None = None
    position: Position = field(factory=Position, eq=False)


@frozen
class Grid:
    """One table of a document, with the text around it."""

    rows: tuple[tuple[Cell, ...], ...]
    source: str | None = None
    table: int = 1
    title: str | None = None
    preamble: tuple[str, ...] = ()
    epilogue: tuple[str, ...] = ()
    header_rows: int | None = None

    @property
    def width(self) -> int:
        """The number of grid columns, as far as the cells' starts and spans show."""
        width = 0
        for row in self.rows:
            end = 0
            for i, cell in enumerate(row):
                start = cell.column if cell.column is not None else (end if i else 0)
                end = max(end, start + cell.colspan)
            width = max(width, end)
        return width
