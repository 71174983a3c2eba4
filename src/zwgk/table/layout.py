"""Which column of a grid plays which role: the header gives roles, the cells refine them.

:func:`read_layout` decides in two steps, each handing its result to the next:

1. header → roles (:func:`header_layout`). The header is found among the first rows of the grid by
   its keywords (:mod:`zwgk.vocabulary`). It may span several columns (``工作任务及要求`` over the
   category columns and the task column) or two rows (``责任单位`` over ``牵头单位 | 配合单位``). The
   :class:`Layout` keeps the header rows as placed, so the builder can recognise a header row
   repeated by hand.
2. content → refined roles (:mod:`zwgk.table.content`), read from the data rows placed once on the
   header's roles (:func:`~zwgk.table.place.place`).

It returns the layout with the rows it placed (:class:`Read`), and the builder reads those rows:
no row is placed twice, unless a refined role changes where a short text-form row's cells go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from zwgk.errors import LayoutError, Position
from zwgk.table.columns import Column, Layout, number_levels
from zwgk.table.content import read_sub_columns, read_task_column
from zwgk.table.grid import Cell, Grid
from zwgk.table.place import Placement, expand, fit, place, resolve_short_row
from zwgk.vocabulary import QUALIFIER_HEADINGS, UNIT_ROLES, ColumnRole, classify, header_key, names_people

__all__ = ["Column", "ColumnRole", "Layout", "Read", "detect_layout", "find_header", "header_key", "header_layout",
           "header_row", "is_second_header", "read_layout"]

#: The header is looked for among this many first rows of a grid.
HEADER_SEARCH_ROWS = 10
#: A header row names at least this many known headings (net of long cells), one of them a task or
#: unit heading.
MIN_HEADER_SCORE = 2
#: A "heading" longer than this many characters is body text: it counts against a header row.
MAX_HEADING_CHARS = 16
#: An unmarked second header row holds only known headings of at most this many characters.
MAX_SUBHEADING_CHARS = 8


def _score_row(row: Sequence[Cell]) -> int:
    roles = [classify(header_key(c.text))[0] for c in row]
    known = [r for r in roles if r is not None]
    if not known:
        return 0
    has_core = any(r in UNIT_ROLES or r is ColumnRole.TASK for r in known)
    long_cells = sum(1 for c in row if len(header_key(c.text)) > MAX_HEADING_CHARS)
    return (len(known) - long_cells) if has_core else 0


#: A text-form table whose data rows show more cells than its header (a heading spanning columns,
#: as 工作任务及要求 over the category columns) takes the wider width only when at least this many
#: data rows, and more than half of them, show it; otherwise the header's width holds and a longer
#: row is an error naming its extra cell (a stray cell must not shift a whole table).
MIN_WIDENING_ROWS = 2


def data_width(grid: Grid, first_data_row: int, header_width: int = 0, grid_width: int | None = None) -> int:
    """The number of columns the data rows show.

    Grids with known cell columns use their full width. For the text form (no columns known) a row
    shows any width from its length without its trailing empty cells (a trailing TAB, or an empty
    last cell such as an empty 配合单位) to its full length. The width most rows show wins (ties go
    to the width most rows end exactly at with text, then to the longer); a width wider than
    ``header_width`` only when more than half the data rows, and at least
    :data:`MIN_WIDENING_ROWS`, show more cells than the header.
    """
    rows = grid.rows[first_data_row:]
    width = grid.width if grid_width is None else grid_width
    if any(c.column is not None for r in rows for c in r):
        return width
    shown = Counter((sum(c.colspan for c in _trim(r)), sum(c.colspan for c in r))
                    for r in rows if any(c.text.strip() for c in r))
    if not shown:
        return width

    def support(w: int) -> tuple[int, int, int]:
        """How many rows show width ``w``, how many end at it with text, and ``w``."""
        return (sum(n for (least, most), n in shown.items() if least <= w <= most),
                sum(n for (least, _most), n in shown.items() if least == w), w)

    _count, _exact, best = max(support(w) for pair in shown for w in pair)
    if best > header_width:
        # rows showing more cells than the header, whichever wider width each shows (an empty last
        # cell is shown by a TAB line, or not at all when an editor dropped it)
        wider = sum(n for (_least, most), n in shown.items() if most > header_width)
        if wider < MIN_WIDENING_ROWS or 2 * wider <= shown.total():
            return header_width
    return best


def _trim(row: Sequence[Cell]) -> Sequence[Cell]:
    """A row without its trailing empty cells (a trailing tab in the text form)."""
    end = len(row)
    while end > 0 and not row[end - 1].text.strip() and row[end - 1].column is None:
        end -= 1
    return row[:end]


def header_row(grid: Grid) -> int | None:
    """Index of the first row among the first :data:`HEADER_SEARCH_ROWS` that scores as a header,
    or ``None``: :func:`find_header` without checking the grid against the limits (for a look at
    a grid that is laid out, and so checked, later)."""
    return next((i for i, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]) if _score_row(row) >= MIN_HEADER_SCORE),
                None)


def find_header(grid: Grid) -> int:
    """Index of the first header row, searching the first :data:`HEADER_SEARCH_ROWS` rows.

    The grid is checked against the size limits first (:attr:`Grid.width`), so a grid beyond them
    is refused before any cell is classified.
    """
    grid.width  # noqa: B018 -- raises ParseError for a span or width beyond the limits
    best = header_row(grid)
    if best is None:
        where = Position(file=grid.source, table=grid.table, sheet=grid.sheet)
        raise LayoutError(
            "no header row found: expected column headings such as 工作任务, 牵头单位, 责任单位 "
            "in the first rows of the table",
            where,
        )
    return best


def is_second_header(top: Sequence[Cell], nxt: Sequence[Cell]) -> bool:
    """Whether ``nxt`` continues the header row ``top``: ``top`` has a cell spanning rows or columns
    (or, in the text form, fewer cells than ``nxt``) and every non-empty cell of ``nxt`` is a short,
    known heading: one naming a role (牵头单位, 责任人) or a qualifier of the heading above it
    (:data:`~zwgk.vocabulary.QUALIFIER_HEADINGS`: 单位, 部门 under 责任主体), which takes its role."""
    spans = any(c.colspan > 1 or c.rowspan > 1 for c in top)
    if not spans and all(c.column is None for c in top):
        spans = sum(c.colspan for c in top) < len(nxt)
    if not spans:
        return False
    keys = [header_key(c.text) for c in nxt if header_key(c.text)]
    return bool(keys) and all(
        (classify(k)[0] is not None or k in QUALIFIER_HEADINGS) and len(k) <= MAX_SUBHEADING_CHARS
        and not k.endswith(("。", "；")) for k in keys
    )


#: At most this many ways of spreading a short text-form header over its sub-headings are tried.
MAX_HEADER_SPREADS = 2000


def _spreads(extra: int, cells: int) -> Iterator[tuple[int, ...]]:
    """Every way of adding ``extra`` columns to ``cells`` cells (compositions, in order)."""
    if cells == 1:
        yield (extra,)
        return
    for first in range(extra, -1, -1):
        for rest in _spreads(extra - first, cells - 1):
            yield (first, *rest)


def _over_subheadings(top: Sequence[Cell], below: Sequence[Cell], width: int) -> list[tuple[Cell, int, int]] | None:
    """A short text-form header row placed over a second header row that shows every column (the
    text form shows a heading spanning columns as one cell, and the cells merged down into the second
    row as empty cells there): each heading spans the sub-headings of its kind (牵头 | 配合 under
    责任单位); of equally fitting spreads, the one giving most to the heading
    :func:`~zwgk.table.place.resolve_short_row` would widen. ``None`` when the second row names no
    sub-heading or does not show every column. A qualifier (单位 under 责任主体) or a heading naming
    people (责任人) fits under a unit heading, as a unit sub-heading does."""
    if not below or sum(c.colspan for c in below) != width:
        return None
    keys = [header_key(c.text) if c is not None else "" for c in expand(below, width)]
    sub = [None if not k else ColumnRole.LEAD if k in QUALIFIER_HEADINGS or names_people(k) else classify(k)[0]
           for k in keys]  # under a unit heading a qualifier or people fit as any unit role does
    if not any(sub):
        return None
    missing = width - sum(c.colspan for c in top)
    roles = [classify(header_key(c.text))[0] for c in top]
    default = [span - c.colspan for c, _pos, span in resolve_short_row(top, width)]
    best: tuple[tuple[int, int], tuple[int, ...]] | None = None
    for n, extra in enumerate(_spreads(missing, len(top))):
        if n >= MAX_HEADER_SPREADS:
            return None
        score, pos = 0, 0
        for cell, role, add in zip(top, roles, extra, strict=True):
            span = cell.colspan + add
            for r in sub[pos:pos + span]:
                if r is not None:
                    fits = span > 1 and (r is role or (r in UNIT_ROLES and role in UNIT_ROLES))
                    score += 1 if fits else -1
            pos += span
        key = (score, sum(min(a, d) for a, d in zip(extra, default, strict=True)))
        if best is None or key > best[0]:
            best = (key, extra)
    assert best is not None
    out: list[tuple[Cell, int, int]] = []
    pos = 0
    for cell, add in zip(top, best[1], strict=True):
        out.append((cell, pos, cell.colspan + add))
        pos += cell.colspan + add
    return out


class Read(NamedTuple):
    """What :func:`read_layout` made of a grid: the layout and the data rows placed on it."""

    layout: Layout
    placement: Placement


def detect_layout(grid: Grid) -> Layout:
    """Map each grid column to a :class:`ColumnRole`: :func:`read_layout`'s layout."""
    return read_layout(grid).layout


def read_layout(grid: Grid) -> Read:
    """The layout of ``grid`` (header → roles, then content → refined roles) and its data rows as
    placed on it.

    The grid is first checked against the size limits of :mod:`zwgk.table.grid` (a
    :class:`~zwgk.errors.ParseError` naming the cell), before any per-column work.
    """
    layout, groups = header_layout(grid)
    placement = place(grid, layout.first_data_row, layout.roles)
    layout = read_sub_columns(placement, layout, groups)
    if not placement.holds_for(layout.roles):
        placement = place(grid, layout.first_data_row, layout.roles)
    layout = read_task_column(placement, layout)
    if not placement.holds_for(layout.roles):
        placement = place(grid, layout.first_data_row, layout.roles)
    return Read(layout, placement)


def header_layout(grid: Grid) -> tuple[Layout, list[tuple[int, int]]]:
    """The layout the header rows give (roles named by the headings and their places), and the runs
    of columns with no heading of their own (:func:`unnamed_groups`), left to their content."""
    grid_width = grid.width
    start = find_header(grid)
    header_rows = 1
    if grid.header_rows is not None and start < grid.header_rows:
        # The document marks its header rows (Word's "repeat as header row", <thead>): trust it.
        header_rows = min(grid.header_rows, len(grid.rows)) - start
    if header_rows == 1 and start + 1 < len(grid.rows) and is_second_header(grid.rows[start], grid.rows[start + 1]):
        header_rows = 2  # a second header row the document did not mark
    if not any(c.column is not None for c in grid.rows[start]):
        header_width = max(sum(c.colspan for c in grid.rows[start + k]) for k in range(header_rows))
        width = max(data_width(grid, start + header_rows, header_width, grid_width), header_width)
    else:
        width = data_width(grid, start + header_rows, 0, grid_width)

    where = Position(file=grid.source, table=grid.table, row=grid.row_number(start), sheet=grid.sheet)
    top: Sequence[Cell] = grid.rows[start]
    if not any(c.column is not None for c in top) and sum(c.colspan for c in top) < width:
        # A text-form header showing fewer cells than the data: one heading spans the rest, or, over a
        # second header row showing every column, the headings over their sub-headings span them.
        below = grid.rows[start + 1] if header_rows > 1 else ()
        placed_top = _over_subheadings(top, below, width)
        if placed_top is None:
            return _spread_by_content(grid, top, start, header_rows, width, where)
        top = tuple(Cell(c.text, c.rowspan, span, pos, c.position) for c, pos, span in placed_top)
    header, texts, spans = _read_header(grid, top, start, header_rows, width)
    columns = _assign_roles(texts, spans, list(header[0]), where)
    groups = unnamed_groups(texts, spans, list(header[0]))
    return Layout(tuple(columns), header_rows, start, width, tuple(header)), groups


def _read_header(
    grid: Grid, top: Sequence[Cell], start: int, header_rows: int, width: int
) -> tuple[list[tuple[Cell | None, ...]], list[list[str]], list[int]]:
    """The header rows placed on ``width`` columns (``top`` for the first), each column's texts
    from top to bottom (distinct), and the colspan of the top header cell over each column."""
    texts: list[list[str]] = [[] for _ in range(width)]
    spans: list[int] = [1] * width
    header: list[tuple[Cell | None, ...]] = []
    for k in range(header_rows):
        placed = expand(top if k == 0 else grid.rows[start + k], width)
        header.append(tuple(placed))
        for col, cell in enumerate(placed):
            if cell is None:
                continue
            if k == 0:
                spans[col] = cell.colspan
            t = cell.text.strip()
            if t and (not texts[col] or texts[col][-1] != t):
                texts[col].append(t)
    return header, texts, spans


#: Of spreads fitting the data equally, a heading of these roles spans first (a task or unit
#: heading spans sub-columns far more often than 序号 or 完成时限 does).
_SPREAD_PREFERENCE = {ColumnRole.TASK: 0, ColumnRole.LEVEL: 0, ColumnRole.LEAD: 1, ColumnRole.RESPONSIBLE: 1,
                      ColumnRole.COOPERATING: 1, ColumnRole.REQUIREMENT: 2}

#: A text-form header shorter than its data is spread by how well at most this many data rows
#: showing every column fit the roles each spread gives.
HEADER_FIT_ROWS = 200


def _spread_by_content(
    grid: Grid, top: Sequence[Cell], start: int, header_rows: int, width: int, where: Position
) -> tuple[Layout, list[tuple[int, int]]]:
    """A text-form header showing fewer cells than the data, with no sub-headings to spread it over:
    the heading that spans the missing columns is the one whose roles the data rows fit best
    (:func:`~zwgk.table.place.fit`: unit lists in unit columns, sentences not in category columns;
    the columns under the spanning heading with the roles their content gives them), ties to the
    task-like heading (:func:`~zwgk.table.place.resolve_short_row`), then to unit headings. So
    责任单位 spans two columns of names rather than 工作任务 taking the first of them. A choice
    other than the task-like heading's is said in :attr:`Layout.decisions`."""
    missing = width - sum(c.colspan for c in top)
    default = next(k for k, (c, _pos, span) in enumerate(resolve_short_row(top, width)) if span > c.colspan)
    full = [row for row in grid.rows[start + header_rows:] if sum(c.colspan for c in row) == width
            and all(c.colspan == 1 for c in row)][:HEADER_FIT_ROWS]
    best: tuple[int, int, Layout, list[tuple[int, int]]] | None = None
    first_error: LayoutError | None = None
    # the task-like heading first (it wins ties), then unit headings, then the others, left to right
    def preference(i: int) -> tuple[bool, int, int]:
        role = classify(header_key(top[i].text))[0]
        rank = _SPREAD_PREFERENCE.get(role, len(_SPREAD_PREFERENCE)) if role is not None else len(_SPREAD_PREFERENCE)
        return i != default, rank, i

    order = sorted(range(len(top)), key=preference)
    for k in order:
        cells, pos = [], 0
        for i, c in enumerate(top):
            span = c.colspan + (missing if i == k else 0)
            cells.append(Cell(c.text, c.rowspan, span, pos, c.position))
            pos += span
        header, texts, spans = _read_header(grid, cells, start, header_rows, width)
        try:
            columns = _assign_roles(texts, spans, list(header[0]), where)
        except LayoutError as e:
            first_error = first_error or e
            continue
        groups = unnamed_groups(texts, spans, list(header[0]))
        # Columns under a spanning heading are named by their content (read_sub_columns): scored
        # with the roles that stage gives them on the sample rows.
        sample = Layout(tuple(columns), header_rows, 0, width, tuple(header))
        if groups:
            rows = Grid((*grid.rows[start:start + header_rows], *full), source=grid.source, table=grid.table)
            sample = read_sub_columns(place(rows, header_rows, sample.roles), sample, groups)
        score = sum(fit(role, cell.text) for row in full for role, cell in zip(sample.roles, row, strict=True))
        if best is None or score > best[0]:
            layout = Layout(tuple(columns), header_rows, start, width, tuple(header))
            best = (score, k, layout, groups)
    if best is None:
        assert first_error is not None
        raise first_error
    score, k, layout, groups = best
    if k != default:
        heading = top[k].text.strip()
        sentence = (f"the header shows {len(top)} cells over {width} columns: {heading} read as spanning "
                    f"{top[k].colspan + missing} columns, as the cells of {len(full)} full data rows fit the "
                    f"roles best so (rather than {top[default].text.strip()} spanning)")
        layout = Layout(layout.columns, header_rows, start, width, layout.header, (sentence,))
    return layout, groups


def _assign_roles(
    texts: list[list[str]], spans: list[int], top: list[Cell | None], where: Position
) -> list[Column]:
    width = len(texts)
    roles: list[ColumnRole | None] = []
    specs: list[int] = []
    reasons: list[str] = []
    for col in range(width):
        role, spec = None, 0
        for t in reversed(texts[col]):  # the most specific (lowest) heading first
            role, spec = classify(header_key(t))
            if role is not None:
                break
        roles.append(role)
        specs.append(spec)
        reasons.append("named by its heading" if role is not None else "")

    # One header cell spanning several columns: a task heading over k columns gives k-1 levels and
    # the task; a level heading over k columns gives k levels.
    col = 0
    while col < width:
        cell = top[col]
        span = spans[col]
        if cell is not None and span > 1 and roles[col] in (ColumnRole.TASK, ColumnRole.LEVEL):
            end = min(width, col + span)
            same = all(top[k] is cell for k in range(col, end))
            if same:
                for k in range(col, end):
                    if roles[k] is ColumnRole.TASK and k < end - 1:
                        roles[k] = ColumnRole.LEVEL
                        reasons[k] = "under a task heading spanning columns, left of its last column"
                col = end
                continue
        col += 1

    # The most specific task-like column is the task; task-like columns left of it are levels.
    task_cols = [c for c in range(width) if roles[c] is ColumnRole.TASK]
    if task_cols:
        best = max(task_cols, key=lambda c: (specs[c], c))
        for c in task_cols:
            if c != best:
                roles[c] = ColumnRole.LEVEL if c < best else ColumnRole.EXTRA
                reasons[c] = (f"a task-like heading less specific than {texts[best][-1]!r}, "
                              f"{'left' if c < best else 'right'} of it")
    else:
        levels = [c for c in range(width) if roles[c] is ColumnRole.LEVEL]
        if levels and levels[-1] + 1 < width and roles[levels[-1] + 1] is None:
            roles[levels[-1] + 1] = ColumnRole.TASK
            reasons[levels[-1] + 1] = "no task heading: the unnamed column right of the last level"
        elif levels:
            roles[levels[-1]] = ColumnRole.TASK
            reasons[levels[-1]] = "no task heading: the last level heading"
        elif (free := _first_free_column(texts, roles)) is not None:
            roles[free] = ColumnRole.TASK
            reasons[free] = ("no task heading: the first column beside the unit columns that names no other "
                             "role (a serial, units, a deadline, notes)")
        else:
            raise LayoutError("no task column found: expected a heading such as 工作任务 or 具体任务", where)
    task = next(c for c in range(width) if roles[c] is ColumnRole.TASK)
    # Unnamed columns left of the task are levels; right of it they are kept as extra columns.
    for c in range(width):
        if roles[c] is None:
            roles[c] = ColumnRole.LEVEL if c < task else ColumnRole.EXTRA
            reasons[c] = f"an unnamed column {'left' if c < task else 'right'} of the task column"
        elif roles[c] is ColumnRole.LEVEL and c > task:
            roles[c] = ColumnRole.EXTRA
            reasons[c] = "a level heading right of the task column"
        elif roles[c] is ColumnRole.REQUIREMENT and c < task:
            roles[c] = ColumnRole.LEVEL
            reasons[c] = "a requirement heading left of the task column"
    # Only one column per single-valued role; repeats become extra columns.
    seen: set[ColumnRole] = set()
    columns: list[Column] = []
    for c in range(width):
        role = roles[c]
        assert role is not None
        if role in seen and role is not ColumnRole.LEVEL and role is not ColumnRole.EXTRA:
            reasons[c] = f"a second {role.value} heading"
            role = ColumnRole.EXTRA
        seen.add(role)
        header = "/".join(texts[c]) if texts[c] else ""
        columns.append(Column(c, role, header, None, reasons[c]))
    columns = number_levels(columns)
    # Who does each task: the unit columns, or, in a table naming no unit, the people responsible
    # (责任人: an extra column by its heading, kept in each task's extra cells).
    if not any(c.role in UNIT_ROLES for c in columns) and not any(
            c.role is ColumnRole.EXTRA and any(names_people(header_key(t)) for t in texts[c.index]) for c in columns):
        raise LayoutError("no unit column found: expected a heading such as 牵头单位 or 责任单位 (or, in a "
                          "table naming no unit, 责任人)", where)
    return columns


def _first_free_column(texts: list[list[str]], roles: list[ColumnRole | None]) -> int | None:
    """In a table with unit columns but no task or level heading (序号 | 工作要点 | 责任单位), the
    column that holds the tasks: the first whose heading names no role or a requirement, a column
    with a heading before one without. ``None`` in a table naming no unit column (a list of contacts
    is no task table)."""
    if not any(r in UNIT_ROLES for r in roles):
        return None
    free = [c for c, r in enumerate(roles) if r is None or r is ColumnRole.REQUIREMENT]
    named = [c for c in free if any(t.strip() for t in texts[c])]
    chosen = named or free
    return chosen[0] if chosen else None


def unnamed_groups(texts: list[list[str]], spans: list[int], top: list[Cell | None]) -> list[tuple[int, int]]:
    """``(first, end)`` of each run of columns with no heading of their own: those under one heading
    cell spanning them (when none of them has a heading below it; when some have, each of the
    others alone), and each column with no heading."""
    groups: list[tuple[int, int]] = []
    width = len(texts)
    col = 0
    while col < width:
        cell = top[col]
        end = min(width, col + spans[col])
        if cell is not None and end - col > 1 and all(top[k] is cell for k in range(col, end)):
            if all(len(texts[k]) <= 1 for k in range(col, end)):
                groups.append((col, end))
            else:  # some have a sub-heading: each of the others is named by its content alone
                groups.extend((k, k + 1) for k in range(col, end) if len(texts[k]) <= 1)
            col = end
            continue
        if not texts[col]:
            groups.append((col, col + 1))
        col += 1
    return groups
