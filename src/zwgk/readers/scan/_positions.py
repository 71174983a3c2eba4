"""Pixel boxes and confidences for the cells of tables read from page images.

The page stage gives each cell its page; the lines recognised on that page know their box in
pixels and their confidence. Each cell takes, in reading order, the lines of its page whose text
continues its own (a line's text is a piece of exactly one cell: lines never cross a rule), so
the cell's :class:`~zwgk.errors.Position` gets the box around its lines and the confidence of
its least sure character. A cell continued on the next page keeps the box of its first page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from attrs import evolve

from zwgk.readers.scan._engine import Line
from zwgk.table.grid import Cell, Grid

__all__ = ["locate"]


def _squash(text: str) -> str:
    return "".join(text.split())


def locate(tables: Iterable[Grid], lines: dict[int, Sequence[Line]]) -> list[Grid]:
    """``tables`` with each cell's position given the box and confidence of its lines."""
    pools = {page: [(_squash(ln.text), ln) for ln in page_lines] for page, page_lines in lines.items()}
    used: dict[int, set[int]] = {page: set() for page in pools}
    out = []
    for grid in tables:
        rows = []
        for row in grid.rows:
            rows.append(tuple(_locate(cell, pools, used) for cell in row))
        out.append(evolve(grid, rows=tuple(rows)))
    return out


def _locate(cell: Cell, pools: dict[int, list[tuple[str, Line]]], used: dict[int, set[int]]) -> Cell:
    page = cell.position.page
    rest = _squash(cell.text)
    if page is None or page not in pools or not rest:
        return cell
    mine: list[Line] = []
    taken = used[page]
    for i, (text, line) in enumerate(pools[page]):
        if i in taken or not text or not rest.startswith(text):
            continue
        taken.add(i)
        mine.append(line)
        rest = rest[len(text):]
        if not rest:
            break
    if not mine:
        return cell
    box = (min(ln.box[0] for ln in mine), min(ln.box[1] for ln in mine),
           max(ln.box[2] for ln in mine), max(ln.box[3] for ln in mine))
    confidence = round(min(ln.confidence for ln in mine), 3)
    return evolve(cell, position=evolve(cell.position, box=box, confidence=confidence))
