"""One page: its ruled tables as cell rectangles with text, and the lines outside them.

Tables come from the page's ruling (:mod:`._ruling`). Each glyph goes to the cell under its centre
(looked up by bisecting the edges, not by testing every cell), and a cell's lines are rebuilt into
paragraphs (:mod:`._text`). Glyphs inside a table's frame but in no cell (the ruling leaves an area
open to the outside) are kept as stray lines, reported by the caller.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from attrs import define, field

from zwgk.readers.page._model import Glyph, PageInput, PageSettings
from zwgk.readers.page._ruling import RuledTable, find_tables
from zwgk.readers.page._text import Char, line_text, lines_of, padding, paragraphs

__all__ = ["FULL_CELL_ROOM", "PageCell", "PageContent", "PageTable", "read_page"]

#: A cell whose last line ends less than this many font sizes (plus the cell padding) above its
#: bottom is full: on a page's last row, its text may go on over the page.
FULL_CELL_ROOM = 1.0


@define
class PageCell:
    """A cell rectangle of one page's table, in that table's row and column edges."""

    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    x1: float
    paras: list[str]
    open_end: bool  # the last line runs to the right edge (cut by the page break?)
    at_bottom: bool = False  # the last line ends at the cell's bottom (the cell is full)
    word_cut: bool = False  # the last line was cut inside a word (what goes on joins without a space)


@define
class PageTable:
    """A table as it appears on one page."""

    top: float
    bottom: float
    xs: list[float]
    n_rows: int
    cells: list[PageCell]
    open_bottom: bool = False  # its last row has no bottom border: a row cut by the page break


@define
class PageContent:
    """A page: its tables top to bottom, and text lines ``(top, text)`` outside them."""

    number: int
    tables: list[PageTable] = field(factory=list)
    lines: list[tuple[float, str]] = field(factory=list)
    chars: int = 0
    images: int = 0
    stray: list[str] = field(factory=list)  # lines inside a table's frame but in no cell
    beyond: str = ""  # text past the page's edge, read inside a table drawn past it too
    cut: str = ""  # text past the page's edge outside any table: a table cut off at the edge
    glyph_lines: list[tuple[float, list[Glyph]]] = field(factory=list)  # the lines outside tables


def _table(found: RuledTable, chars: list[Char], s: PageSettings) -> tuple[PageTable, list[Char]]:
    """The table's cells with their text, and the characters inside it that fell in no cell."""
    xs, ys = list(found.xs), list(found.ys)
    slots: dict[tuple[int, int], int] = {}
    cells: list[PageCell] = []
    for r0, r1, c0, c1 in found.cells:
        k = len(cells)
        cells.append(PageCell(r0, r1, c0, c1, xs[c0], xs[c1], [], False))
        for r in range(r0, r1):
            for c in range(c0, c1):
                slots.setdefault((r, c), k)
    owned: list[list[Char]] = [[] for _ in cells]
    stray: list[Char] = []
    for ch in chars:
        cx = (ch.x0 + ch.x1) / 2
        cy = (ch.y0 + ch.y1) / 2
        c = bisect.bisect_right(xs, cx) - 1
        r = bisect.bisect_right(ys, cy) - 1
        k = slots.get((r, c), -1)
        if k < 0:
            stray.append(ch)
        else:
            owned[k].append(ch)
    if found.open_bottom and len(ys) > 2 and all(not owned[k] for k, cell in enumerate(cells)
                                                 if cell.r0 == len(ys) - 2):
        # the area below the last drawn row border holds no text: only merged cells run on past it
        # (continued on the next page), no row was cut; the table ends at the last border
        last = len(ys) - 2
        keep = [k for k, cell in enumerate(cells) if cell.r0 < last]
        for k in keep:
            cells[k].r1 = min(cells[k].r1, last)
        cells = [cells[k] for k in keep]
        owned = [owned[k] for k in keep]
        ys = ys[:-1]
        open_bottom = False
    else:
        open_bottom = found.open_bottom
    lines = [lines_of(own) if own else [] for own in owned]
    pad = padding([(cell.x0, ls) for cell, ls in zip(cells, lines, strict=False)], s.scaled(s.max_cell_padding))
    for cell, ls in zip(cells, lines, strict=False):
        if ls:
            cell.paras, cell.open_end, cell.word_cut = paragraphs(ls, cell.x1, pad, cell.x0)
            last_glyph = ls[-1][-1]
            cell.at_bottom = (open_bottom and cell.r1 == len(ys) - 1) or \
                ys[cell.r1] - last_glyph.y1 < FULL_CELL_ROOM * last_glyph.size + pad
    return PageTable(ys[0], ys[-1], xs, len(ys) - 1, cells, open_bottom), stray


def off_page(page: PageInput) -> list[Glyph]:
    """Visible glyphs whose centre lies outside the page (a table wider than the page)."""
    w, h = page.width, page.height
    return [g for g in page.glyphs if g.text.strip() and not (0 <= (g.x0 + g.x1) / 2 <= w
                                                             and 0 <= (g.y0 + g.y1) / 2 <= h)]


def read_page(page: PageInput, s: PageSettings, glyphs: Sequence[Glyph] | None = None) -> PageContent:
    """Read one page: its tables (cells with text) and the lines outside them.

    ``glyphs`` replaces the page's own (the caller's choice of which glyphs to read).
    """
    chars = list(page.glyphs if glyphs is None else glyphs)
    content = PageContent(page.number, chars=sum(1 for c in chars if c.text.strip()), images=page.images)
    found = find_tables(page.segments, s)
    boxes = [t.bbox for t in found]
    inside: list[list[Char]] = [[] for _ in found]
    outside: list[Char] = []
    for ch in chars:
        cx = (ch.x0 + ch.x1) / 2
        cy = (ch.y0 + ch.y1) / 2
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[i].append(ch)
                break
        else:
            outside.append(ch)
    off = off_page(page)
    if off:
        held = [g for g in off if any(x0 <= (g.x0 + g.x1) / 2 <= x1 and top <= (g.y0 + g.y1) / 2 <= bottom
                                      for x0, top, x1, bottom in boxes)]
        content.beyond = "".join(g.text for g in held[:30])
        if len(held) < len(off):
            content.cut = "".join(g.text for g in off if g not in held)[:30]
    for t, own in zip(found, inside, strict=False):
        table, lost = _table(t, own, s)
        content.tables.append(table)
        content.stray.extend(text for ln in lines_of(lost) if (text := line_text(ln).strip()))
    for ln in lines_of(outside):
        text = line_text(ln).strip()
        if text:
            content.lines.append((float(ln[0].y0), text))
            content.glyph_lines.append((float(ln[0].y0), ln))
    return content
