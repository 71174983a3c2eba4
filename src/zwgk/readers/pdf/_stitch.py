"""Joining a table's parts, page by page, into one :class:`~zwgk.table.grid.Grid`.

A table on a page continues the table of the page before when it is the page's first table, no
text stands above it, the previous page had no text after its last table, and the column edges are
the same (within :data:`COLUMN_MATCH`). Then:

- rows at its top equal to the first rows of the table's first page are the repeated header, and
  are dropped (the grid's ``header_rows``);
- the first data row continues the last row of the page before (a row split by the page break)
  when the widest cell of the row here is empty while the one above holds text (a fresh row's
  widest cell, the task, is never empty), or when every cell with text here sits under a cell
  filled down to its bottom, one of them cut mid-line (its last line runs to the right edge).
  Its cells' text is appended to the cells above;
- otherwise an empty cell at the top that spans several rows, or sits under a cell that spanned
  several rows on the page before, is the rest of that merged cell (its rowspan grows), and a
  merged cell cut mid-line (a category label split across pages) is joined the same way.

Page-number lines between the parts (``- 3 -``, ``第 3 页``) are page furniture and do not break
the table.
"""

from __future__ import annotations

import re

from attrs import define, field

from zwgk.errors import Position
from zwgk.model import Metadata
from zwgk.readers.pdf._page import PageCell, PageContent, PageTable
from zwgk.readers.pdf._text import joiner, starts_paragraph
from zwgk.table.grid import Cell, Grid

__all__ = ["COLUMN_MATCH", "PAGE_NUMBER_RE", "Stitcher"]

#: Column edges of two parts of one table differ by at most this (points).
COLUMN_MATCH = 3.0
#: A line that is only a page number is page furniture, not text around a table.
PAGE_NUMBER_RE = re.compile(
    r"^[-—－–\s]*(?:第\s*)?\d{1,5}\s*(?:页|/\s*\d{1,5}|(?:页\s*)?共\s*\d{1,5}\s*页)?[-—－–\s]*$"
)


@define
class _Rec:
    """A cell of the grid being built."""

    paras: list[str]
    rowspan: int
    colspan: int
    column: int
    row: int
    page: int
    open_end: bool
    page_rows: int  # rows it spans on the page it was last extended on
    at_bottom: bool = False  # its text fills it down to its bottom on that page
    bottom: bool = False  # reaches the bottom of the last part read
    word_cut: bool = False  # its last line was cut inside a word


def _join(a: list[str], b: list[str], run_on: bool, word_cut: bool = False) -> list[str]:
    if not b:
        return a
    if not a:
        return list(b)
    if run_on and not starts_paragraph(b[0]):
        left, right = a[-1], b[0]
        return [*a[:-1], left + joiner(left, right, word_cut) + right, *b[1:]]
    return a + b


def _signature(t: PageTable, r: int) -> tuple[tuple[int, int, str], ...]:
    return tuple((c.c0, c.c1, "\n".join(c.paras)) for c in t.cells if c.r0 == r)


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= COLUMN_MATCH for x, y in zip(a, b, strict=False))


@define
class _Table:
    xs: list[float]
    first: PageTable
    preamble: list[str]
    number: int
    recs: list[_Rec] = field(factory=list)
    n_rows: int = 0
    header_rows: int | None = None
    epilogue: list[str] = field(factory=list)
    gaps: set[int] = field(factory=set)  # columns where a single-row data cell has been empty

    def add(self, part: PageTable, page: int, continued: bool) -> None:
        skip = 0
        if continued:
            while skip < part.n_rows and skip < self.first.n_rows and \
                    _signature(part, skip) == _signature(self.first, skip) and _signature(part, skip):
                skip += 1
            if skip and self.header_rows is None:
                self.header_rows = skip
        bottoms = {(r.column, r.colspan): r for r in self.recs if r.bottom}
        for r in self.recs:
            r.bottom = False
        top = [c for c in part.cells if c.r0 == skip]
        split = continued and bool(top) and self._split(top, bottoms, self.gaps)
        base = self.n_rows - skip - (1 if split else 0)
        for c in part.cells:
            if c.r0 < skip:
                continue
            rows = c.r1 - c.r0
            above = bottoms.get((c.c0, c.c1 - c.c0)) if continued and c.r0 == skip else None
            rec: _Rec | None = None
            if above is not None:
                if split:
                    above.paras = _join(above.paras, c.paras, above.open_end, above.word_cut)
                    above.rowspan += rows - 1
                    rec = above
                elif not c.paras and (above.page_rows > 1 or rows > 1):
                    above.rowspan += rows
                    rec = above
                elif c.paras and above.open_end and above.at_bottom and (above.page_rows > 1 or rows > 1):
                    above.paras = _join(above.paras, c.paras, True, above.word_cut)
                    above.rowspan += rows
                    rec = above
            if rec is not None:
                rec.open_end = c.open_end if c.paras or split else rec.open_end
                rec.word_cut = c.word_cut if c.paras or split else rec.word_cut
                rec.at_bottom = c.at_bottom if c.paras or split else rec.at_bottom
                rec.page_rows = rows
            else:
                rec = _Rec(list(c.paras), rows, c.c1 - c.c0, c.c0, base + c.r0, page, c.open_end, rows,
                           c.at_bottom, word_cut=c.word_cut)
                self.recs.append(rec)
            rec.bottom = c.r1 == part.n_rows
            if rows == 1 and not c.paras and not (split and c.r0 == skip):
                self.gaps.add(c.c0)
        self.n_rows = base + part.n_rows

    @staticmethod
    def _split(top: list[PageCell], bottoms: dict[tuple[int, int], _Rec], gaps: set[int]) -> bool:
        """Whether the first data row of a part continues the last row of the part before.

        The evidence is the row's single-row cells (a cell spanning several rows here or above is a
        merged cell, continued by its own rule): a cell with text here under one that ended short
        of its bottom above is a fresh row; one under a cell cut mid-line (its last line fills the
        cell to its bottom) continues it; one under a cell that ended a paragraph at its bottom
        could be either. When the cells disagree, the widest (the task) decides. When no cell was
        cut mid-line, the row continues if a cell filled above is empty here in a column no row
        has left empty so far (a serial number, a lead unit: a fresh row would fill it), or if the
        row holds text only in the widest cell and another cell filled above is empty here (the
        task split between two paragraphs); otherwise it is a fresh row.
        """
        pairs = [(c, bottoms.get((c.c0, c.c1 - c.c0))) for c in top]
        if not any(c.paras for c in top):
            return False
        widest, above = max(pairs, key=lambda p: p[0].x1 - p[0].x0)
        if above is None or not above.paras:
            return False
        if not widest.paras:  # the widest cell of a fresh row (the task) is never empty
            return True
        single = [(c, a) for c, a in pairs if a is not None and c.r1 - c.r0 == 1 and a.page_rows == 1]
        went_on = [(c, a) for c, a in single if c.paras and a.paras]
        if any(not a.at_bottom for _, a in went_on):
            return False  # a cell that ended short of its bottom above has new text here: a fresh row
        cut = [c for c, a in went_on if a.open_end]
        ended = [c for c, a in went_on if not a.open_end]
        if cut and ended:  # the cells disagree: the task cell's evidence decides
            return widest in cut
        if cut:
            return True
        vacated = [c for c, a in single if not c.paras and a.paras]
        if any(c.c0 not in gaps for c in vacated):
            return True
        return [c for c, _ in went_on] == [widest] and bool(vacated)

    def grid(self, source: str) -> Grid:
        rows: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for r in sorted(self.recs, key=lambda r: (r.row, r.column)):
            pos = Position(file=source, table=self.number, row=r.row + 1, column=r.column + 1, page=r.page)
            rows[r.row].append(Cell("\n".join(r.paras), r.rowspan, r.colspan, r.column, pos))
        return Grid(tuple(tuple(r) for r in rows), source=source, table=self.number,
                    title=Metadata.title_of(self.preamble), preamble=tuple(self.preamble),
                    epilogue=tuple(self.epilogue), header_rows=self.header_rows)


class Stitcher:
    """Takes pages in order; gives back each table as soon as it is known to be complete."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.current: _Table | None = None
        self.loose: list[str] = []  # text since the last table
        self.tables = 0
        self.page_of_table: dict[int, int] = {}

    def feed(self, page: PageContent) -> list[_Table]:
        done: list[_Table] = []
        lines = [(top, t) for top, t in page.lines if not PAGE_NUMBER_RE.match(t)]
        for i, part in enumerate(page.tables):
            before = [t for top, t in lines if top < part.top and (i == 0 or top > page.tables[i - 1].bottom)]
            cur = self.current
            if cur is not None and i == 0 and not before and not self.loose and _same_columns(cur.xs, part.xs):
                cur.add(part, page.number, True)
                continue
            if cur is not None:
                done.append(cur)
            self.tables += 1
            preamble = self.loose + before
            self.loose = []
            cur = _Table(part.xs, part, preamble, self.tables)
            self.page_of_table[self.tables] = page.number
            cur.add(part, page.number, False)
            self.current = cur
        last = page.tables[-1].bottom if page.tables else None
        self.loose.extend(t for top, t in lines if last is None or top > last)
        return done

    def finish(self) -> list[_Table]:
        if self.current is None:
            return []
        self.current.epilogue = self.loose
        self.loose = []
        done, self.current = [self.current], None
        return done
