"""Ruled tables from ruling segments: edges snapped and joined, tables as connected ruling, cells
as the areas the drawn borders close.

1. Horizontal and vertical segments are kept (others ignored); parallel ones closer than
   ``snap_tolerance`` are one line (a double border, the touching borders of two cells each drawn
   on its own, the two edges of a thin filled rectangle), and collinear pieces with gaps up to
   ``join_tolerance`` are one edge (borders drawn cell by cell, collapsed borders).
2. Edges that meet (within ``intersection_tolerance``) belong to one table: the connected parts of
   the ruling are the page's tables.
3. A table's distinct vertical edge positions are its column edges, its horizontal ones its row
   edges. Each elementary rectangle of that grid is joined to its neighbour wherever the border
   between them is not drawn. Each area is a cell, spanning the rows and columns it covers (a
   merged cell). The table's outline counts as drawn: a row cut by a page break often has no
   bottom border, and what it holds is still a cell.

This reads the same table whether its borders are drawn as lines, as rectangles per cell, as thin
filled rectangles or as cell backgrounds, and an incomplete border merges two cells rather than
losing text between them.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from attrs import frozen

from zwgk.readers.page._model import PageSettings, Segment

__all__ = ["RuledTable", "TooManySegments", "find_tables"]


class TooManySegments(Exception):
    """A page holds more ruling than :attr:`PageSettings.max_segments`."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@frozen
class RuledTable:
    """A table found on a page: its column and row edges and its cells ``(r0, r1, c0, c1)`` (edge
    indices, end exclusive), top to bottom and left to right."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[tuple[int, int, int, int], ...]
    open_bottom: bool = False  # its last row border is not drawn: column borders run on past it
    open_top: bool = False  # its first row border is not drawn: column borders start above it

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]


# An edge: (position across, start along, end along).
_Edge = tuple[float, float, float]


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted positions merged where consecutive ones are within ``tol``: each group's mean."""
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _edges(lines: list[_Edge], s: PageSettings) -> list[_Edge]:
    """Lines snapped to shared positions and joined along them."""
    if not lines:
        return []
    snap = s.scaled(s.snap_tolerance)
    join = s.scaled(s.join_tolerance)
    shortest = s.scaled(s.min_edge_length)
    centres = _cluster([p for p, _, _ in lines], snap)
    by_pos: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for p, a, b in lines:
        i = bisect.bisect_left(centres, p)
        if i == len(centres) or (i > 0 and p - centres[i - 1] < centres[i] - p):
            i -= 1
        by_pos[i].append((a, b))
    out: list[_Edge] = []
    for i, spans in by_pos.items():
        spans.sort()
        a, b = spans[0]
        for x, y in spans[1:]:
            if x <= b + join:
                b = max(b, y)
            else:
                if b - a >= shortest:
                    out.append((centres[i], a, b))
                a, b = x, y
        if b - a >= shortest:
            out.append((centres[i], a, b))
    return out


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def _covered(spans: list[tuple[float, float]], a: float, b: float, tol: float) -> bool:
    """Whether the sorted, disjoint ``spans`` cover ``[a + tol, b - tol]``."""
    lo, hi = a + tol, b - tol
    if hi <= lo:
        lo = hi = (a + b) / 2
    i = bisect.bisect_right(spans, (lo, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= lo and spans[i][1] >= hi


def _runs(ks: list[int], nc: int) -> list[tuple[int, int, int, int]]:
    out: list[tuple[int, int, int, int]] = []
    for k in ks:
        r, c = divmod(k, nc)
        if out and out[-1][0] == r and out[-1][3] == c:
            out[-1] = (r, r + 1, out[-1][2], c + 1)
        else:
            out.append((r, r + 1, c, c + 1))
    return out


def _cells(hs: list[_Edge], vs: list[_Edge], s: PageSettings) -> RuledTable | None:
    tol = s.scaled(s.intersection_tolerance)
    xs = sorted({x for x, _, _ in vs})
    ys = sorted({y for y, _, _ in hs})
    open_bottom = open_top = False
    if ys:  # column borders running on past the last row border: a row cut by the page, its bottom
        # border not drawn (or its top, above the first); the outline counts as drawn
        top, bottom = min(a for _, a, _ in vs), max(b for _, _, b in vs)
        if bottom > ys[-1] + tol:
            open_bottom = True
            ys.append(bottom)
            hs = [*hs, (bottom, xs[0], xs[-1])]
        if top < ys[0] - tol:
            open_top = True
            ys.insert(0, top)
            hs = [*hs, (top, xs[0], xs[-1])]
    if len(xs) < 2 or len(ys) < 2:
        return None
    walls_v: dict[float, list[tuple[float, float]]] = defaultdict(list)
    walls_h: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for x, a, b in vs:
        walls_v[x].append((a, b))
    for y, a, b in hs:
        walls_h[y].append((a, b))
    for spans in (*walls_v.values(), *walls_h.values()):
        spans.sort()
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))
    for r in range(nr):
        for c in range(1, nc):  # the wall left of column c
            if not _covered(walls_v.get(xs[c], []), ys[r], ys[r + 1], tol):
                _union(parent, r * nc + c - 1, r * nc + c)
    for c in range(nc):
        for r in range(1, nr):  # the wall above row r
            if not _covered(walls_h.get(ys[r], []), xs[c], xs[c + 1], tol):
                _union(parent, (r - 1) * nc + c, r * nc + c)
    areas: dict[int, list[int]] = {}
    for k in range(nr * nc):
        areas.setdefault(_find(parent, k), []).append(k)
    cells: list[tuple[int, int, int, int]] = []
    for ks in areas.values():
        rows = [k // nc for k in ks]
        cols = [k % nc for k in ks]
        r0, r1, c0, c1 = min(rows), max(rows) + 1, min(cols), max(cols) + 1
        if len(ks) == (r1 - r0) * (c1 - c0):
            cells.append((r0, r1, c0, c1))
        else:  # not a rectangle (a border missing in part): each row's runs of columns is a cell
            cells.extend(_runs(sorted(ks), nc))
    if not cells:
        return None
    cells.sort()
    # Trim edges outside every cell (ruling that touches the table without closing a cell).
    r_lo = min(c[0] for c in cells)
    r_hi = max(c[1] for c in cells)
    c_lo = min(c[2] for c in cells)
    c_hi = max(c[3] for c in cells)
    used_x = sorted({e for c in cells for e in (c[2], c[3])})
    used_y = sorted({e for c in cells for e in (c[0], c[1])})
    if used_x != list(range(c_lo, c_hi + 1)) or used_y != list(range(r_lo, r_hi + 1)):
        xi = {e: i for i, e in enumerate(used_x)}
        yi = {e: i for i, e in enumerate(used_y)}
        cells = [(yi[r0], yi[r1], xi[c0], xi[c1]) for r0, r1, c0, c1 in cells]
        return RuledTable(tuple(xs[e] for e in used_x), tuple(ys[e] for e in used_y), tuple(sorted(cells)),
                          open_bottom and used_y[-1] == len(ys) - 1, open_top and used_y[0] == 0)
    cells = [(r0 - r_lo, r1 - r_lo, c0 - c_lo, c1 - c_lo) for r0, r1, c0, c1 in cells]
    return RuledTable(tuple(xs[c_lo:c_hi + 1]), tuple(ys[r_lo:r_hi + 1]), tuple(cells),
                      open_bottom and r_hi == len(ys) - 1, open_top and r_lo == 0)


def find_tables(segments: Sequence[Segment], s: PageSettings) -> list[RuledTable]:
    """The ruled tables drawn by ``segments``, top to bottom."""
    thin = s.scaled(s.max_line_thickness)
    h_lines: list[_Edge] = []
    v_lines: list[_Edge] = []
    for g in segments:
        dx, dy = abs(g.x1 - g.x0), abs(g.y1 - g.y0)
        if dy <= thin and dx > dy:
            h_lines.append(((g.y0 + g.y1) / 2, min(g.x0, g.x1), max(g.x0, g.x1)))
        elif dx <= thin and dy > dx:
            v_lines.append(((g.x0 + g.x1) / 2, min(g.y0, g.y1), max(g.y0, g.y1)))
    hs = _edges(h_lines, s)
    vs = _edges(v_lines, s)
    if len(hs) + len(vs) > s.max_segments:
        raise TooManySegments(len(hs) + len(vs))
    if not hs or not vs:
        return []
    tol = s.scaled(s.intersection_tolerance)
    n_h = len(hs)
    parent = list(range(n_h + len(vs)))
    order = sorted(range(len(vs)), key=lambda i: vs[i][0])
    v_x = [vs[i][0] for i in order]
    for hi, (y, a, b) in enumerate(hs):
        lo = bisect.bisect_left(v_x, a - tol)
        up = bisect.bisect_right(v_x, b + tol)
        for k in range(lo, up):
            vi = order[k]
            _, top, bottom = vs[vi]
            if top - tol <= y <= bottom + tol:
                _union(parent, hi, n_h + vi)
    groups: dict[int, tuple[list[_Edge], list[_Edge]]] = {}
    for i in range(n_h + len(vs)):
        g_h, g_v = groups.setdefault(_find(parent, i), ([], []))
        if i < n_h:
            g_h.append(hs[i])
        else:
            g_v.append(vs[i - n_h])
    tables = [t for g_h, g_v in groups.values() if g_h and g_v and (t := _cells(g_h, g_v, s)) is not None]
    tables.sort(key=lambda t: (t.ys[0], t.xs[0]))
    return _outermost(tables)


def _outermost(tables: list[RuledTable]) -> list[RuledTable]:
    """The tables without a one-cell frame holding another table: a frame around the page or
    around a table is one cell holding everything, and the table inside it is what was meant."""
    def holds(t: RuledTable, u: RuledTable) -> bool:
        return t.bbox[0] <= u.bbox[0] and t.bbox[1] <= u.bbox[1] and t.bbox[2] >= u.bbox[2] \
            and t.bbox[3] >= u.bbox[3]

    return [t for t in tables if not (len(t.cells) == 1 and any(u is not t and holds(t, u) for u in tables))]
