"""Tables laid out without ruling: columns from a header line and the text's alignment.

A Word or WPS table whose borders are hidden, printed to PDF, draws no ruling: :mod:`._ruling`
finds nothing, and its rows would be read as prose. On a page without a ruled table, this stage
looks for such a table, as pdfplumber's "text" strategy does but only where a task table's header
says there is one:

1. **A header line**: a line (or a band of up to :data:`HEADER_LINES` lines at the line pitch, for
   headings wrapped or centred in their cells) whose pieces, set apart by gaps wider than
   :data:`HEADER_GAP` font sizes, are at least :data:`MIN_COLUMNS` column headings, at least
   :data:`MIN_HEADINGS` of them known ones (:func:`zwgk.vocabulary.classify`: 序号, 工作任务,
   牵头单位, 完成时限 …) with a task or unit heading among them, none longer than a heading
   (:data:`~zwgk.table.layout.MAX_HEADING_CHARS`) and none a label with its value (``牵头单位：市
   司法局``: the paragraph form's lines are never a header).
2. **Gutters**: between two headings, the x-ranges no glyph of the lines below crosses. Line by
   line down from the header, each line's glyphs are taken out of every gutter; a line that leaves
   no gutter of :data:`MIN_GUTTER` font sizes between the task column and the next (prose, a
   paragraph after the table), a gap wider than :data:`END_GAP` font sizes, or a page number ends
   the table. A line crossing only gutters left of the task column is a cell spanning those
   columns (a category row, a task written over its empty category columns). Of what is left of a
   gutter, the range its neighbours' text lines up with is the column edge. A number alone on a line
   in a page's top or bottom band is a page number only where it stands apart from the table
   (:func:`_page_number`): a serial centred in its row stands among the row's lines.
3. **Rows**: each column's lines (the category columns aside, whose labels are merged over rows)
   are grouped into bands of lines side by side; a row edge may fall between two bands where no
   column's paragraph wraps over it (the CJK rules of :mod:`._text`). Of the ways to cut the bands
   into rows, the one with the most rows is taken in which every row holds a task and another
   column's text (or is a heading row: one short numbered label, or one label spanning the first
   columns), at most one serial, and every column's text sits at the row's top (cells aligned at
   the top) or at its middle (centred), within :data:`ALIGN_TOLERANCE` of the line pitch. Rows
   with no gap between them (a Word table without cell margins) are told apart so. A row cut by a
   page break is written from its top on either page, or, the part's last, centred lower than its
   text's middle (in the room down to the page's end), and the first row of a part going on from
   the page before may hold any of its cells. Lines below the last row that can be so cut go back
   to the body, with a note.
4. **Category labels** (columns left of the task column, or headed as levels) span rows: from
   their own row to the next label's (cells at the top), or over the rows they are centred on.

The table is handed over as a :class:`~zwgk.readers.page._cells.PageTable`, as ruled tables are:
cells' paragraphs rebuilt in each column's text box, parts on consecutive pages joined by the
stitcher (:mod:`._stitch`) when their column edges agree. A table going on at the top of the next
page (with or without its header repeated) keeps the column edges of the page before
(:class:`Follow`). Where a header was found but the text below it is not in its columns, nothing is
made a table and a note names the page (:attr:`~zwgk.readers.page._cells.PageContent.notes`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from attrs import define, field

from zwgk.readers.page._aligned_rows import (
    MIN_GUTTER,
    OUTSET,
    Columns,
    Heading,
    Line,
    crossed,
    make_line,
    read_rows,
    runs,
    straddles,
    within,
)
from zwgk.readers.page._body import FURNITURE_BAND, is_page_number
from zwgk.readers.page._cells import PageTable
from zwgk.readers.page._text import Char, line_text, lines_of
from zwgk.table.layout import MAX_HEADING_CHARS, MAX_SUBHEADING_CHARS
from zwgk.vocabulary import UNIT_ROLES, ColumnRole, classify, header_key

__all__ = [
    "END_GAP",
    "HEADER_GAP",
    "HEADER_LINES",
    "HEADER_STEP",
    "HEADINGS_GAP",
    "HEADING_WIDER",
    "LINE_UP",
    "MIN_COLUMNS",
    "MIN_HEADINGS",
    "MIN_ROWS",
    "SPACING_JUMP",
    "Follow",
    "Found",
    "find_aligned",
]

#: Pieces of a header line further apart than this many font sizes are headings of their own columns.
HEADER_GAP = 1.0
#: Two known headings set apart by more than this many font sizes are two columns' (a narrow
#: column's heading at its left may stand that close to the next).
HEADINGS_GAP = 0.4
#: … or a gap wider than the glyphs' usual spacing in the line by this many font sizes.
SPACING_JUMP = 0.1
#: A header is at least this many columns …
MIN_COLUMNS = 3
#: … with at least this many known headings (a task or unit heading among them).
MIN_HEADINGS = 3
#: A header's headings may be wrapped or centred over up to this many lines …
HEADER_LINES = 3
#: … each line's top at most this many font sizes below the one before.
HEADER_STEP = 2.0
#: A heading's wrapped rest is no wider than its first line (give or take this many font sizes).
HEADING_WIDER = 0.5
_LISTING = "、，,；;。"
#: A vertical gap between two lines of the table wider than this many font sizes ends it.
END_GAP = 5.0
#: A table has at least this many rows below its header (a one-task table is a table).
MIN_ROWS = 1
#: A number alone on a line in a margin band stands in line with the serial column's entries when its
#: left edge, right edge or centre is within this many font sizes of one of theirs.
LINE_UP = 0.25


@define
class Follow:
    """What a page's aligned tables leave the next page: the last one's columns (a table there under
    the same header, its edges within those gutters, keeps them: the stitcher joins parts by their
    edges), and whether it ran to the page's end (only furniture below it: it may go on at the
    next page's top without its header)."""

    columns: Columns | None = None
    open: bool = False


@define
class Found:
    """The aligned tables of a page, the characters outside them, and notes on what looked like a
    table but was not read as one."""

    tables: list[PageTable] = field(factory=list)
    rest: list[Char] = field(factory=list)
    notes: list[str] = field(factory=list)
    kept: set[Char] = field(factory=set)  # glyphs of margin lines reading as page numbers found to be text


def _split(line: Line) -> list[list[Char]]:
    """The line's visible glyphs in pieces, cut at gaps wider than :data:`HEADER_GAP` font sizes,
    and at narrower ones (:data:`HEADINGS_GAP`) between two known headings (序号 | 工作任务 in a
    narrow column, both at their cells' left)."""
    out: list[list[Char]] = [[line.shown[0]]]
    for a, b in itertools.pairwise(line.shown):
        if b.x0 - a.x1 > HEADER_GAP * line.size:
            out.append([b])
        else:
            out[-1].append(b)
    return [part for piece in out for part in _headings_in(piece)]


def _known(glyphs: Sequence[Char]) -> bool:
    text = line_text(glyphs)
    return len(text) <= MAX_HEADING_CHARS and classify(header_key(text))[0] is not None


def _headings_in(piece: list[Char]) -> list[list[Char]]:
    """``piece`` cut at its widest gap of more than :data:`HEADINGS_GAP` font sizes, or wider than
    its glyphs' usual spacing by :data:`SPACING_JUMP` (headings set in cells without padding, each
    at its cell's left edge), where both sides are known headings (and so on within each)."""
    spaces = sorted(b.x0 - a.x1 for a, b in itertools.pairwise(piece))
    usual = spaces[len(spaces) // 2] if spaces else 0.0
    gaps = [(b.x0 - a.x1, k + 1) for k, (a, b) in enumerate(itertools.pairwise(piece))
            if b.x0 - a.x1 > min(HEADINGS_GAP * b.size, usual + SPACING_JUMP * b.size)]
    for _, k in sorted(gaps, reverse=True):
        if _known(piece[:k]) and _known(piece[k:]):
            return _headings_in(piece[:k]) + _headings_in(piece[k:])
    return [piece]


def _score(cells: list[Heading]) -> tuple[int, int]:
    known = sum(1 for c in cells if classify(c.key)[0] is not None)
    return known, known - len(cells)


def _merge(cells: list[Heading], pieces: list[list[Char]]) -> list[Heading] | None:
    """``cells`` with a line's pieces added below them: a piece under one heading goes on with it,
    a piece under none is a heading of its own; ``None`` where a piece lies under two."""
    grown = [Heading(c.x0, c.x1, list(c.glyphs), list(c.texts)) for c in cells]
    for p in pieces:
        over = [c for c in grown if p[0].x0 < c.x1 and c.x0 < p[-1].x1]
        if len(over) > 1:
            return None
        if over:
            c = over[0]
            text = line_text(p)
            if p[-1].x1 - p[0].x0 > c.x1 - c.x0 + HEADING_WIDER * p[0].size or any(ch in text for ch in _LISTING):
                return None  # wider than the heading it would go on, or a list: a row's text below it
            c.x0, c.x1 = min(c.x0, p[0].x0), max(c.x1, p[-1].x1)
            c.glyphs.extend(p)
            c.texts.append(line_text(p))
        else:
            grown.append(Heading(p[0].x0, p[-1].x1, list(p), [line_text(p)]))
    grown.sort(key=lambda c: c.x0)
    if any(b.x0 <= a.x1 for a, b in itertools.pairwise(grown)):
        return None
    return grown


def _header(lines: list[Line], i: int, lo: int = 0) -> tuple[list[Heading], int, int] | None:
    """The header whose widest line is line ``i``: its headings left to right and the indices of
    its first and last lines (lines from ``lo`` on). Of the bands of up to :data:`HEADER_LINES`
    lines around line ``i`` (each within :data:`HEADER_STEP` of the next, headings wrapped or
    centred in their cells: 序 / 具体任务 | 牵头单位 / 号), the one with the most known headings and
    the fewest others."""
    pieces = [line_text(p) for p in _split(lines[i])]
    if not any(len(t) <= MAX_HEADING_CHARS and classify(header_key(t))[0] is not None for t in pieces):
        return None
    near = [i]
    for step in (-1, 1):
        j = i
        while len(near) < 2 * HEADER_LINES - 1 and lo <= j + step < len(lines) and \
                abs(lines[j + step].top - lines[j].top) <= HEADER_STEP * lines[j].size and \
                all(len(line_text(p)) <= MAX_SUBHEADING_CHARS for p in _split(lines[j + step])):
            j += step
            near.append(j)
    near.sort()
    best: tuple[tuple[int, int, int], list[Heading], int, int] | None = None
    for a in range(len(near)):
        for b in range(a, min(a + HEADER_LINES, len(near))):
            if not near[a] <= i <= near[b]:
                continue
            cells: list[Heading] | None = []
            for k in near[a:b + 1]:
                cells = _merge(cells, _split(lines[k])) if cells is not None else None
            if cells is None:
                continue
            # a line more, taken into the headings with none new, is a heading's wrapped rest where
            # it holds fewer pieces than there are headings (a data row fills them all)
            rest = [_split(lines[k]) for k in near[a:b + 1] if k != i]
            partial = sum(len(line_text(p)) for ps in rest for p in ps) \
                if all(len(ps) < len(cells) for ps in rest) else -1
            score = (*_score(cells), partial)
            if best is None or score > best[0]:
                best = (score, cells, near[a], near[b])
    if best is None:
        return None
    _, cells, first, last = best
    roles = [classify(c.key)[0] for c in cells]
    if len(cells) < MIN_COLUMNS or sum(r is not None for r in roles) < MIN_HEADINGS or \
            not any(r in UNIT_ROLES or r is ColumnRole.TASK for r in roles):
        return None
    if any(len(c.key) > MAX_HEADING_CHARS or any(ch in t for t in c.texts for ch in "：:") for c in cells):
        return None  # a label with its value (牵头单位：市司法局), or a sentence: no header
    return cells, first, last


def _roles(cells: list[Heading]) -> tuple[int, int | None, frozenset[int]]:
    """The task column (the most specific task heading; the widest heading's column where none is
    one), the serial column, and the category columns (level headings, and the less specific task
    headings left of the task column, as :mod:`zwgk.table.layout` reads them)."""
    found = [classify(c.key) for c in cells]
    tasks = [k for k, (r, _) in enumerate(found) if r is ColumnRole.TASK]
    task = max(tasks, key=lambda k: found[k][1]) if tasks else \
        max(range(len(cells)), key=lambda k: cells[k].x1 - cells[k].x0)
    serial = next((k for k, (r, _) in enumerate(found) if r is ColumnRole.SERIAL), None)
    levels = frozenset(k for k, (r, _) in enumerate(found) if r is ColumnRole.LEVEL or (k < task and k in tasks))
    return task, serial, levels


def _subtract(spans: list[tuple[float, float]], boxes: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out = spans
    for x0, x1 in boxes:
        nxt: list[tuple[float, float]] = []
        for a, b in out:
            if x1 <= a or x0 >= b:
                nxt.append((a, b))
                continue
            if x0 > a:
                nxt.append((a, x0))
            if x1 < b:
                nxt.append((x1, b))
        out = nxt
    return out


def _margin(line: Line, height: float) -> bool:
    band = FURNITURE_BAND * height
    return line.top < band or line.bottom > height - band


def _overlap(a: Line, b: Line) -> bool:
    """Whether two lines share a line band: their heights overlap by more than :data:`MIN_GUTTER`."""
    return min(a.bottom, b.bottom) - max(a.top, b.top) > MIN_GUTTER * a.size


def _ends(glyphs: Sequence[Char]) -> tuple[float, float, float]:
    return glyphs[0].x0, glyphs[-1].x1, (glyphs[0].x0 + glyphs[-1].x1) / 2


def _page_number(lines: list[Line], j: int, lo: int, serial: tuple[float, float] | None, height: float,
                 found: Found, fits: Callable[[Line], bool]) -> bool:
    """Whether line ``j``, in the page's top or bottom band and reading as a page number
    (:func:`~._body.is_page_number`), is one rather than the table's text (lines from ``lo`` on may
    be the table's). A page number stands apart from the table: a serial (or a date) centred in its
    row stands among the row's lines, the line before or after it (a line of the table: no page
    number, in its columns by ``fits``) sharing its line band. Where nothing stands beside it but
    it stands in the serial column (``serial``: its x-range) in line with the column's entries on
    the page (:data:`LINE_UP`), it may be either, a serial whose row's text is all on another page
    or a page number set at the margin: it is kept as text, with a note. A line found no page
    number is the table's text where its rows take it, else the body's (``found.kept``: the body
    keeps it too)."""
    ln = lines[j]
    beside = [lines[k] for k in (j - 1, j + 1) if lo <= k < len(lines)]
    if any(_overlap(ln, o) and fits(o) for o in beside
           if not (_margin(o, height) and is_page_number(line_text(o.shown)))):
        found.kept.update(ln.glyphs)
        return False
    if serial is None or not serial[0] <= ln.shown[0].x0 <= ln.shown[-1].x1 <= serial[1]:
        return True
    tol = LINE_UP * ln.size
    at = _ends(ln.shown)
    for k, o in enumerate(lines):
        entry = [g for g in o.shown if serial[0] <= (g.x0 + g.x1) / 2 <= serial[1]]
        if k != j and any(g.text.isdigit() for g in entry) and not _margin(o, height) and \
                any(abs(a - b) <= tol for a, b in zip(at, _ends(entry), strict=True)):
            where = "top" if ln.top < height / 2 else "bottom"
            if not found.kept.issuperset(ln.glyphs):  # a line looked at again (a second header below) is noted once
                found.notes.append(f"「{line_text(ln.shown)}」 in the page's {where} margin reads as a page number but "
                                   "stands in the table's serial column, in line with its serials, with nothing of "
                                   "the table beside it: kept as text (a serial, or a page number set at the margin)")
            found.kept.update(ln.glyphs)
            return False
    return True


def _starts_at(ln: Line, x: float) -> bool:
    """Whether a run of the line's text (:func:`runs`) starts at ``x``, give or take :data:`MIN_GUTTER`."""
    return any(abs(r0 - x) <= MIN_GUTTER * ln.size for r0, _ in runs(ln))


def _extent(lines: list[Line], start: int, gutters: list[list[tuple[float, float]]], seams: list[float | None],
            task: int, height: float, serial: tuple[float, float] | None, found: Found) -> int:
    """The end (exclusive) of the table's lines from ``start``: where a line crosses a gutter right
    of the task column, stands after a gap wider than :data:`END_GAP`, or is a page number
    (:func:`_page_number`; ``serial`` is the serial column's x-range, ``found`` takes a doubt).
    ``gutters`` (each gutter's free ranges) are narrowed by the lines taken, those right of the task
    column (a line crossing one of the others may be a cell spanning columns: :func:`_vote`).

    A gutter closed to no width stays open at its seam (``seams``: the next heading's left edge, as
    text in a cell starts at the cell's left edge) while no glyph runs over it (:func:`straddles`)
    and a line's text (from ``start`` on) starts there: a table printed without cell padding, one
    column's full lines set right up to the next column's text. A seam run over is set ``None``."""
    seams[task:] = [x if x is not None and any(_starts_at(ln, x) for ln in lines[start:]) else None
                    for x in seams[task:]]
    end = start
    bottom = lines[start - 1].bottom if start else None

    def narrowed(ln: Line) -> tuple[list[list[tuple[float, float]]], list[float | None]] | None:
        """The gutters and seams right of the task column the line leaves open; ``None`` where it closes one."""
        boxes = runs(ln)
        left = [[(a, b) for a, b in _subtract(g, boxes) if b - a >= MIN_GUTTER * ln.size] for g in gutters[task:]]
        open_seams = [x if x is not None and not straddles(ln, x) else None for x in seams[task:]]
        ok = all(free or x is not None for free, x in zip(left, open_seams, strict=True))
        return (left, open_seams) if ok else None

    for j in range(start, len(lines)):
        ln = lines[j]
        if bottom is not None and ln.top - bottom > END_GAP * ln.size:
            break
        if _margin(ln, height) and is_page_number(line_text(ln.shown)) and \
                _page_number(lines, j, start - 1, serial, height, found, lambda o: narrowed(o) is not None):
            break
        got = narrowed(ln)
        if got is None:
            break
        gutters[task:], seams[task:] = got
        end, bottom = j + 1, ln.bottom
    return end


def _vote(free: list[tuple[float, float]], lines: list[Line], size: float) -> tuple[float, float]:
    """The column edge's gutter among ``free`` (the ranges between two headings the lines may leave
    open): the range the most lines leave open (a few crossing it are cells spanning columns),
    then the one the neighbours' text lines up with most (the next column's lines starting at its
    right end, this column's ending at its left), then the widest. Counted range by range, so the
    lines' order does not matter."""
    covered = [runs(ln) for ln in lines]
    tol = MIN_GUTTER * size
    open_: list[tuple[int, float, float]] = []
    for a, b in free:
        points = sorted({a, b, *(x for rs in covered for r in rs for x in r if a < x < b)})
        pieces: list[tuple[int, float, float]] = []  # (lines leaving it open, from, to), equal neighbours joined
        for lo, hi in itertools.pairwise(points):
            n = sum(1 for rs in covered if not any(r0 < hi and r1 > lo for r0, r1 in rs))
            if pieces and pieces[-1][0] == n:
                pieces[-1] = (n, pieces[-1][1], hi)
            else:
                pieces.append((n, lo, hi))
        open_.extend(p for p in pieces if p[2] - p[1] >= tol)
    if not open_:
        return max(free, key=lambda r: r[1] - r[0])
    most = max(n for n, _, _ in open_)
    starts = [g.x0 for ln in lines for g in ln.shown]
    ends = [g.x1 for ln in lines for g in ln.shown]

    def lined(lo: float, hi: float) -> int:
        return sum(1 for x in starts if abs(x - hi) <= tol) + sum(1 for x in ends if abs(x - lo) <= tol)

    return max(((lined(lo, hi), hi - lo, (lo, hi)) for n, lo, hi in open_ if n == most))[2]


def _columns(header: list[Heading], lines: list[Line], gutters: list[list[tuple[float, float]]],
             seams: Sequence[float | None], previous: Columns | None) -> Columns:
    task, serial, levels = _roles(header)
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    if previous is not None and len(previous.xs) == len(header) + 1 and all(
            a.x1 <= x <= b.x0 for x, (a, b) in zip(previous.xs[1:-1], itertools.pairwise(header), strict=True)) \
            and not any(any(crossed(ln, previous)) for ln in lines):
        # the table of the page before, its header repeated, each edge between the same headings and
        # crossed by no line here: the same edges (a part of a few lines may leave other ranges open)
        return previous
    chosen: list[tuple[float, float]] = []
    for free, seam in zip(gutters, seams, strict=True):
        # a gutter no line leaves open stays open at its seam (:func:`_extent`): the edge, a gutter of no width
        chosen.append(_vote(free, lines, size) if free or seam is None else (seam, seam))
    left = min([c.x0 for c in header] + [g.x0 for ln in lines for g in ln.shown])
    right = max([c.x1 for c in header] + [g.x1 for ln in lines for g in ln.shown])
    xs = (left - OUTSET * size, *((a + b) / 2 for a, b in chosen), right + OUTSET * size)
    return Columns(xs, tuple(chosen), task, serial, levels)


def _headings(header: list[Heading]) -> str:
    return " | ".join("".join(c.texts) for c in header)


def _serial_range(xs: Sequence[float], serial: int | None) -> tuple[float, float] | None:
    """The x-range of column ``serial`` between edges ``xs`` (``None``: no serial column)."""
    return None if serial is None else (xs[serial], xs[serial + 1])


def _going_on(lines: list[Line], previous: Columns, height: float, found: Found) \
        -> tuple[PageTable, int, int, int] | None:
    """The table of the page before going on at the top of this page without its header: the
    table, its first line, the number of lines it takes and the end of the lines in its columns.
    Lines in the top margin that do not fit the columns (a running header, a page number) are
    passed over; ``None`` where a header stands at the top (its own table: :func:`find_aligned`)
    or the lines there do not fit the columns."""
    start = 0
    serial = _serial_range(previous.xs, previous.serial)
    while start < len(lines) and _margin(lines[start], height) and (
            (is_page_number(line_text(lines[start].shown)) and _page_number(
                lines, start, start, serial, height, found, lambda o: not any(crossed(o, previous)[previous.task:])))
            or any(crossed(lines[start], previous)[previous.task:])):
        start += 1
    if start == len(lines) or any(_header(lines, k, start) for k in range(start, min(start + HEADER_LINES,
                                                                                     len(lines)))):
        return None
    gutters = [[g] for g in previous.gutters]
    seams: list[float | None] = [a if a == b else None for a, b in previous.gutters]
    end = _extent(lines, start, gutters, seams, previous.task, height, serial, found)
    end = start + within(lines[start:end], previous)
    made = read_rows(None, lines[start:end], previous, lines[start].top, True) if end > start else None
    return (made[0], start, made[1], end) if made is not None else None


def _stopped(header: list[Heading] | None, line: Line) -> str:
    """A note: the table's rows stopped above ``line``, in its columns but cut into no row."""
    under = f"under the header ({_headings(header)}) " if header is not None else "going on from the page before "
    return (f"the table {under}stops above 「{line_text(line.shown)[:20]}」: the text from there on stands in its "
            "columns but does not cut into its rows; it was read as paragraphs")


def find_aligned(chars: Sequence[Char], height: float, follow: Follow) -> Found:
    """The aligned tables among a page's ``chars`` (a page without ruled tables); ``follow`` carries
    the last table's columns over to the next page."""
    found = Found()
    raw = lines_of(chars)
    made_lines = [make_line(glyphs) for glyphs in raw]
    lines = [ln for ln in made_lines if ln is not None]
    used = [False] * len(lines)
    previous, open_end = follow.columns, follow.open
    follow.open = False
    i = last_end = 0
    cont = _going_on(lines, previous, height, found) if previous is not None and open_end else None
    if cont is not None and previous is not None:
        table, first, taken, end = cont
        found.tables.append(table)
        if first + taken < end:
            found.notes.append(_stopped(None, lines[first + taken]))
        used[first:first + taken] = [True] * taken
        i = last_end = first + taken
        follow.open = all(_margin(ln, height) for ln in lines[last_end:])
    while i < len(lines):
        got = _header(lines, i, last_end)
        if got is None:
            i += 1
            continue
        header, hstart, hend = got
        gutters = [[(a.x1, b.x0)] for a, b in itertools.pairwise(header)]
        seams: list[float | None] = [b.x0 for b in header[1:]]
        task, serial = _roles(header)[:2]
        bounds = [-float("inf"), *((a.x1 + b.x0) / 2 for a, b in itertools.pairwise(header)), float("inf")]
        end = _extent(lines, hend + 1, gutters, seams, task, height, _serial_range(bounds, serial), found)
        body = lines[hend + 1:end]
        made = None
        cols = _columns(header, body, gutters, seams, previous) if body else None
        if cols is not None:
            body = body[:within(body, cols)]
            top = min(g.y0 for c in header for g in c.glyphs) - OUTSET * header[0].glyphs[0].size
            # the page before's table under its header repeated: its first row may be a cut row's rest
            going_on = open_end and not found.tables
            made = read_rows(header, body, cols, top, going_on) if body else None
        if made is None or cols is None or made[0].n_rows < MIN_ROWS + 1:
            found.notes.append(f"a line reads as a table's header ({_headings(header)}) but the text below it is "
                               "not laid out in its columns: read as paragraphs")
            i = hend + 1
            continue
        table, taken = made
        found.tables.append(table)
        if taken < len(body):
            found.notes.append(_stopped(header, body[taken]))
        used[hstart:hend + 1 + taken] = [True] * (hend + 1 - hstart + taken)
        i = last_end = hend + 1 + taken
        follow.columns = previous = cols
        follow.open = all(_margin(ln, height) for ln in lines[last_end:])
    taken_ids = {id(ln) for ln, u in zip(lines, used, strict=True) if u}
    found.rest = [g for glyphs, ln in zip(raw, made_lines, strict=True) if id(ln) not in taken_ids for g in glyphs]
    return found
