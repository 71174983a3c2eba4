"""The format-blind form of a table: rows of :class:`Cell` with spans and source positions.

Every reader produces :class:`Grid` objects; only the builder turns a grid into a plan. A merged
cell appears once, in its first row and column, with ``rowspan``/``colspan`` saying how far it
reaches; the rows it covers below hold no cell for those columns. Readers that cannot see merges
(the text form) give each row the cells they see; the builder resolves rows that are too short.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, NoReturn

from attrs import field, frozen

from zwgk.errors import ParseError, Position
from zwgk.model import CategoryNote

__all__ = ["MAX_COLUMNS", "MAX_SPAN", "Cell", "Grid", "Paragraph", "ReadLayout", "emphasised"]

Paragraph = tuple[str, Position]
"""One body paragraph outside tables: its text (line breaks inside it kept) and where it is
(``line`` = its number). What a reader hands over beside its grids."""

ReadLayout = Literal["table", "list"]
"""The ``layout`` option: ``"table"`` reads only tables, ``"list"`` only paragraphs."""

# The limits are read when a grid is checked, so a program that must read larger tables may raise
# them for the whole process: ``zwgk.table.grid.MAX_COLUMNS = 5000``.

#: The widest grid a reader may produce (grid columns, spans included). Real task tables have
#: 3 to 12 columns; a wider "table" is a corrupt or hostile file, refused before any work is done.
MAX_COLUMNS = 1000
#: The largest row or column span a cell may declare (``rowspan``/``colspan``, ``w:gridSpan``,
#: ``w:gridBefore``). Far above any real merge; a larger value is refused when it is read. A rowspan
#: that stays inside the grid is always accepted (a category may cover thousands of real rows).
MAX_SPAN = 1000


@frozen
class Cell:
    """One table cell.

    ``column`` is the 0-based grid column where the cell starts when the reader knows it (DOCX,
    HTML), or ``None`` when it only knows the cell's order within its row (text form).
    ``emphasis`` is where its text is set bold, ``(start, end)`` offsets into ``text``, when the
    reader sees it (:func:`emphasised`): a table may say its bold units lead (加粗的为牵头单位).
    """

    text: str
    rowspan: int = 1
    colspan: int = 1
    column: int | None = None
    position: Position = field(factory=Position, eq=False)
    emphasis: tuple[tuple[int, int], ...] = field(default=(), eq=False)


#: How many bold pieces :func:`emphasised` may fail to find in a cell's text before it stops looking.
EMPHASIS_MISSES = 8


def emphasised(text: str, pieces: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Where ``pieces`` (the texts a reader saw set bold, in order) are in ``text``: ``(start, end)``
    offsets, touching ones joined; a piece not found further on (a reader's line breaks aside) is
    skipped, and after :data:`EMPHASIS_MISSES` of them the rest. Empty when there is none (most cells).

        >>> emphasised("市财政局、市审计局", ["市财", "政局"])
        ((0, 4),)
    """
    spans: list[tuple[int, int]] = []
    at = 0
    missed = 0
    for piece in pieces:
        found = text.find(piece, at) if piece else -1
        if found < 0:
            missed += 1
            if missed > EMPHASIS_MISSES:
                break  # the pieces do not follow the text: each further search would read it to the end
            continue
        end = found + len(piece)
        if spans and spans[-1][1] == found:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((found, end))
        at = end
    return tuple(spans)


@frozen
class Grid:
    """One table of a document, with the text around it."""

    rows: tuple[tuple[Cell, ...], ...]
    source: str | None = None
    table: int | None = 1  # the table's number in its document; None for task paragraphs (no table)
    title: str | None = None
    preamble: tuple[str, ...] = ()
    epilogue: tuple[str, ...] = ()
    header_rows: int | None = None
    #: The notes of the categories the grid's cells name (task paragraphs: a heading's introductory
    #: sentence), handed to the plan by the builder.
    category_notes: tuple[CategoryNote, ...] = ()
    #: What the step that made this grid could not place, one message each (naming where): the
    #: builder says them in its warnings. A reader's table has none; task paragraphs may.
    unaccounted: tuple[str, ...] = field(default=(), eq=False)
    #: The name of the workbook sheet the grid is (``table`` is its number), for every position
    #: said of it (:attr:`~zwgk.errors.Position.sheet`); ``None`` for any other table.
    sheet: str | None = None
    #: The number its reader gives the grid's first row: 1, unless rows above it were taken off
    #: (a sheet's title rows, its preamble), so that a row is said as the sheet numbers it.
    first_row_number: int = 1

    def row_number(self, r: int) -> int:
        """The number of grid row ``r`` (0-based) as the reader numbers the rows of its table."""
        return r + self.first_row_number

    def note_lines(self) -> Iterator[str]:
        """Where a table's notes are written (注：排在第一位的为牵头单位, 注：带*号的为牵头单位): the lines
        above and below it, then the text of each of its rows holding one cell with text (a note
        typed into the table, above its header or spanning it under its tasks)."""
        yield from self.preamble
        yield from self.epilogue
        for row in self.rows:
            one: Cell | None = None
            for c in row:  # up to a second cell with text (most rows), which makes the row no note
                if c.text and not c.text.isspace():
                    if one is not None:
                        break
                    one = c
            else:
                if one is not None:
                    yield one.text.strip()

    @property
    def width(self) -> int:
        """The number of grid columns, as far as the cells' starts and spans show.

        Computing it checks every cell against the limits: a span above :data:`MAX_SPAN` or
        below 1, a negative start column, or a grid wider than :data:`MAX_COLUMNS` is a
        :class:`~zwgk.errors.ParseError` naming the cell, raised before anything is laid out.
        """
        max_span, max_columns = MAX_SPAN, MAX_COLUMNS
        width = 0
        n_rows = len(self.rows)
        for r, row in enumerate(self.rows):
            end = 0
            max_rowspan = max(max_span, n_rows - r)
            for i, cell in enumerate(row):
                column, colspan, rowspan = cell.column, cell.colspan, cell.rowspan
                if not (0 < colspan <= max_span and 0 < rowspan <= max_rowspan):
                    self._refuse(r, i, cell, f"the cell spans {rowspan} rows and {colspan} columns; "
                                 f"spans must be from 1 to {max_span:,}")
                if column is None:
                    start = end if i else 0
                elif column < 0:
                    self._refuse(r, i, cell, f"the cell starts at column {column}, left of the table")
                else:
                    start = column
                if start + colspan > end:
                    end = start + colspan
                    if end > max_columns:
                        self._refuse(r, i, cell, f"the table is wider than {max_columns:,} columns "
                                     f"(this cell ends at column {end:,})")
            if end > width:
                width = end
        return width

    def _refuse(self, r: int, i: int, cell: Cell, message: str) -> NoReturn:
        pos = cell.position
        col = cell.column + 1 if cell.column is not None and cell.column >= 0 else i + 1
        raise ParseError(message, Position(pos.file or self.source, self.table, self.row_number(r), col, pos.line,
                                           sheet=self.sheet))
