"""Placement: which grid column each cell of a row occupies, the one answer layout and builder share.

A cell sits at its known start column (DOCX, HTML) or right after the cell before it (text form),
and covers ``colspan`` columns; a rowspan from above fills its columns in the rows below. A
text-form row showing fewer cells than the table has columns is resolved by :func:`resolve_short_row`
(one cell spans the missing columns), for the header rows and for the body alike. :func:`place`
places a grid's data rows on the column roles a layout gave and returns them (:class:`Placement`),
so that the layout's second look at the cells and the builder read the same rows. The rows are
placed once to check them, then again each time they are read (:class:`PlacedRows`) rather than
kept: what placing holds is a row's slots, not the table's.

Placement knows the columns only by their roles (:class:`~zwgk.vocabulary.ColumnRole`), never the
layout that decided them: layout builds on placement, not the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from zwgk.errors import ParseError, Position
from zwgk.table.grid import Cell, Grid
from zwgk.vocabulary import UNIT_ROLES, ColumnRole, classify, header_key, looks_like_units

__all__ = ["SERIAL_RE", "PlacedRow", "PlacedRows", "Placement", "Row", "Slot", "expand", "fit", "place",
           "resolve_short_row"]

# How well a cell's text fits a column of a role, when choosing which cell of a short text-form row
# spans the missing columns (higher is better; text that fits nowhere in particular scores 0).

#: A unit list (short, no sentence end) in a unit column.
FIT_UNITS = 1
#: A sentence in a unit column: almost surely the wrong column.
FIT_NOT_UNITS = -3
#: Any text in the task column.
FIT_TASK = 1
#: A date or time word (2021年, 6月底前, 长期坚持, 每季度) in the 完成时限 column.
FIT_DEADLINE = 1
#: A list of names, with no date or time word, in the 完成时限 column.
FIT_UNITS_AS_DEADLINE = -1
#: What a deadline is written with.
DEADLINE_WORDS = re.compile(r"\d|[年月日周旬季底前后内]|长期|持续|常态|经常|及时|即时|随时|适时|同步")
#: A bare per-row number (:data:`SERIAL_RE`) in the task column: a serial, not a task.
FIT_NUMBER_AS_TASK = -2
#: A sentence or long text in a category (level) column.
FIT_LONG_LEVEL = -1
#: A category longer than this many characters reads as a sentence.
MAX_LEVEL_CHARS = 80
#: A short number in the 序号 column.
FIT_SERIAL = 1
#: Anything longer in the 序号 column.
FIT_NOT_SERIAL = -2
#: A 序号 longer than this many characters is not a serial number.
MAX_SERIAL_CHARS = 8

# Adjustments of a whole choice of the spanning cell.

#: The row simply ends early (no cell spans): its last cells are empty and not written (an empty
#: trailing cell, such as an empty 配合单位, whose TAB line an editor dropped). Less likely than a
#: well-fitting span, more likely than text moved into a column it does not fit.
SCORE_ENDS_EARLY = -1
#: An empty cell spanning (a merge the text form shows as an empty cell) is less likely.
SCORE_EMPTY_SPAN = -2
#: Text spanning into the task column: the task written across the categories it has no value for.
SCORE_SPAN_INTO_TASK = 2
#: A cell spanning part of the unit columns and something else.
SCORE_SPLITS_UNITS = -2


#: A bare per-row number: up to three digits, with at most a bracket or a closing dot (1, （3）, 4.).
SERIAL_RE = re.compile(r"[（(]?\d{1,3}[)）]?[.．、]?")


class Slot(NamedTuple):
    """What one column of one row holds."""

    cell: Cell
    origin: bool  # the cell starts in this row (not covered by a rowspan from above)
    start: int  # the grid column where the cell starts


PlacedRow = list[Slot | None]


class Row(NamedTuple):
    """One data row as placed: its index in the grid, its cells as read, and its slot per column."""

    at: int
    cells: tuple[Cell, ...]
    slots: PlacedRow


class PlacedRows:
    """A grid's data rows from ``first_row`` on, placed on ``roles`` as they are iterated (each
    iteration places them afresh, in order, so rowspans are carried): the same rows every time,
    without the table's slots held between reads. Equal to any iterable of the same rows."""

    __slots__ = ("first_row", "grid", "roles")

    def __init__(self, grid: Grid, first_row: int, roles: Sequence[ColumnRole]) -> None:
        self.grid = grid
        self.first_row = first_row
        self.roles = tuple(roles)

    def __iter__(self) -> Iterator[Row]:
        placer = _Placer(self.grid, self.roles)
        rows = self.grid.rows
        for r in range(self.first_row, len(rows)):
            yield Row(r, rows[r], placer.row(rows[r], r))

    def __len__(self) -> int:
        return max(0, len(self.grid.rows) - self.first_row)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Iterable):
            return NotImplemented
        return tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PlacedRows({len(self)} rows from row {self.first_row + 1})"


class Placement(NamedTuple):
    """A grid's data rows placed on ``roles`` (one per column)."""

    rows: PlacedRows
    roles: tuple[ColumnRole, ...]
    #: Whether some row's placement depended on the roles: a text-form row showing fewer cells
    #: than the table has columns, whose spanning cell was chosen by how its text fits the roles.
    by_roles: bool

    def holds_for(self, roles: Sequence[ColumnRole]) -> bool:
        """Whether these rows are placed as they would be on ``roles`` (no need to place them again)."""
        return not self.by_roles or tuple(roles) == self.roles


def expand(row: Sequence[Cell], width: int) -> list[Cell | None]:
    """A row's cells on ``width`` columns by their start column (or the previous cell's end) and span.

    Used for header rows, which are read as they stand: nothing covers them from above.
    """
    out: list[Cell | None] = [None] * width
    pos = 0
    for cell in row:
        start = cell.column if cell.column is not None else pos
        for k in range(start, min(width, start + cell.colspan)):
            out[k] = cell
        pos = start + cell.colspan
    return out


def fit(role: ColumnRole, text: str) -> int:
    """How plausible ``text`` is for a column of ``role`` (higher is better)."""
    t = text.strip()
    if not t:
        return 0
    if role in UNIT_ROLES:
        return FIT_UNITS if looks_like_units(t) else FIT_NOT_UNITS
    if role is ColumnRole.TASK:
        return FIT_NUMBER_AS_TASK if SERIAL_RE.fullmatch(t) else FIT_TASK
    if role is ColumnRole.LEVEL:
        return FIT_LONG_LEVEL if t.endswith("。") or len(t) > MAX_LEVEL_CHARS else 0
    if role is ColumnRole.DEADLINE:
        if DEADLINE_WORDS.search(t):
            return FIT_DEADLINE
        return FIT_UNITS_AS_DEADLINE if looks_like_units(t) else 0
    if role is ColumnRole.SERIAL:
        return FIT_SERIAL if len(t) <= MAX_SERIAL_CHARS else FIT_NOT_SERIAL
    return 0


class RoleWindows:
    """Which column roles a run of columns holds, in constant time (prefix counts per role)."""

    def __init__(self, roles: Sequence[ColumnRole]) -> None:
        self.roles = list(roles)
        self.counts: dict[ColumnRole, list[int]] = {}
        for role in set(self.roles):
            run = [0]
            for r in self.roles:
                run.append(run[-1] + (r is role))
            self.counts[role] = run
        self.unit_run = [0]
        for r in self.roles:
            self.unit_run.append(self.unit_run[-1] + (r in UNIT_ROLES))

    def present(self, start: int, end: int) -> list[ColumnRole]:
        """The roles among columns ``start`` to ``end - 1``."""
        return [role for role, run in self.counts.items() if run[end] > run[start]]

    def units(self, start: int, end: int) -> int:
        """How many of columns ``start`` to ``end - 1`` are unit columns."""
        return self.unit_run[end] - self.unit_run[start]


def _header_spanner(cells: Sequence[Cell]) -> int:
    """The header cell that spans: the most specific task-like heading, else a level heading, else
    the first cell (the columns' roles are not known yet)."""
    ranked = [(classify(header_key(c.text)), i) for i, c in enumerate(cells)]
    for (role, _spec), i in sorted(ranked, key=lambda r: (-(r[0][0] is ColumnRole.TASK), -r[0][1], r[1])):
        if role in (ColumnRole.TASK, ColumnRole.LEVEL):
            return i
    return 0


def _body_spanner(cells: Sequence[Cell], win: RoleWindows, missing: int) -> int | None:
    """The body cell that spans, chosen by how well every cell's text fits its column; ``None`` when
    the row simply ends early. Each choice is scored from prefix sums: linear in the row's width."""
    roles = win.roles
    n = len(cells)
    # left[i]: cells before i in their own columns; right[i]: cells after i shifted by ``missing``.
    left = [0] * (n + 1)
    for k, cell in enumerate(cells):
        left[k + 1] = left[k] + fit(roles[k], cell.text)
    right = [0] * (n + 1)
    for k in range(n - 1, 0, -1):
        right[k - 1] = right[k] + fit(roles[k + missing], cells[k].text)
    best, best_score = n, left[n] + SCORE_ENDS_EARLY
    for i in range(n):
        text = cells[i].text
        end = i + missing + 1
        if roles[end - 1] is ColumnRole.TASK and text.strip():
            # spanning into the task column, the cell is the task's text: it fits as a task or not
            score = left[i] + right[i] + fit(ColumnRole.TASK, text) + SCORE_SPAN_INTO_TASK
        else:
            score = left[i] + right[i] + max(fit(r, text) for r in win.present(i, end))
        if not text.strip():
            score += SCORE_EMPTY_SPAN
        elif 0 < win.units(i, end) < end - i:
            score += SCORE_SPLITS_UNITS
        if score > best_score or (score == best_score and i < best):
            best, best_score = i, score
    return best if best < n else None


def resolve_short_row(
    cells: Sequence[Cell], width: int, windows: RoleWindows | None = None
) -> list[tuple[Cell, int, int]]:
    """Place a text-form row that shows fewer cells than ``width`` columns: one cell spans the rest.

    Returns ``(cell, start column, span)`` for each cell. Without ``windows`` (a header row, before
    any role is known) the task-like heading spans; with them (a body row) the choice that best
    fits every cell's text to its column's role, preferring a cell with content spanning into the
    task column (the task written across the categories it has no value for) over an empty one.
    """
    missing = width - sum(c.colspan for c in cells)
    if windows is None:
        pick: int | None = _header_spanner(cells)
    else:
        pick = _body_spanner(cells, windows, missing)
    out: list[tuple[Cell, int, int]] = []
    pos = 0
    for k, cell in enumerate(cells):
        span = cell.colspan + (missing if k == pick else 0)
        out.append((cell, pos, span))
        pos += span
    return out


class _Placer:
    """Places body rows one after another, carrying rowspans from row to row."""

    def __init__(self, grid: Grid, roles: Sequence[ColumnRole]) -> None:
        self.grid = grid
        self.width = len(roles)
        self.windows = RoleWindows(roles)
        self.by_roles = False  # a short row was resolved by its cells' fit to the roles
        self.pending: dict[int, tuple[Slot, int]] = {}  # column -> (the covered slot, rows left)

    def _error(self, message: str, cell: Cell, r: int, column: int) -> ParseError:
        pos = cell.position
        return ParseError(message, Position(pos.file or self.grid.source, self.grid.table, self.grid.row_number(r),
                                            column, pos.line, sheet=self.grid.sheet))

    def row(self, row: Sequence[Cell], r: int) -> PlacedRow:
        width, pending = self.width, self.pending
        slots: PlacedRow = [None] * width
        for col, (covered, left) in list(pending.items()):
            slots[col] = covered
            if left <= 1:
                del pending[col]
            else:
                pending[col] = (covered, left - 1)
        cells = list(row)
        if all(c.column is not None for c in cells):
            placed = [(c, c.column or 0, c.colspan) for c in cells]
        else:
            # Trailing empty cells beyond the width (a trailing tab) carry nothing: drop them.
            while len(cells) > width and not cells[-1].text.strip():
                cells.pop()
            total = sum(c.colspan for c in cells)
            free = [c for c in range(width) if slots[c] is None]
            if total > len(free):
                extra = cells[len(free)] if len(free) < len(cells) else cells[-1]
                raise self._error(f"row has {len(cells)} cells but the table has {width} columns; "
                                  f"unexpected cell {extra.text.strip()[:20]!r}", extra, r, len(free) + 1)
            if total < len(free) and len(free) == width:
                placed = resolve_short_row(cells, width, self.windows)
                self.by_roles = True
            else:
                placed = []
                it = iter(free)
                for c in cells:
                    start = next(it)
                    for _ in range(c.colspan - 1):
                        next(it, None)
                    placed.append((c, start, c.colspan))
        for cell, start, span in placed:
            if start >= width:
                if cell.text.strip():
                    raise ParseError(
                        f"cell {cell.text.strip()[:20]!r} lies beyond the table's {width} columns",
                        Position(self.grid.source, self.grid.table, self.grid.row_number(r), start + 1,
                                 cell.position.line,
                                 sheet=self.grid.sheet),
                    )
                continue
            slot = Slot(cell, True, start)
            below = Slot(cell, False, start) if cell.rowspan > 1 else None
            for k in range(start, min(width, start + span)):
                held = slots[k]
                if held is not None and held.cell.text.strip():
                    # Cells a reader placed overlapping: an empty one never hides text, and of
                    # two with text neither may silently replace the other.
                    if not cell.text.strip():
                        continue
                    raise self._error(f"cell {cell.text.strip()[:20]!r} overlaps cell "
                                      f"{held.cell.text.strip()[:20]!r} in column {k + 1}", cell, r, k + 1)
                slots[k] = slot
                if below is not None:
                    pending[k] = (below, cell.rowspan - 1)
        return slots


def place(grid: Grid, first_row: int, roles: Sequence[ColumnRole]) -> Placement:
    """The data rows of ``grid`` from ``first_row`` on, placed on columns of ``roles``.

    Every row is placed, empty ones included, so rowspans are carried in order. A row with more
    cells than free columns, a cell with text beyond the last column, or two cells with text on one
    column is a :class:`~zwgk.errors.ParseError` naming the row, column and line, raised here: the
    rows are placed once to check them (and to learn whether a row's placement depended on the
    roles), and again each time :attr:`Placement.rows` is read.
    """
    placer = _Placer(grid, roles)
    for r in range(first_row, len(grid.rows)):
        placer.row(grid.rows[r], r)
    return Placement(PlacedRows(grid, first_row, roles), tuple(roles), placer.by_roles)
