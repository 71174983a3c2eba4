"""Rows of a table laid out without ruling (:mod:`._aligned`): its lines cut into the column
edges found, the bands of lines side by side cut into rows, category labels spanning rows, and
the part handed over as a :class:`~zwgk.readers.page._cells.PageTable`.

The rules are :mod:`._aligned`'s (its docstring, steps 3 and 4); the names here are the
distances they use.
"""

from __future__ import annotations

import bisect
import itertools

from attrs import define, frozen

from zwgk._numbering import numbering_style
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
from zwgk.table.layout import MAX_HEADING_CHARS
from zwgk.vocabulary import header_key

__all__ = [
    "ALIGN_TOLERANCE",
    "CELL_GAP",
    "FULL_STOPS",
    "FULL_WIDTH",
    "HEADING_ROW_LINES",
    "LEFT_HALF_INK",
    "LINE_OVERLAP",
    "MAX_ROW_BANDS",
    "MIN_GUTTER",
    "OUTSET",
    "RIGHT_HALF_INK",
    "Columns",
    "Heading",
    "Line",
    "crossed",
    "ink",
    "make_line",
    "read_rows",
    "runs",
    "straddles",
    "within",
]

#: What is left of a gutter narrower than this many font sizes is no gutter: the line crosses it
#: (Chromium prints a table without cell padding: a column's text may end a third of a point
#: before the next column's begins).
MIN_GUTTER = 0.02
#: Full-width punctuation drawn in one half of its em box, the other half blank: closing marks in
#: the left half, opening ones in the right. Chromium sets such a mark at a line's end in half its
#: width (CSS ``text-spacing-trim``), so its box runs half a character past the column's edge.
LEFT_HALF_INK = frozenset("，。、）》」』】〕〉")
RIGHT_HALF_INK = frozenset("（《「『【〔〈")
#: A glyph is full-width (its ink in one half, as above) when its box is at least this many font sizes wide.
FULL_WIDTH = 0.9
#: A column's text sits at its row's top (or middle) when it is off by at most this fraction of the
#: line pitch (a line off by half a pitch sits in another place).
ALIGN_TOLERANCE = 0.3
#: The lines of one cell stand at most the line pitch and this many font sizes apart (the space a
#: writer puts between paragraphs); further apart, they are two cells' text.
CELL_GAP = 1.25
#: A task's full line ending with one of these may end its cell (a sentence ended): a row may
#: begin below it. (A clause ending with ；goes on: tasks list their clauses so.)
FULL_STOPS = ("。", "！", "？")
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
class Line:
    glyphs: list[Char]  # the line's glyphs, left to right
    shown: list[Char]  # its visible ones
    top: float
    bottom: float
    size: float
    spacing: float = 0.0  # the usual space between two of its glyphs (:func:`make_line`)


def make_line(glyphs: list[Char]) -> Line | None:
    """The line of ``glyphs``; its ``spacing`` is the median space between neighbouring glyphs less
    than a font size apart (justified text, or a producer's letter spacing, sets them apart)."""
    shown = [g for g in glyphs if g.text.strip()]
    if not shown:
        return None
    sizes = sorted(g.size for g in shown)
    size = float(sizes[len(sizes) // 2])
    spaces = sorted(max(0.0, b.x0 - a.x1) for a, b in itertools.pairwise(shown) if b.x0 - a.x1 < size)
    spacing = spaces[len(spaces) // 2] if spaces else 0.0
    return Line(glyphs, shown, min(g.y0 for g in shown), max(g.y1 for g in shown), size, spacing)


@define
class Heading:
    x0: float
    x1: float
    glyphs: list[Char]
    texts: list[str]

    @property
    def key(self) -> str:
        return header_key("".join(self.texts))


def ink(g: Char) -> tuple[float, float]:
    """The x-range a glyph's ink may take: its box, but for full-width punctuation the half its mark
    is drawn in (:data:`LEFT_HALF_INK`)."""
    if g.x1 - g.x0 >= FULL_WIDTH * g.size:
        mid = (g.x0 + g.x1) / 2
        if g.text in LEFT_HALF_INK:
            return g.x0, mid
        if g.text in RIGHT_HALF_INK:
            return mid, g.x1
    return g.x0, g.x1


def runs(ln: Line) -> list[tuple[float, float]]:
    """The x-ranges the line's glyphs' boxes cover, glyphs set less than :data:`MIN_GUTTER` further
    apart than the line's usual spacing joined (a space no wider than the others between a
    justified line's glyphs is no gutter)."""
    out: list[tuple[float, float]] = []
    for g in ln.shown:
        if out and g.x0 - out[-1][1] < ln.spacing + MIN_GUTTER * ln.size:
            out[-1] = (out[-1][0], max(out[-1][1], g.x1))
        else:
            out.append((g.x0, g.x1))
    return out


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


def straddles(ln: Line, x: float) -> bool:
    """Whether a glyph of the line runs over ``x`` (its ink, :func:`ink`, on both sides by more than
    half :data:`MIN_GUTTER`): two glyphs meeting at ``x`` do not (a table printed without cell
    padding sets one column's full line right up to the next column's text)."""
    slack = MIN_GUTTER * ln.size / 2
    return any(x0 < x - slack and x1 > x + slack for x0, x1 in map(ink, ln.shown))


def crossed(ln: Line, cols: Columns) -> list[bool]:
    """Whether the line's text crosses each column edge of ``cols``: its glyphs run over it, or, at
    an edge in a gutter of no width (a seam, :mod:`._aligned`), a glyph does (:func:`straddles`)."""
    slack = MIN_GUTTER * ln.size / 2
    covered = runs(ln)
    return [straddles(ln, x) if a == b else any(r0 < x - slack and r1 > x + slack for r0, r1 in covered)
            for x, (a, b) in zip(cols.xs[1:-1], cols.gutters, strict=True)]


def within(lines: list[Line], cols: Columns) -> int:
    """How many of ``lines`` stand in ``cols`` before one crosses a gutter right of the task column."""
    return next((j for j, ln in enumerate(lines) if any(crossed(ln, cols)[cols.task:])), len(lines))


def _pieces(ln: Line, cols: Columns) -> list[_Piece]:
    over = crossed(ln, cols)
    starts = [0] + [k + 1 for k, c in enumerate(over) if not c]
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
        if any(b.top - a.top > self.pitch + CELL_GAP * b.size for ps in homes.values()
               for a, b in itertools.pairwise(ps)):
            return None  # a gap inside a column: two cells' text
        top, bottom = min(p.top for p in pcs), max(p.bottom for p in pcs)
        extents = [(min(p.top for p in ps), max(p.bottom for p in ps)) for ps in homes.values()]
        middles = [top + bottom]  # twice the middle the centred cells stand on: the text's
        if j == len(self.bands) and mode != _TOP:
            # the part's last row may be cut by the page: an engine may give it the page's room below its
            # text and centre its cells in that, lower than the text's middle (the middle one of them stands on)
            middles += [a + b for a, b in extents if a + b > top + bottom]
        # a row cut by a page break is written from its top on either page, however its cells align
        modes = [(mode, m) for m in middles] + ([(_TOP, 0.0)] if i == 0 or j == len(self.bands) else [])
        errs = []
        for how, middle in modes:
            err: float | None = 0.0
            for ctop, cbottom in extents:
                off = ctop - top  # a centred cell may still be written from its top (LibreOffice, where
                if how != _TOP:   # a cell merged over rows goes on over a page break)
                    off = min(off, abs((ctop + cbottom) - middle) / 2)
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


def read_rows(header: list[Heading] | None, lines: list[Line], cols: Columns, top: float, going_on: bool) \
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


