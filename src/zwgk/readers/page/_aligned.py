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
   gutter, the range its neighbours' text lines up with is the column edge.
3. **Rows**: each column's lines (the category columns aside, whose labels are merged over rows)
   are grouped into bands of lines side by side; a row edge may fall between two bands where no
   column's paragraph wraps over it (the CJK rules of :mod:`._text`). Of the ways to cut the bands
   into rows, the one with the most rows is taken in which every row holds a task and another
   column's text (or is a heading row: one short numbered label, or one label spanning the first
   columns), at most one serial, and every column's text sits at the row's top (cells aligned at
   the top) or at its middle (centred), within :data:`ALIGN_TOLERANCE` of the line pitch. Rows
   with no gap between them (a Word table without cell margins) are told apart so. A row cut by a
   page break is written from its top on either page, and the first row of a part going on from
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

import bisect
import itertools
from collections.abc import Sequence

from attrs import define, field, frozen

from zwgk._numbering import numbering_style
from zwgk.readers.page._body import FURNITURE_BAND, is_page_number
from zwgk.readers.page._cells import DEFAULT_PITCH, PageCell, PageTable, fill_cells
from zwgk.readers.page._text import (
    LINE_TOLERANCE,
    MID_SENTENCE,
    PARAGRAPH_GAP,
    Char,
    line_text,
    lines_of,
    need,
    starts_paragraph,
    wraps,
)
from zwgk.table.layout import MAX_HEADING_CHARS, MAX_SUBHEADING_CHARS
from zwgk.vocabulary import UNIT_ROLES, ColumnRole, classify, header_key

__all__ = [
    "ALIGN_TOLERANCE",
    "CELL_GAP",
    "END_GAP",
    "FULL_STOPS",
    "HEADER_GAP",
    "HEADER_LINES",
    "HEADER_STEP",
    "HEADINGS_GAP",
    "HEADING_ROW_LINES",
    "HEADING_WIDER",
    "LINE_OVERLAP",
    "MAX_ROW_BANDS",
    "MIN_COLUMNS",
    "MIN_GUTTER",
    "MIN_HEADINGS",
    "MIN_ROWS",
    "OUTSET",
    "Columns",
    "Follow",
    "Found",
    "find_aligned",
]

#: Pieces of a header line further apart than this many font sizes are headings of their own columns.
HEADER_GAP = 1.0
#: Two known headings set apart by more than this many font sizes are two columns' (a narrow
#: column's heading at its left may stand that close to the next).
HEADINGS_GAP = 0.4
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
#: What is left of a gutter narrower than this many font sizes is no gutter: the line crosses it
#: (Chromium prints a table without cell padding: a column's text may end a third of a point
#: before the next column's begins).
MIN_GUTTER = 0.02
#: A vertical gap between two lines of the table wider than this many font sizes ends it.
END_GAP = 5.0
#: A column's text sits at its row's top (or middle) when it is off by at most this fraction of the
#: line pitch (a line off by half a pitch sits in another place).
ALIGN_TOLERANCE = 0.3
#: The lines of one cell stand at most the line pitch and this many font sizes apart (the space a
#: writer puts between paragraphs); further apart, they are two cells' text.
CELL_GAP = 1.0
#: A task's full line ending with one of these may end its cell (a sentence ended): a row may
#: begin below it. (A clause ending with ；goes on: tasks list their clauses so.)
FULL_STOPS = ("。", "！", "？")
#: A table has at least this many rows below its header (a one-task table is a table).
MIN_ROWS = 1
#: A row spans at most this many bands of lines (a bound on the search, far above any row).
MAX_ROW_BANDS = 80
#: A heading row (a category label written across the columns) is at most this many lines.
HEADING_ROW_LINES = 2
#: Lines whose boxes overlap by less than this many font sizes stand one under the other.
LINE_OVERLAP = 0.15
#: A table's outer edges stand this many font sizes outside its outermost text.
OUTSET = 0.1
_TOP, _CENTRE = "top", "centre"


@frozen
class Columns:
    """An aligned table's columns: edges, the gutters the edges stand in, and what each column is."""

    xs: tuple[float, ...]
    gutters: tuple[tuple[float, float], ...]
    task: int
    serial: int | None
    levels: frozenset[int]


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


@define
class _Line:
    glyphs: list[Char]  # the line's glyphs, left to right
    shown: list[Char]  # its visible ones
    top: float
    bottom: float
    size: float


def _line(glyphs: list[Char]) -> _Line | None:
    shown = [g for g in glyphs if g.text.strip()]
    if not shown:
        return None
    sizes = sorted(g.size for g in shown)
    return _Line(glyphs, shown, min(g.y0 for g in shown), max(g.y1 for g in shown), float(sizes[len(sizes) // 2]))


def _split(line: _Line) -> list[list[Char]]:
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
    """``piece`` cut at its widest gap of more than :data:`HEADINGS_GAP` font sizes where both
    sides are known headings (and so on within each)."""
    gaps = [(b.x0 - a.x1, k + 1) for k, (a, b) in enumerate(itertools.pairwise(piece))
            if b.x0 - a.x1 > HEADINGS_GAP * b.size]
    for _, k in sorted(gaps, reverse=True):
        if _known(piece[:k]) and _known(piece[k:]):
            return _headings_in(piece[:k]) + _headings_in(piece[k:])
    return [piece]


@define
class _Heading:
    x0: float
    x1: float
    glyphs: list[Char]
    texts: list[str]

    @property
    def key(self) -> str:
        return header_key("".join(self.texts))


def _score(cells: list[_Heading]) -> tuple[int, int]:
    known = sum(1 for c in cells if classify(c.key)[0] is not None)
    return known, known - len(cells)


def _merge(cells: list[_Heading], pieces: list[list[Char]]) -> list[_Heading] | None:
    """``cells`` with a line's pieces added below them: a piece under one heading goes on with it,
    a piece under none is a heading of its own; ``None`` where a piece lies under two."""
    grown = [_Heading(c.x0, c.x1, list(c.glyphs), list(c.texts)) for c in cells]
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
            grown.append(_Heading(p[0].x0, p[-1].x1, list(p), [line_text(p)]))
    grown.sort(key=lambda c: c.x0)
    if any(b.x0 <= a.x1 for a, b in itertools.pairwise(grown)):
        return None
    return grown


def _header(lines: list[_Line], i: int, lo: int = 0) -> tuple[list[_Heading], int, int] | None:
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
    best: tuple[tuple[int, int, int], list[_Heading], int, int] | None = None
    for a in range(len(near)):
        for b in range(a, min(a + HEADER_LINES, len(near))):
            if not near[a] <= i <= near[b]:
                continue
            cells: list[_Heading] | None = []
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


def _roles(cells: list[_Heading]) -> tuple[int, int | None, frozenset[int]]:
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


def _margin(line: _Line, height: float) -> bool:
    band = FURNITURE_BAND * height
    return line.top < band or line.bottom > height - band


def _extent(lines: list[_Line], start: int, gutters: list[list[tuple[float, float]]], task: int,
            height: float) -> int:
    """The end (exclusive) of the table's lines from ``start``: where a line crosses a gutter right
    of the task column, stands after a gap wider than :data:`END_GAP`, or is a page number.
    ``gutters`` (each gutter's free ranges) are narrowed by the lines taken, those right of the task
    column (a line crossing one of the others may be a cell spanning columns: :func:`_vote`)."""
    end = start
    bottom = lines[start - 1].bottom if start else None
    for j in range(start, len(lines)):
        ln = lines[j]
        if bottom is not None and ln.top - bottom > END_GAP * ln.size:
            break
        if _margin(ln, height) and is_page_number(line_text(ln.shown)):
            break
        boxes = [(g.x0, g.x1) for g in ln.shown]
        left = [[(a, b) for a, b in _subtract(g, boxes) if b - a >= MIN_GUTTER * ln.size] for g in gutters[task:]]
        if not all(left):
            break
        gutters[task:] = left
        end, bottom = j + 1, ln.bottom
    return end


def _runs(ln: _Line) -> list[tuple[float, float]]:
    """The x-ranges the line's glyphs cover, glyphs closer than :data:`MIN_GUTTER` joined."""
    out: list[tuple[float, float]] = []
    for g in ln.shown:
        if out and g.x0 - out[-1][1] < MIN_GUTTER * ln.size:
            out[-1] = (out[-1][0], max(out[-1][1], g.x1))
        else:
            out.append((g.x0, g.x1))
    return out


def _vote(free: list[tuple[float, float]], lines: list[_Line], size: float) -> tuple[float, float]:
    """The column edge's gutter among ``free`` (the ranges between two headings the lines may leave
    open): the range the most lines leave open (a few crossing it are cells spanning columns),
    then the one the neighbours' text lines up with most (the next column's lines starting at its
    right end, this column's ending at its left), then the widest. Counted range by range, so the
    lines' order does not matter."""
    runs = [_runs(ln) for ln in lines]
    tol = MIN_GUTTER * size
    open_: list[tuple[int, float, float]] = []
    for a, b in free:
        points = sorted({a, b, *(x for rs in runs for r in rs for x in r if a < x < b)})
        pieces: list[tuple[int, float, float]] = []  # (lines leaving it open, from, to), equal neighbours joined
        for lo, hi in itertools.pairwise(points):
            n = sum(1 for rs in runs if not any(r0 < hi and r1 > lo for r0, r1 in rs))
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


@define
class _Piece:
    """A line's glyphs in one column, or in a span of columns its text crosses."""

    c0: int
    c1: int
    home: int  # the column the piece counts for: the task column where it spans it, else its first
    glyphs: list[Char]
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    level: bool = False  # a category label (merged over rows)
    band: int = -1

    @property
    def text(self) -> str:
        return line_text(self.glyphs)


def _crossed(ln: _Line, cols: Columns) -> list[bool]:
    """Whether the line's text crosses each column edge of ``cols`` (its glyphs run over it)."""
    slack = MIN_GUTTER * ln.size / 2
    runs = _runs(ln)
    return [any(r0 < x - slack and r1 > x + slack for r0, r1 in runs) for x in cols.xs[1:-1]]


def _within(lines: list[_Line], cols: Columns) -> int:
    """How many of ``lines`` stand in ``cols`` before one crosses a gutter right of the task column."""
    return next((j for j, ln in enumerate(lines) if any(_crossed(ln, cols)[cols.task:])), len(lines))


def _pieces(ln: _Line, cols: Columns) -> list[_Piece]:
    crossed = _crossed(ln, cols)
    starts = [0] + [k + 1 for k, c in enumerate(crossed) if not c]
    groups: dict[int, list[Char]] = {}
    for g in ln.glyphs:
        col = min(max(bisect.bisect_right(cols.xs, (g.x0 + g.x1) / 2) - 1, 0), len(cols.xs) - 2)
        groups.setdefault(starts[bisect.bisect_right(starts, col) - 1], []).append(g)
    out = []
    for c0, glyphs in sorted(groups.items()):
        shown = [g for g in glyphs if g.text.strip()]
        if not shown:
            continue
        i = starts.index(c0)
        c1 = starts[i + 1] if i + 1 < len(starts) else len(cols.xs) - 1
        home = cols.task if c0 <= cols.task < c1 else c0
        out.append(_Piece(c0, c1, home, glyphs, min(g.y0 for g in shown), max(g.y1 for g in shown),
                          shown[0].x0, shown[-1].x1, ln.size,
                          level=all(c in cols.levels for c in range(c0, c1))))
    return out


@define
class _Rows:
    bands: list[list[_Piece]]
    pitch: float
    boxes: dict[tuple[int, int], tuple[float, float]]  # each span's text box over the table
    serial: int | None
    task: int
    going_on: bool = False  # the part goes on from the page before: its first row may be a cut row's rest

    def valid(self, i: int, j: int, mode: str) -> float | None:
        """How far the text of bands ``i``–``j`` (end exclusive) is from lining up as one row in
        ``mode``; ``None`` where they are no row."""
        pcs = [p for b in self.bands[i:j] for p in b]
        homes: dict[int, list[_Piece]] = {}
        for p in pcs:
            homes.setdefault(p.home, []).append(p)
        cut_rest = i == 0 and self.going_on  # the rest of a row the page cut: any of its cells
        if (self.task not in homes or len(homes) < 2) and not cut_rest:
            return 0.0 if self._heading(homes) else None
        if self.serial is not None and len(homes.get(self.serial, ())) > 1:
            return None
        top, bottom = min(p.top for p in pcs), max(p.bottom for p in pcs)
        # a row cut by a page break is written from its top on either page, however its cells align
        modes = (mode, _TOP) if i == 0 or j == len(self.bands) else (mode,)
        errs = []
        for how in modes:
            err: float | None = 0.0
            for ps in homes.values():
                if any(b.top - a.top > self.pitch + CELL_GAP * b.size for a, b in itertools.pairwise(ps)):
                    return None  # a gap inside a column: two cells' text
                ctop, cbottom = min(p.top for p in ps), max(p.bottom for p in ps)
                off = ctop - top  # a centred cell may still be written from its top (LibreOffice, where
                if how != _TOP:   # a cell merged over rows goes on over a page break)
                    off = min(off, abs((ctop + cbottom) - (top + bottom)) / 2)
                if off > ALIGN_TOLERANCE * self.pitch:
                    err = None
                    break
                err = (err or 0.0) + off
            if err is not None:
                errs.append(err)
        return min(errs, default=None)

    def _heading(self, homes: dict[int, list[_Piece]]) -> bool:
        """One short label alone in a row, no sentence: numbered (一、 （二）), or spanning the first
        columns."""
        if len(homes) != 1:
            return False
        (ps,) = homes.values()
        text = "".join(p.text for p in ps)
        return len(ps) <= HEADING_ROW_LINES and len(header_key(text)) <= 2 * MAX_HEADING_CHARS and \
            not text.endswith((*FULL_STOPS, "；", ";")) and (
                numbering_style(text) is not None or (ps[0].c0 == 0 and ps[0].c1 - ps[0].c0 > 1))

    def wrapped(self, a: _Piece, b: _Piece) -> bool:
        """Whether ``b`` (the next line of ``a``'s column) surely goes on with ``a``'s paragraph: in
        the task column, where it wraps (:func:`~zwgk.readers.page._text.wraps`) and ``a`` ends no
        sentence; elsewhere where ``a`` also stops mid-list (a short column's lines, unit names
        centred in their cells, fill its width as often as not: a full line there says nothing)."""
        if b.top - a.top > self.pitch + PARAGRAPH_GAP * b.size:
            return False
        if a.text.endswith(FULL_STOPS) or (a.home != self.task and not a.text.endswith(MID_SENTENCE)):
            return False  # a full line ending a sentence may end its cell as well
        left, right = self.boxes[(a.c0, a.c1)]
        text = line_text(a.glyphs)
        room = right - a.x1 + max(0.0, a.x0 - left)
        return not starts_paragraph(b.glyphs, text) and wraps(room, a.size, need(b.glyphs, right - left))

    def cut(self, mode: str, allowed: list[bool]) -> tuple[int, list[tuple[int, int]], float]:
        """The longest run of bands from the first that cuts into rows (the number of bands), its
        rows (band ranges) and their misalignment: most rows, then least misalignment."""
        n = len(self.bands)
        best: list[tuple[int, float, int] | None] = [None] * (n + 1)  # rows, -err, start of last row
        best[0] = (0, 0.0, 0)
        for j in range(1, n + 1):
            for i in range(max(0, j - MAX_ROW_BANDS), j):
                prev = best[i]
                if prev is None or (i and not allowed[i]):
                    continue
                err = self.valid(i, j, mode)
                if err is None:
                    continue
                cand = (prev[0] + 1, prev[1] - err, i)
                cur = best[j]
                if cur is None or cand[:2] > cur[:2]:
                    best[j] = cand
        m = next((j for j in range(n, 0, -1) if best[j] is not None and (j == n or allowed[j])), 0)
        rows: list[tuple[int, int]] = []
        j = m
        while j:
            got = best[j]
            assert got is not None
            rows.append((got[2], j))
            j = got[2]
        final = best[m]
        return m, rows[::-1], -(final[1] if final is not None else 0.0)


def _bands(pieces: list[_Piece], size: float) -> list[list[_Piece]]:
    bands: list[list[_Piece]] = []
    bottom = 0.0
    for p in sorted(pieces, key=lambda p: (p.top, p.x0)):
        if bands and p.top < bottom - LINE_OVERLAP * size:
            bands[-1].append(p)
            bottom = max(bottom, p.bottom)
        else:
            bands.append([p])
            bottom = p.bottom
        p.band = len(bands) - 1
    return bands


def _pitch(pieces: list[_Piece], size: float) -> float:
    by: dict[tuple[int, int], list[float]] = {}
    for p in pieces:
        by.setdefault((p.c0, p.c1), []).append(p.top)
    steps = [b - a for tops in by.values() for a, b in itertools.pairwise(sorted(tops))
             if b - a > LINE_TOLERANCE * size]
    # where no cell holds two lines, the least step is between rows: no more than a usual pitch is believed
    return min([*steps, DEFAULT_PITCH * size])


def _boxes(pieces: list[_Piece]) -> dict[tuple[int, int], tuple[float, float]]:
    boxes: dict[tuple[int, int], tuple[float, float]] = {}
    for p in pieces:
        a, b = boxes.get((p.c0, p.c1), (p.x0, p.x1))
        boxes[(p.c0, p.c1)] = (min(a, p.x0), max(b, p.x1))
    return boxes


def _level_spans(blocks: list[list[_Piece]], extents: list[tuple[float, float]], occupied: set[int],
                 mode: str) -> list[tuple[int, int, list[_Piece]]]:
    """The rows each category label of one column spans ``(first, last, pieces)``, and the rows no
    label spans as empty cells (``pieces`` empty): from a label's own row to the next label's
    (cells at the top), or the rows it is centred on; a spanning task's rows (``occupied``) are no
    label's."""
    n = len(extents)

    def rows_of(block: list[_Piece]) -> tuple[int, int]:
        top, bottom = min(p.top for p in block), max(p.bottom for p in block)
        over = [r for r, (t, b) in enumerate(extents) if t < bottom and top < b]
        if not over:  # between rows: the nearest
            mid = (top + bottom) / 2
            r = min(range(n), key=lambda r: abs((extents[r][0] + extents[r][1]) / 2 - mid))
            return r, r
        return over[0], over[-1]

    out: list[tuple[int, int, list[_Piece]]] = []
    placed: list[tuple[int, int, list[_Piece]]] = []
    for r0, r1, block in sorted(((*rows_of(b), b) for b in blocks), key=lambda t: t[0]):
        if placed and r0 <= placed[-1][1]:  # two pieces of text in one row: one label
            p0, p1, pb = placed[-1]
            placed[-1] = (p0, max(p1, r1), pb + block)
        else:
            placed.append((r0, r1, block))
    runs: list[tuple[int, int]] = []
    for r in range(n):
        if r in occupied:
            continue
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    for lo, hi in runs:
        inside = [t for t in placed if lo <= t[0] <= hi]
        if not inside:
            out.extend((r, r, []) for r in range(lo, hi + 1)) if lo else out.append((lo, hi, []))
            continue
        start = lo
        for k, (r0, r1, block) in enumerate(inside):
            last = inside[k + 1][0] - 1 if k + 1 < len(inside) else hi
            r1 = min(r1, last)
            if mode == _TOP:
                s, e = r0, last
            else:
                btop = min(p.top for p in block)
                mid = (btop + max(p.bottom for p in block)) / 2

                def off(ab: tuple[int, int], mid: float = mid, btop: float = btop, hi: int = hi) -> tuple[float, int]:
                    """How far the label is from the middle of rows ``ab``; or, where they run to the
                    part's end (a label merged over a page break is written from its top), from
                    their top."""
                    a, b = ab
                    centre = abs((extents[a][0] + extents[b][1]) / 2 - mid)
                    return min(centre, abs(extents[a][0] - btop)) if b == n - 1 else centre, a - b

                firsts = range(start, r0 + 1) if k == 0 else range(start, start + 1)
                ends = range(r1, last + 1) if k + 1 < len(inside) else range(last, last + 1)
                s, e = min(((a, b) for a in firsts for b in ends if a <= b), key=off)
            if s > start:
                out.append((start, s - 1, []))
            out.append((s, e, block))
            start = e + 1
        if start <= hi:  # what no label took (rows after a centred label) goes with the last
            s0, _e0, b0 = out[-1]
            out[-1] = (s0, hi, b0)
    return out


def _table(header: list[_Heading] | None, lines: list[_Line], cols: Columns, top: float, going_on: bool) \
        -> tuple[PageTable, int] | None:
    """The table of ``lines`` (below its header) in ``cols``, and how many of the lines it took;
    ``None`` where no row can be cut."""
    pieces = [p for ln in lines for p in _pieces(ln, cols)]
    if not pieces:
        return None
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    data = [p for p in pieces if not p.level]
    if not data:
        return None
    bands = _bands(data, size)
    rows = _Rows(bands, _pitch(data, size), _boxes(pieces), cols.serial, cols.task, going_on)
    allowed = [True] * (len(bands) + 1)
    by_col: dict[tuple[int, int], list[_Piece]] = {}
    for p in data:
        by_col.setdefault((p.c0, p.c1), []).append(p)
    for ps in by_col.values():
        ps.sort(key=lambda p: p.top)
        for a, b in itertools.pairwise(ps):
            if b.band > a.band and rows.wrapped(a, b):
                for k in range(a.band + 1, b.band + 1):
                    allowed[k] = False
    cuts = {mode: rows.cut(mode, allowed) for mode in (_TOP, _CENTRE)}
    mode = max(cuts, key=lambda m: (cuts[m][0], len(cuts[m][1]), -cuts[m][2], m == _TOP))
    m, spans, _err = cuts[mode]
    if not spans:
        return None
    bottom_y = max(p.bottom for b in bands[:m] for p in b)
    taken = sum(1 for ln in lines if ln.top < bottom_y)
    levels = [p for p in pieces if p.level and p.top < bottom_y]
    extents = [(min(p.top for b in bands[i:j] for p in b), max(p.bottom for b in bands[i:j] for p in b))
               for i, j in spans]
    head = 1 if header is not None else 0
    ys = [top] if header is not None else []
    if header is not None:
        hb = max(g.y1 for c in header for g in c.glyphs)
        ys.append((hb + extents[0][0]) / 2)
    else:
        ys.append(min([extents[0][0], *(p.top for p in levels)]) - OUTSET * size)
    ys.extend((a[1] + b[0]) / 2 for a, b in itertools.pairwise(extents))
    ys.append(max([extents[-1][1], *(p.bottom for p in levels)]) + OUTSET * size)
    n_cols = len(cols.xs) - 1
    cells: list[PageCell] = []
    owned: list[list[Char]] = []
    edges: list[tuple[float, float]] = []

    def add(r0: int, r1: int, c0: int, c1: int, glyphs: list[Char], box: tuple[float, float] | None) -> None:
        cells.append(PageCell(r0, r1, c0, c1, cols.xs[c0], cols.xs[c1], [], False))
        owned.append(glyphs)
        edges.append(box if box is not None else (cols.xs[c0], cols.xs[c1]))

    if header is not None:
        for k, heading in enumerate(header):
            add(0, 1, k, k + 1, list(heading.glyphs), (heading.x0, heading.x1))
    occupied: dict[int, set[int]] = {c: set() for c in cols.levels}
    for r, (i, j) in enumerate(spans):
        groups: list[list[int]] = []  # column spans of the row's pieces, overlapping ones joined
        row_pieces = [p for b in bands[i:j] for p in b]
        for p in sorted(row_pieces, key=lambda p: p.c0):
            if groups and p.c0 < groups[-1][1]:
                groups[-1][1] = max(groups[-1][1], p.c1)
            else:
                groups.append([p.c0, p.c1])
        if len(groups) == 1 and groups[0][0] == 0 and groups[0][1] > 1:
            groups = [[0, n_cols]]  # a label alone across the first columns: a heading row, across the table
        covered: dict[int, tuple[int, int]] = {}
        for c0, c1 in groups:
            for c in range(c0, c1):
                covered[c] = (c0, c1)
        for c in range(n_cols):
            if c in cols.levels and c not in covered:
                continue
            c0, c1 = covered.get(c, (c, c + 1))
            if c != c0:
                continue
            mine = [p for p in row_pieces if c0 <= p.c0 and p.c1 <= c1]
            for lc in range(c0, c1):
                if lc in occupied:
                    occupied[lc].add(r)
            glyphs = [g for p in mine for g in sorted(p.glyphs, key=lambda g: g.x0)]
            box = (min(p.x0 for p in mine), max(p.x1 for p in mine)) if mine else None
            if mine and len({(p.c0, p.c1) for p in mine}) == 1:
                box = rows.boxes[(mine[0].c0, mine[0].c1)]
            add(r + head, r + head + 1, c0, c1, glyphs, box)
    for c in sorted(cols.levels):
        mine = sorted((p for p in levels if p.home == c), key=lambda p: p.top)
        blocks: list[list[_Piece]] = []
        for p in mine:
            if blocks and p.top - blocks[-1][-1].top <= rows.pitch + PARAGRAPH_GAP * p.size:
                blocks[-1].append(p)
            else:
                blocks.append([p])
        box = rows.boxes.get((c, c + 1))
        for s, e, block in _level_spans(blocks, extents, occupied[c], mode):
            if any(s <= r <= e for r in occupied[c]):
                return None  # a label where a spanning cell stands: not a table read with confidence
            add(s + head, e + head + 1, c, c + 1, [g for p in block for g in p.glyphs], box)
    lines_of_cells = [lines_of(own) if own else [] for own in owned]
    order = sorted(range(len(cells)), key=lambda k: (cells[k].r0, cells[k].c0))
    cells = [cells[k] for k in order]
    lines_of_cells = [lines_of_cells[k] for k in order]
    edges = [edges[k] for k in order]
    stretched = fill_cells(cells, lines_of_cells, ys, 0.0, False, edges)
    table = PageTable(ys[0], ys[-1], list(cols.xs), len(ys) - 1, cells, False, False, stretched)
    return table, taken


def _columns(header: list[_Heading], lines: list[_Line], gutters: list[list[tuple[float, float]]],
             previous: Columns | None) -> Columns:
    task, serial, levels = _roles(header)
    size = sorted(ln.size for ln in lines)[len(lines) // 2]
    if previous is not None and len(previous.xs) == len(header) + 1 and all(
            a.x1 <= x <= b.x0 for x, (a, b) in zip(previous.xs[1:-1], itertools.pairwise(header), strict=True)) \
            and not any(any(_crossed(ln, previous)) for ln in lines):
        # the table of the page before, its header repeated, each edge between the same headings and
        # crossed by no line here: the same edges (a part of a few lines may leave other ranges open)
        return previous
    chosen = tuple(_vote(free, lines, size) for free in gutters)
    left = min([c.x0 for c in header] + [g.x0 for ln in lines for g in ln.shown])
    right = max([c.x1 for c in header] + [g.x1 for ln in lines for g in ln.shown])
    xs = (left - OUTSET * size, *((a + b) / 2 for a, b in chosen), right + OUTSET * size)
    return Columns(xs, chosen, task, serial, levels)


def _headings(header: list[_Heading]) -> str:
    return " | ".join("".join(c.texts) for c in header)


def _going_on(lines: list[_Line], previous: Columns, height: float) -> tuple[PageTable, int, int, int] | None:
    """The table of the page before going on at the top of this page without its header: the
    table, its first line, the number of lines it takes and the end of the lines in its columns.
    Lines in the top margin that do not fit the columns (a running header, a page number) are
    passed over; ``None`` where a header stands at the top (its own table: :func:`find_aligned`)
    or the lines there do not fit the columns."""
    start = 0
    while start < len(lines) and _margin(lines[start], height) and (
            is_page_number(line_text(lines[start].shown)) or any(_crossed(lines[start], previous)[previous.task:])):
        start += 1
    if start == len(lines) or any(_header(lines, k, start) for k in range(start, min(start + HEADER_LINES,
                                                                                     len(lines)))):
        return None
    gutters = [[g] for g in previous.gutters]
    end = _extent(lines, start, gutters, previous.task, height)
    end = start + _within(lines[start:end], previous)
    made = _table(None, lines[start:end], previous, lines[start].top, True) if end > start else None
    return (made[0], start, made[1], end) if made is not None else None


def _stopped(header: list[_Heading] | None, line: _Line) -> str:
    """A note: the table's rows stopped above ``line``, in its columns but cut into no row."""
    under = f"under the header ({_headings(header)}) " if header is not None else "going on from the page before "
    return (f"the table {under}stops above 「{line_text(line.shown)[:20]}」: the text from there on stands in its "
            "columns but does not cut into its rows; it was read as paragraphs")


def find_aligned(chars: Sequence[Char], height: float, follow: Follow) -> Found:
    """The aligned tables among a page's ``chars`` (a page without ruled tables); ``follow`` carries
    the last table's columns over to the next page."""
    found = Found()
    raw = lines_of(chars)
    made_lines = [_line(glyphs) for glyphs in raw]
    lines = [ln for ln in made_lines if ln is not None]
    used = [False] * len(lines)
    previous, open_end = follow.columns, follow.open
    follow.open = False
    i = last_end = 0
    cont = _going_on(lines, previous, height) if previous is not None and open_end else None
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
        end = _extent(lines, hend + 1, gutters, _roles(header)[0], height)
        body = lines[hend + 1:end]
        made = None
        cols = _columns(header, body, gutters, previous) if body else None
        if cols is not None:
            body = body[:_within(body, cols)]
            top = min(g.y0 for c in header for g in c.glyphs) - OUTSET * header[0].glyphs[0].size
            # the page before's table under its header repeated: its first row may be a cut row's rest
            going_on = open_end and not found.tables
            made = _table(header, body, cols, top, going_on) if body else None
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
