"""One PDF page: its ruled tables as cell rectangles with text, and the lines outside them.

Tables are found by pdfplumber's table finder from the ruling lines (:data:`TABLE_SETTINGS`).
The rectangles it gives are snapped into column and row edges; a rectangle crossing several edges
is a merged cell with that row and column span. Each character goes to the cell under its centre
(looked up by bisecting the edges, not by testing every cell), so a cell's text is read here, not
by pdfplumber's ``extract()``.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import define, field

from zwgk.readers.pdf._text import Char, line_text, lines_of, padding, paragraphs

__all__ = [
    "EDGE_SNAP", "FULL_CELL_ROOM", "TABLE_SETTINGS", "OffPageError", "PageCell", "PageContent", "PageTable",
    "read_page",
]

#: pdfplumber table-finder settings: tables from drawn lines only (text alignment guesses
#: tables where there are none); lines closer than 3 pt are one line.
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
#: A cell whose last line ends less than this many font sizes (plus the cell padding) above its
#: bottom is full: on a page's last row, its text may go on over the page.
FULL_CELL_ROOM = 1.0
#: Cell edges closer than this (points) are one column or row edge.
EDGE_SNAP = 2.0


class OffPageError(Exception):
    """Text drawn outside the page: the table was wider (or longer) than the page and was cut."""

    def __init__(self, page: int, text: str) -> None:
        super().__init__(page, text)
        self.page = page
        self.text = text


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


@define
class PageContent:
    """A page: its tables top to bottom, and text lines ``(top, text)`` outside them."""

    number: int
    tables: list[PageTable] = field(factory=list)
    lines: list[tuple[float, str]] = field(factory=list)
    chars: int = 0
    images: int = 0


def _edges(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_SNAP:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    i = bisect.bisect_left(edges, v - EDGE_SNAP)
    return min(i, len(edges) - 1)


def _table(found: Any, chars: list[Char], tags: Mapping[int, int] | None) -> tuple[PageTable, list[Char]]:
    """The table's cells with their text, and the characters inside it that fell in no cell."""
    rects: list[tuple[float, float, float, float]] = list(found.cells)
    xs = _edges([r[0] for r in rects] + [r[2] for r in rects])
    ys = _edges([r[1] for r in rects] + [r[3] for r in rects])
    slots: dict[tuple[int, int], int] = {}
    cells: list[PageCell] = []
    for x0, top, x1, bottom in rects:
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        k = len(cells)
        cells.append(PageCell(r0, r1, c0, c1, x0, x1, [], False))
        for r in range(r0, r1):
            for c in range(c0, c1):
                slots.setdefault((r, c), k)
    owned: list[list[Char]] = [[] for _ in cells]
    stray: list[Char] = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        c = bisect.bisect_right(xs, cx) - 1
        r = bisect.bisect_right(ys, cy) - 1
        k = slots.get((r, c), -1)
        if k < 0:
            if ch["text"].strip():
                stray.append(ch)
        else:
            owned[k].append(ch)
    lines = [lines_of(own) if own else [] for own in owned]
    pad = padding([(cell.x0, ls) for cell, ls in zip(cells, lines, strict=False)])
    for cell, ls in zip(cells, lines, strict=False):
        if ls:
            cell.paras, cell.open_end, cell.word_cut = paragraphs(ls, cell.x1, pad, cell.x0, tags)
            last = ls[-1][-1]
            cell.at_bottom = ys[cell.r1] - last["bottom"] < FULL_CELL_ROOM * last["size"] + pad
    cells.sort(key=lambda c: (c.r0, c.c0))
    return PageTable(ys[0], ys[-1], xs, len(ys) - 1, cells), stray


def read_page(page: Any, number: int, tags: Mapping[int, int] | None = None) -> tuple[PageContent, list[Char]]:
    """Read one pdfplumber page; also returns characters inside a table but in no cell.

    ``tags`` maps the page's marked-content ids to paragraphs, for a tagged PDF (see :mod:`._tags`).
    """
    chars: list[Char] = page.chars
    x0, top, x1, bottom = page.bbox
    off = [c for c in chars if c["text"].strip() and not (x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                                                          and top <= (c["top"] + c["bottom"]) / 2 <= bottom)]
    if off:
        raise OffPageError(number, "".join(c["text"] for c in off[:30]))
    content = PageContent(number, chars=sum(1 for c in chars if c["text"].strip()), images=len(page.images))
    found = sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1])
    boxes = [t.bbox for t in found]
    inside: list[list[Char]] = [[] for _ in found]
    outside: list[Char] = []
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[i].append(ch)
                break
        else:
            outside.append(ch)
    stray: list[Char] = []
    for t, own in zip(found, inside, strict=False):
        table, lost = _table(t, own, tags)
        content.tables.append(table)
        stray.extend(lost)
    for ln in lines_of(outside):
        text = line_text(ln).strip()
        if text:
            content.lines.append((float(ln[0]["top"]), text))
    return content, stray
