"""Joining a table's parts, page by page, into one :class:`~zwgk.table.grid.Grid`.

A table on a page continues the table of the page before when it is the page's first table, no
text stands above it, the previous page had no text after its last table, and the column edges are
the same (within ``PageSettings.column_match``). Text in the pages' margin bands between the two
parts does not stand between them when it is a running header or footer (known once it stands on a
second page: its first page's line is reported with the others) or a page mark read wrong (no
Chinese character, at most :data:`MARK_CHARS` characters: ``-l-``); such a mark is left out with a
``ReadWarning`` naming it and its page. Then:

- rows at its top equal to the first rows of the table's first page are the repeated header, and
  are dropped (the grid's ``header_rows``);
- the first data row continues the last row of the page before (a row split by the page break) when
  that row has no bottom border (the column borders run on past the last row border: HTML engines
  leave a cut row open), or when the task's cell of the row here is empty while the one above holds
  text (a fresh row's task is never empty; the task's column is the one a row of headings names,
  :func:`~zwgk.readers.page._cells.task_column`, else the widest), or when every cell with text here sits
  under a cell filled down to its bottom, one of them cut mid-line (its last line runs to the right
  edge); never when that row's bottom border is drawn while merged cells' borders run on past it to
  the page's end (an engine that leaves a cut row open closed this one: it ended there), nor when a
  cell with text here lines up with no cell the row above ended with (a row cut by the page goes on
  in the same cells). Its cells' text is appended to the cells above, each cell's last line run on
  into its first line here where it wrapped (it runs to the edge, or the first piece here would not
  have fitted). A new label in a merged column (text under a merged cell that ended short of its
  bottom) says the row ended; a full cell holding a list of whole unit names above a unit name here
  says nothing either way. A cell ending a few lines above the cut (an engine that keeps lines
  together moved them over) is weak evidence either way, unless its row left room beside it for the
  paragraph here (it would not have been moved); a 序号 or a unit left behind beside it says the
  row went on. Where the cells still disagree, the task's cell decides and a ``ReadWarning`` names the
  pages;
- otherwise an empty cell at the top that spans several rows, or sits under a cell that spanned
  several rows on the page before, is the rest of that merged cell (its rowspan grows), and a
  merged cell cut mid-line (a category label split across pages) is joined the same way, unless
  a label to its left (and left of the task) begins here, not the one above written again: a label
  lies within its parent's rows, so under a new parent it is new too;
- an empty cell ending the page before under cells that ended (or an area carrying them on) below
  which a merged cell with text begins this part, in a first row that goes on with the cut row, was
  that cell's top, its text moved over the page whole (:class:`_EmptyEnd`); where the first row is
  a row of its own, nothing says which, and a ``ReadWarning`` names the pages.

Page furniture (page numbers, running headers and footers: :mod:`._body`) is taken out by the
caller before a page is fed, so it does not break the table.
"""

from __future__ import annotations

import re

from attrs import define, field

from zwgk.errors import LayoutError, Position
from zwgk.readers.page._body import Body, BodyLine
from zwgk.readers.page._cells import PageCell, PageContent, PageTable
from zwgk.readers.page._model import PageSettings
from zwgk.readers.page._rowcut import _Rec, _same_paragraph, row_goes_on
from zwgk.readers.page._text import is_ideograph, joiner, starts_paragraph, wraps
from zwgk.table.grid import Cell, Grid, emphasised
from zwgk.table.layout import find_header, is_second_header

__all__ = ["MARK_CHARS", "Stitcher"]

#: A line in a margin band between two parts of a table, with no Chinese character and at most this
#: many characters, is a page mark read wrong (``-l-``), not text that ends the table.
MARK_CHARS = 8


def _text(rec: _Rec | None) -> str | None:
    """The text of a cell read so far, or None where there is no cell."""
    return None if rec is None else "".join(rec.paras)


def _join(a: list[str], b: list[str], run_on: bool, word_cut: bool = False) -> list[str]:
    if not b:
        return a
    if not a:
        return list(b)
    if run_on and not starts_paragraph(b[0], a[-1]):
        left, right = a[-1], b[0]
        return [*a[:-1], left + joiner(left, right, word_cut) + right, *b[1:]]
    return a + b


_SPACE = re.compile(r"\s+")


def _signature(t: PageTable, r: int) -> tuple[tuple[int, int, str], ...]:
    """A row's cells and their text without spaces (a repeated header may be spaced otherwise)."""
    return tuple((c.c0, c.c1, _SPACE.sub("", "".join(c.paras))) for c in t.cells if c.r0 == r)


def _undrawn(cell: PageCell, row: int, last: dict[int, _Rec], widest: int) -> list[_Rec]:
    """The cells of the grid that an empty ``cell`` (ending its columns' cells at grid row ``row``) continues though
    no border says so: the cells last read in its columns (``last``: column → cell), two or more,
    lying within its columns, covering them all and reaching down to its top, when it does not take
    in the task's column (``widest``: the widest where no heading names it; a task is never continued by an
    empty area). An
    engine that draws a cell spanning several rows only as far as its first row, or only on the
    page it starts on (WeasyPrint), leaves the columns of merged cells below it as one empty cell a
    row, with no border between them. Empty otherwise."""
    if cell.c1 - cell.c0 < 2 or cell.c0 <= widest < cell.c1:
        return []
    found = {id(r): r for col in range(cell.c0, cell.c1) if (r := last.get(col)) is not None}
    recs = list(found.values())
    if len(recs) < 2 or sum(r.colspan for r in recs) != cell.c1 - cell.c0 or any(
            r.column < cell.c0 or r.column + r.colspan > cell.c1 or r.row + r.rowspan != row for r in recs):
        return []
    return recs


def _unaligned(cell: PageCell, bottoms: dict[tuple[int, int], _Rec]) -> bool:
    """Whether ``cell`` (of a part's first row) begins a row as its cells say: a row cut by the page
    break goes on in the same cells, and this one, a single row with text, lines up with no cell the
    part above ended with (its columns are not one of theirs) while text stands above it. (An engine
    may draw the columns of merged labels as one empty area on one page and as cells on the next:
    an empty area above, or a cell spanning rows here, says nothing.)"""
    if not cell.paras or cell.r1 - cell.r0 > 1 or (cell.c0, cell.c1 - cell.c0) in bottoms:
        return False
    return any(r.paras and r.column < cell.c1 and cell.c0 < r.column + r.colspan for r in bottoms.values())


def _column(cell: Cell) -> int:
    return cell.column or 0


def _same_columns(a: list[float], b: list[float], tol: float) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=False))


@define
class _EmptyEnd:
    """An empty cell beginning below a part's first row and reaching its end, outside the task
    column: its own cell, or an area carrying the cells above on with no border drawn between the
    columns (:func:`_undrawn`). An engine that moves the text of a merged cell over the page whole
    (WeasyPrint, centring it in its rows) leaves its top on this page so; what begins the next page
    in its columns tells."""

    c0: int
    c1: int
    row: int  # the grid row it begins in
    rows: int  # the rows it takes on its page
    page: int
    recs: list[_Rec]  # the cells above it carried on (an area), or the empty cell itself
    carried: bool  # an area carrying the cells above on (else an empty cell of its own)


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
    #: column → the last grid row where a cell of it spanning several rows starts: below the header,
    #: a column whose rows have gone without a cell of their own, as one with an empty cell has
    spans: dict[int, int] = field(factory=dict)
    #: columns where a single-row cell of the last part's last row is empty: gaps once the next
    #: part's first row is read as a row of its own (a row the page cut may hold them there)
    tail_gaps: set[int] = field(factory=set)
    doubts: list[str] = field(factory=list)  # rows joined or kept apart on ambiguous evidence
    empty_ends: list[_EmptyEnd] = field(factory=list)  # empty cells reaching the last part's end
    header_limit: int | None = None  # rows a repeated header may take (the first part's header)
    task_column: int | None = None  # the column of the task's text, as the first part's headings name it
    cut_row: bool = False  # the last part read ended in a row without its bottom border
    row_ended: bool = False  # the last part read ended in a row closed while merged cells run on
    stretched: bool = False  # the last part read ended in a row the page ended (``PageTable.stretched``)
    last_page: int = 0
    source: str = ""
    cells: list[list[Cell] | tuple[Cell, ...]] = field(factory=list)  # the grid's finished cells, by row
    unsealed: list[int] = field(factory=list)  # rows still open to a cell (a tuple once none can come)

    def add(self, part: PageTable, page: int, continued: bool) -> None:
        skip = 0
        if continued:
            if self.header_limit is None:
                self.header_limit = self._header_rows()
            self._settle()
            while skip < min(part.n_rows, self.first.n_rows, self.header_limit) and \
                    _signature(part, skip) == _signature(self.first, skip) and _signature(part, skip):
                skip += 1
            if skip and self.header_rows is None:
                self.header_rows = skip
        bottoms = {(r.column, r.colspan): r for r in self.recs if r.bottom}
        for r in self.recs:
            r.bottom = False
        top = [c for c in part.cells if c.r0 == skip]
        ends, self.empty_ends = (self.empty_ends, []) if continued else ([], [])
        # an empty cell of its own in a column where rows have left cells empty is no sign of a moved text
        ends = [e for e in ends if e.carried or not any(col in self.gaps for col in range(e.c0, e.c1))]
        carried = frozenset(id(r) for e in ends if e.carried for r in e.recs)
        split = False
        unaligned = [c for c in top if _unaligned(c, bottoms)]
        if continued and top and unaligned:
            if self.cut_row:
                self.doubts.append(
                    f"table {self.number}, pages {self.last_page}–{page}: the page break may cut a row (its "
                    f"bottom border is not drawn), but the cells of its first row on page {page} do not line up "
                    "with the row above: it was read as a row of its own")
        elif continued and top and self.cut_row and any(c.paras for c in top):
            split = True  # the row above has no bottom border: the page cut it, and it goes on here
        elif continued and top and self.row_ended:
            split = False  # the row above was closed while the merged cells beside it ran on: it ended
        elif continued and top:
            split, doubtful = row_goes_on(top, bottoms, self.gaps | self._merged(), self.stretched, self.task_column,
                                          carried)
            if doubtful:
                how = "joined to the row above" if split else "read as a row of its own"
                self.doubts.append(
                    f"table {self.number}, pages {self.last_page}–{page}: the page break may cut a row "
                    f"(some cells run on, others end there); its first row on page {page} was {how}")
        if continued and top:  # the last row's empty cells are gaps where it ended, or stayed empty going on
            self.gaps |= {col for col in self.tail_gaps
                          if not split or any(c.c0 == col and c.r1 - c.r0 == 1 and not c.paras for c in top)}
        self.tail_gaps = set()
        previous, self.last_page = self.last_page, page
        base = self.n_rows - skip - (1 if split else 0)
        last = {col: r for r in bottoms.values() for col in range(r.column, r.column + r.colspan)}
        widest = self.task_column if self.task_column is not None else \
            max(range(len(part.xs) - 1), key=lambda i: part.xs[i + 1] - part.xs[i])
        merged = self._merged() if continued else set()
        starts = self._tops_moved(ends, top, split, merged, bottoms, last, previous, page)
        changed: int | None = None  # the first label column left of the task where a new category begins here
        for c in sorted(part.cells, key=lambda c: (c.r0, c.c0)):
            if c.r0 < skip:
                continue
            rows = c.r1 - c.r0
            shared = 1 if split and c.r0 == skip else 0  # the row above goes on here: one grid row
            undrawn = [] if c.paras else _undrawn(c, base + c.r0 + shared, last, widest)
            for r in undrawn:  # cells above that run on here, their borders not drawn
                r.rowspan += rows - shared
                r.page_rows = rows
                r.bottom = c.r1 == part.n_rows
                self._spanned(r)
            if undrawn:
                if c.r1 == part.n_rows and c.r0 > skip:
                    self.empty_ends.append(_EmptyEnd(c.c0, c.c1, base + c.r0, rows, page, undrawn, True))
                continue
            above = bottoms.get((c.c0, c.c1 - c.c0)) if continued and c.r0 == skip else None
            rec: _Rec | None = None
            if above is not None:
                same = _same_paragraph(above, c)
                if split:  # a line short of the edge still wrapped if the next one's first piece would not fit
                    run_on = same if same is not None else \
                        above.open_end or (bool(c.paras) and wraps(above.room, above.size, c.need))
                    above.paras = _join(above.paras, c.paras, run_on, above.word_cut)
                    above.bold += c.bold
                    above.rowspan += rows - 1
                    rec = above
                elif not c.paras and (above.page_rows > 1 or rows > 1):
                    above.rowspan += rows
                    rec = above
                elif same or (same is None and c.paras and above.open_end and above.at_bottom
                              and wraps(above.room, above.size, c.need)
                              and (above.page_rows > 1 or rows > 1 or c.c0 in merged)
                              and not (changed is not None and changed < c.c0 < widest)):
                    # a merged cell cut mid-line: its last line left less room than the text here starts with
                    # (spanning rows on either page, or one row of each in a column of merged cells), and
                    # no category to its left begins here (a label lies within its parent's rows)
                    if not same and above.page_rows == 1:  # one row of it above: it may have ended with that row
                        self.doubts.append(
                            f"table {self.number}, pages {previous}–{page}: the page break may cut a merged "
                            f"cell (column {c.c0 + 1}: 「{above.paras[-1][-10:]}」 then 「{c.paras[0][:10]}」 on page "
                            f"{page}); it was read as one cell")
                    above.paras = _join(above.paras, c.paras, True, above.word_cut)
                    above.bold += c.bold
                    above.rowspan += rows
                    rec = above
            if rec is not None:
                rec.open_end = c.open_end if c.paras or split else rec.open_end
                rec.word_cut = c.word_cut if c.paras or split else rec.word_cut
                rec.at_bottom = c.at_bottom if c.paras or split else rec.at_bottom
                rec.near = c.near if c.paras or split else rec.near
                rec.spare = c.spare if c.paras or split else rec.spare
                if c.paras:
                    rec.room, rec.size, rec.last_tag = c.room, c.size, c.last_tag
                rec.page_rows = rows
            else:
                row, first = base + c.r0, page
                if c.r0 == skip and c.c0 in starts:  # the top of this cell was left empty on the page before
                    row, first = starts[c.c0]
                elif continued and c.r0 == skip and c.paras and c.c0 < widest and changed is None and \
                        (rows > 1 or c.c0 in merged) and _text(last.get(c.c0)) != "".join(c.paras):
                    changed = c.c0  # a label of its own, not the one above written again: its children begin here
                rec = _Rec(list(c.paras), rows + base + c.r0 - row, c.c1 - c.c0, c.c0, row, first, c.open_end, rows,
                           c.at_bottom, c.near, spare=c.spare, word_cut=c.word_cut, room=c.room, size=c.size,
                           last_tag=c.last_tag, bold=list(c.bold))
                self.recs.append(rec)
                if not c.paras and c.r1 == part.n_rows and c.r0 > skip and not c.c0 <= widest < c.c1:
                    self.empty_ends.append(_EmptyEnd(c.c0, c.c1, row, rows, page, [rec], False))
            rec.bottom = c.r1 == part.n_rows
            last.update((col, rec) for col in range(c.c0, c.c1))
            self._spanned(rec)
            if rows == 1 and not c.paras and not (split and c.r0 == skip):
                (self.tail_gaps if c.r1 == part.n_rows else self.gaps).add(c.c0)
        self.n_rows = base + part.n_rows
        self.cut_row = part.open_bottom
        self.row_ended = part.row_ended
        self.stretched = part.stretched

    def _tops_moved(self, ends: list[_EmptyEnd], top: list[PageCell], split: bool, merged: set[int],
                    bottoms: dict[tuple[int, int], _Rec], last: dict[int, _Rec], previous: int,
                    page: int) -> dict[int, tuple[int, int]]:
        """The empty cells that ended the last part (:class:`_EmptyEnd`) under which a merged cell with
        text begins this part (spanning rows here, or in a column of merged cells): the top of that
        cell, its text moved over the page whole, or the end of what stands above them.

        Where the part's first row goes on with the row the page cut, the cell here takes in that row
        (it begins in it), so the empty cell above was its top: the cells an area carried on end above
        it again, an empty cell of its own goes, and the cell here begins where it began (returned:
        column → grid row and page). Where the first row here is a row of its own, nothing says which:
        the read is left as it was and a warning names the pages."""
        starts: dict[int, tuple[int, int]] = {}
        for end in ends:
            def merged_column(c: PageCell, end: _EmptyEnd = end) -> bool:  # not by the rows the area added
                r = next((r for r in end.recs if r.column <= c.c0 < r.column + r.colspan), None)
                return c.c0 in merged and (not end.carried or r is None or r.rowspan - end.rows > 1)

            here = [c for c in top if c.paras and end.c0 <= c.c0 and c.c1 <= end.c1
                    and (c.r1 - c.r0 > 1 or merged_column(c))]
            if not here:
                continue
            if not split:
                self.doubts.append(
                    f"table {self.number}, pages {previous}–{page}: the page break may cut a merged cell (column"
                    f"{f's {end.c0 + 1}–{end.c1}' if end.c1 - end.c0 > 1 else f' {end.c0 + 1}'} left empty at the "
                    f"end of page {previous}, 「{here[0].paras[0][:10]}」 beginning page {page}: its text may have "
                    "been moved over the page whole); it was read as "
                    + ("the end of the cells above it" if end.carried else "an empty cell"))
                continue
            for r in end.recs:
                if end.carried:  # an area carried the cells above on: they end above it again
                    r.rowspan -= end.rows
                else:  # an empty cell of its own: the top of the cell here
                    self.recs.remove(r)
                bottoms.pop((r.column, r.colspan), None)
                for col in range(r.column, r.column + r.colspan):
                    if last.get(col) is r:
                        del last[col]
            starts.update((c.c0, (end.row, end.page)) for c in here)
        return starts

    def _spanned(self, r: _Rec) -> None:
        if r.rowspan > 1:
            for col in range(r.column, r.column + r.colspan):
                self.spans[col] = max(r.row, self.spans.get(col, r.row))

    def _merged(self) -> set[int]:
        """The columns where a data cell has spanned several rows (a category label merged down):
        a fresh row need not fill them, as it need not fill a gap (the merged cell may go on)."""
        header = self.header_rows if self.header_rows is not None else (self.header_limit or 0)
        return {col for col, row in self.spans.items() if row >= header}

    def _header_rows(self) -> int:
        """How many rows at the top of the first part are its header (the core's header finder on
        that part; one row when it finds none): only those can be repeated on later pages, so a
        table repeated whole on every page is not taken for its own header."""

        grid = self.grid("")
        try:
            start = find_header(grid)
        except LayoutError:
            return 1
        second = start + 1 < len(grid.rows) and is_second_header(grid.rows[start], grid.rows[start + 1])
        return start + (2 if second else 1)

    def _cell(self, r: _Rec, source: str) -> Cell:
        pos = Position(file=source, table=self.number, row=r.row + 1, column=r.column + 1, page=r.page)
        text = "\n".join(r.paras)
        return Cell(text, r.rowspan, r.colspan, r.column, pos, emphasised(text, r.bold) if r.bold else ())

    def _settle(self) -> None:
        """The cells that did not reach the bottom of the last part read made into the grid's cells
        and let go: only a cell at the bottom can go on below (a row cut by the break, a merged cell
        run on), so what is kept over the pages is the open last row, not the table."""
        cells = self.cells
        self.unsealed.extend(range(len(cells), self.n_rows))
        cells.extend([] for _ in range(self.n_rows - len(cells)))
        kept: list[_Rec] = []
        for r in self.recs:
            if r.bottom:
                kept.append(r)
            else:
                row = cells[r.row]
                assert isinstance(row, list)  # a sealed row takes no cell (see below)
                row.append(self._cell(r, self.source))
        self.recs = kept
        # A row is sealed (made the grid's row) once no cell can come to it: none starts in it that
        # may still go on, and it is above the last row (where the next part's first row may join).
        still = {r.row for r in kept} | {self.n_rows - 1}
        unsealed = []
        for i in self.unsealed:
            if i in still:
                unsealed.append(i)
            else:
                cells[i] = tuple(sorted(cells[i], key=_column))
        self.unsealed = unsealed

    def grid(self, source: str) -> Grid:
        open_rows: dict[int, list[Cell]] = {}
        for r in self.recs:
            open_rows.setdefault(r.row, []).append(self._cell(r, source))
        done = self.cells
        rows = tuple(row if isinstance(row := (done[i] if i < len(done) else ()), tuple) and i not in open_rows
                     else tuple(sorted([*row, *open_rows.get(i, ())], key=_column))
                     for i in range(self.n_rows))
        return Grid(rows, source=source, table=self.number,
                    preamble=tuple(self.preamble),
                    epilogue=tuple(self.epilogue), header_rows=self.header_rows)


class Stitcher:
    """Takes pages in order; gives back each table as soon as it is known to be complete."""

    def __init__(self, source: str, settings: PageSettings, body: Body | None = None) -> None:
        self.source = source
        self.body = body  # what it knows of page furniture
        self.column_match = settings.scaled(settings.column_match)
        self.current: _Table | None = None
        self.loose: list[tuple[int, BodyLine]] = []  # text since the last table, with its page
        self.tables = 0
        self.page_of_table: dict[int, int] = {}
        self._done_doubts: list[str] = []

    def take_warnings(self) -> list[str]:
        """The doubts of the tables read so far (each once), naming the file, table and pages."""
        out = [f"{self.source}, {d}" for d in self._done_doubts]
        self._done_doubts = []
        if self.current is not None:
            out.extend(f"{self.source}, {d}" for d in self.current.doubts)
            self.current.doubts.clear()
        return out

    def feed(self, page: PageContent, lines: list[BodyLine]) -> list[_Table]:
        """Take a page (``lines``: its lines outside tables, page furniture known so far left out)."""
        done: list[_Table] = []
        for i, part in enumerate(page.tables):
            before = [(page.number, ln) for ln in lines
                      if ln.top < part.top and (i == 0 or ln.top > page.tables[i - 1].bottom)]
            between = self.loose + before
            cur = self.current
            if cur is not None and i == 0 and all(self._furniture(ln) for _, ln in between) \
                    and _same_columns(cur.xs, part.xs, self.column_match):
                self._leave_out(cur, between)
                self.loose = []
                cur.add(part, page.number, True)
                continue
            if cur is not None:
                done.append(cur)
                self._done_doubts.extend(cur.doubts)
                cur.doubts.clear()
            self.tables += 1
            preamble = [ln.text for _, ln in between]
            self.loose = []
            cur = _Table(part.xs, part, preamble, self.tables, source=self.source, task_column=part.task)
            self.page_of_table[self.tables] = page.number
            cur.add(part, page.number, False)
            self.current = cur
        last = page.tables[-1].bottom if page.tables else None
        self.loose.extend((page.number, ln) for ln in lines if last is None or ln.top > last)
        return done

    def _furniture(self, line: BodyLine) -> bool:
        """Whether a margin line between two parts of a table is page furniture rather than text."""
        if not line.margin:
            return False
        if self.body is not None and self.body.is_furniture(line.text):
            return True
        return len(line.text) <= MARK_CHARS and not any(is_ideograph(ch) for ch in line.text)

    def _leave_out(self, table: _Table, between: list[tuple[int, BodyLine]]) -> None:
        for page, ln in between:
            if self.body is not None and self.body.is_furniture(ln.text):
                self.body.left_out(ln.text, page)
            else:
                table.doubts.append(f"table {table.number}, page {page}: 「{ln.text}」 in the page's margin between "
                                    "two parts of the table left out (a page number or footer read wrong?)")

    def finish(self) -> list[_Table]:
        if self.current is None:
            return []
        self.current.epilogue = [ln.text for _, ln in self.loose]
        self.loose = []
        done, self.current = [self.current], None
        return done
