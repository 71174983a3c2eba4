"""One page: its ruled tables as cell rectangles with text, and the lines outside them.

Tables come from the page's ruling (:mod:`._ruling`). Each glyph goes to the cell under its centre
(looked up by bisecting the edges, not by testing every cell), and a cell's lines are rebuilt into
paragraphs (:mod:`._text`). Glyphs inside a table's frame but in no cell (the ruling leaves an area
open to the outside) are kept as stray lines, reported by the caller.
"""

from __future__ import annotations

import bisect
import itertools
import math
import statistics
from collections.abc import Sequence

from attrs import define, field

from zwgk._numbering import numbering_style
from zwgk.readers.page._model import Glyph, PageInput, PageSettings
from zwgk.readers.page._ruling import RuledTable, find_tables
from zwgk.readers.page._text import Char, line_pitch, line_text, lines_of, padding, paragraphs
from zwgk.table.layout import MAX_HEADING_CHARS
from zwgk.vocabulary import ColumnRole, classify, header_key

__all__ = ["CUT_ROW_LINES", "DEFAULT_PITCH", "FULL_CELL_ROOM", "HEADING_ROWS", "SEPARATE_LABEL_GAP",
           "SQUEEZE_TOLERANCE", "STRETCH_MIN_ROWS", "STRETCH_TOLERANCE", "PageCell", "PageContent", "PageTable",
           "fill_cells", "read_page", "set_outside", "task_column"]

#: A cell whose last line ends less than this many font sizes (plus the cell padding) above its
#: bottom is full: on a page's last row, its text may go on over the page.
FULL_CELL_ROOM = 1.0
#: A page's last row is stretched (its height set by the page's end, not by its text) when the text
#: of its fullest cell ends more than this many font sizes higher above the row's bottom than the
#: text of the fullest cell of the table's other rows on the page ends above theirs.
STRETCH_TOLERANCE = 0.25
#: The page ended its last row too when the text of its fullest cell ends more than this many font
#: sizes closer to the row's bottom than the fullest cells of the other rows end to theirs: a row
#: its text ended keeps its cells' bottom padding below the text, a row the page cut right below
#: its last line that fitted loses it (WeasyPrint). A table's last row measures about a tenth of a
#: font size less than the others (its bottom border drawn otherwise).
SQUEEZE_TOLERANCE = 0.2
#: The table's other rows on the page that must hold text for that measure to be taken.
STRETCH_MIN_ROWS = 2
#: A cell of a page's last row whose text ends less than this many lines (the line pitch measured
#: on the page) above the row's lowest text is near the cut: an engine that cuts a row may move
#: lines more than the cut needs to the next page (two lines of a paragraph kept together there,
#: or a paragraph too short to split moved whole), so its text may go on over the page too.
CUT_ROW_LINES = 3.0
#: The line pitch, in font sizes, believed where no cell on the page holds two lines.
DEFAULT_PITCH = 1.5
#: Two blocks of a merged cell's text further apart than this many font sizes, each opening with a
#: number in one style, were laid out in cells of their own (:func:`_split_unruled`).
SEPARATE_LABEL_GAP = 1.5
#: The rows at a table's top where a row of headings naming the task's column is looked for.
HEADING_ROWS = 2


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
    room: float = 0.0  # the room its last line leaves, and the font size there
    size: float = 0.0
    need: float = 0.0  # what its first line's first piece needs at the end of a line before
    near: bool = False  # in the page's last row, its text ends near the row's lowest text (:data:`CUT_ROW_LINES`)
    #: in the page's last row, the lines of room its text leaves beside the row's (:func:`_near_cut`)
    spare: float = 0.0
    lead_lines: int = 0  # the lines its first paragraph takes
    #: the structure tree's paragraph of its first and last character (:attr:`Glyph.tag`; ``None`` untagged)
    first_tag: int | None = None
    last_tag: int | None = None
    bold: tuple[str, ...] = ()  # its texts set bold, in order (:attr:`CellText.bold`)


@define
class PageTable:
    """A table as it appears on one page."""

    top: float
    bottom: float
    xs: list[float]
    n_rows: int
    cells: list[PageCell]
    open_bottom: bool = False  # its last row has no bottom border: a row cut by the page break
    #: its last row's bottom border is drawn while merged cells' borders run on past it to the
    #: page's end (an engine that leaves a cut row open drew this one closed): the row ended here
    row_ended: bool = False
    #: its last row is stretched: the page, not its text, ended it (:func:`_near_cut`)
    stretched: bool = False
    #: the column of the task's text, as a row of headings names it (:func:`task_column`)
    task: int | None = None


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
    notes: list[str] = field(factory=list)  # what looked like a table but was not read as one (:mod:`._aligned`)
    kept: set[Glyph] = field(factory=set)  # glyphs of margin lines reading as page numbers found to be text


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
    task = task_column(cells, owned, xs)
    cells, owned, ys = _drop_slivers(cells, owned, ys, xs, task)
    open_bottom = found.open_bottom
    row_ended = False
    if open_bottom and len(ys) > 2 and all(not owned[k] for k, cell in enumerate(cells)
                                           if cell.r0 == len(ys) - 2):
        # the area below the last drawn row border holds no text of its own: only merged cells run
        # on past it (continued on the next page), and the row above it ended there
        cells, owned, ys = _drop_edge(cells, owned, ys, len(ys) - 1)
        open_bottom = False
        row_ended = True
    if found.open_top and len(ys) > 2 and all((ch.y0 + ch.y1) / 2 > ys[1] for own in owned for ch in own):
        # above the first drawn row border, no text: the borders of a cell continued from the page
        # before, drawn from above the page's top
        cells, owned, ys = _drop_edge(cells, owned, ys, 0)
    lines = [lines_of(own) if own else [] for own in owned]
    cells, lines = _split_unruled(cells, lines, ys)
    pad = padding([(cell.x0, ls) for cell, ls in zip(cells, lines, strict=False)], s.scaled(s.max_cell_padding))
    stretched = fill_cells(cells, lines, ys, pad, open_bottom)
    return PageTable(ys[0], ys[-1], xs, len(ys) - 1, cells, open_bottom, row_ended, stretched, task), stray


def fill_cells(cells: list[PageCell], lines: list[list[list[Char]]], ys: list[float], pad: float,
               open_bottom: bool = False, edges: Sequence[tuple[float, float]] | None = None) -> bool:
    """Each cell's lines rebuilt into its paragraphs, and what a page break may have done to it
    (:class:`PageCell`); whether the page's last row is stretched (:func:`_near_cut`).

    ``edges`` gives each cell's text box (left, right) where no border does (a table laid out
    without ruling: :mod:`._aligned`); otherwise the cell's own edges, less the cell ``pad``.
    """
    stretched = _near_cut(cells, lines, ys)
    pitch = line_pitch(lines)
    for k, (cell, ls) in enumerate(zip(cells, lines, strict=False)):
        if ls:
            left, right = edges[k] if edges is not None else (cell.x0, cell.x1)
            cell.paras, cell.open_end, cell.word_cut, cell.room, cell.size, cell.need, cell.bold, cell.lead_lines = \
                paragraphs(ls, right, pad, left, pitch)
            last_glyph = ls[-1][-1]
            shown = [g for ln in ls for g in ln if g.text.strip()]
            if shown:
                cell.first_tag, cell.last_tag = shown[0].tag, shown[-1].tag
            cell.at_bottom = (open_bottom and cell.r1 == len(ys) - 1) or \
                ys[cell.r1] - last_glyph.y1 < FULL_CELL_ROOM * last_glyph.size + pad or \
                (stretched and cell.near)  # the page ended the row: text near its end may go on
    return stretched


def task_column(cells: list[PageCell], owned: list[list[Char]], xs: list[float]) -> int | None:
    """The column of the task's text, as a row of headings at the table's top (of its first
    :data:`HEADING_ROWS`) names it: of the columns named a task or its requirements (具体任务,
    工作要求), the widest, the cell a fresh row never leaves empty; ``None`` where no row of
    headings (two cells or more naming a column's role) names one, and the widest column stands for
    it. Generated and converted tables do not always give the task the widest column: a unit
    column listing long names may be wider."""
    for r in range(HEADING_ROWS):
        roles: list[tuple[PageCell, ColumnRole]] = []
        for cell, own in zip(cells, owned, strict=True):
            text = "".join(line_text(ln) for ln in lines_of(own)) if cell.r0 == r and own else ""
            role = classify(header_key(text))[0] if 0 < len(text) <= MAX_HEADING_CHARS else None
            if role is not None:
                roles.append((cell, role))
        if len(roles) >= 2:
            named = [c for cell, role in roles if role in (ColumnRole.TASK, ColumnRole.REQUIREMENT)
                     for c in range(cell.c0, cell.c1)]
            return max(named, key=lambda i: xs[i + 1] - xs[i]) if named else None
    return None


def _near_cut(cells: list[PageCell], lines: list[list[list[Char]]], ys: list[float]) -> bool:
    """Mark the cells of the page's last row whose text ends near the row's lowest text
    (:attr:`PageCell.near`, :data:`CUT_ROW_LINES`), and the room they leave beside the row's text
    (:attr:`PageCell.spare`: the height of the row's text, from its highest line to its lowest, less
    the cell's own, in lines); whether the row is stretched.

    A row's height is set by its fullest cell: the text there ends the cell's bottom padding above
    the row's bottom, in every row alike (the table's other rows on the page measure it: the median
    of their fullest cells' room). A last row whose fullest cell leaves more room than that
    (:data:`STRETCH_TOLERANCE`) was not ended by its text but by the page: an engine cut the row
    below a line that would not fit, and maybe above lines it moved along; so was one whose fullest
    cell leaves clearly less (:data:`SQUEEZE_TOLERANCE`): cut right below its last line, without
    the padding a row's own end leaves (the row is stretched all the same). Rows made taller than
    their text (a least height) are taller all over the page, and the median measures them too.
    Measured on the cells' glyph lines alone, whoever made the page."""
    last = len(ys) - 1
    rooms: dict[int, float] = {}
    pitches: list[float] = []
    ends: list[tuple[PageCell, float, float]] = []  # the last row's cells, their text's bottom and top
    size = 0.0
    for cell, ls in zip(cells, lines, strict=True):
        if not ls:
            continue
        bottom = max(g.y1 for g in ls[-1])
        rooms[cell.r1] = min(rooms.get(cell.r1, math.inf), ys[cell.r1] - bottom)
        pitches.extend(b[0].y0 - a[0].y0 for a, b in itertools.pairwise(ls))
        if cell.r1 == last:
            ends.append((cell, bottom, min(g.y0 for g in ls[0])))
            size = max(size, max(g.size for g in ls[-1]))
    if not ends:
        return False
    pitch = statistics.median(pitches) if pitches else DEFAULT_PITCH * size
    lowest = max(bottom for _, bottom, _ in ends)
    highest = min((t for c, _, t in ends if c.r0 == last - 1), default=lowest)
    for cell, bottom, top in ends:
        cell.near = lowest - bottom < CUT_ROW_LINES * pitch
        if cell.r0 == last - 1:  # a cell of that row alone
            cell.spare = ((lowest - highest) - (bottom - top)) / pitch
    others = [room for r, room in rooms.items() if r != last]
    if len(others) < STRETCH_MIN_ROWS:
        return False
    usual = statistics.median(others)
    return rooms[last] > usual + STRETCH_TOLERANCE * size or rooms[last] < usual - SQUEEZE_TOLERANCE * size


def _drop_edge(cells: list[PageCell], owned: list[list[Char]], ys: list[float], r: int) \
        -> tuple[list[PageCell], list[list[Char]], list[float]]:
    """The table without row edge ``r``. The first or last edge takes the row it closes along
    (the cells only in that row go, the others end at the next edge); an edge inside the table
    joins the rows on either side (the cells starting at it go, the cells ending at it reach on
    to the next edge). The caller checks that the cells that go are empty: no text moves."""
    last = len(ys) - 1
    if r == 0:
        gone = [c.r1 == 1 for c in cells]
    elif r == last:
        gone = [c.r0 == last - 1 for c in cells]
    else:
        gone = [c.r0 == r for c in cells]
    owned = [o for o, g in zip(owned, gone, strict=True) if not g]
    cells = [c for c, g in zip(cells, gone, strict=True) if not g]
    for c in cells:
        if r == 0:
            c.r0, c.r1 = max(c.r0 - 1, 0), c.r1 - 1
        elif r == last:
            c.r1 = min(c.r1, last - 1)
        else:
            c.r0, c.r1 = c.r0 - (c.r0 > r), c.r1 - (c.r1 > r)
    return cells, owned, ys[:r] + ys[r + 1:]


def _drop_slivers(cells: list[PageCell], owned: list[list[Char]], ys: list[float], xs: list[float],
                  task: int | None = None) -> tuple[list[PageCell], list[list[Char]], list[float]]:
    """The row edges that only merged cells' borders make, taken out.

    A row edge that ends no cell with text of a single row (only merged cells, or empty ones), where
    every cell starting is empty and a cell with text crosses it, is no row of the table: it is the
    bottom border of a merged cell drawn inside a row (an HTML engine that splits a merged cell
    over a page break misplaces its end), and below it, down to the row's real bottom, lie only
    empty slivers. The slivers go; the cells whose border it was reach down to the row's bottom
    (no text moves).
    """
    r = 1
    widest = task if task is not None else max(range(len(xs) - 1), key=lambda i: xs[i + 1] - xs[i])
    while r < len(ys) - 1:
        starting = [k for k, c in enumerate(cells) if c.r0 == r]
        ending = [k for k, c in enumerate(cells) if c.r1 == r]
        crossing = [k for k, c in enumerate(cells) if c.r0 < r < c.r1 and owned[k]]
        task_crosses = any(cells[k].c0 <= widest < cells[k].c1 for k in crossing)
        if not starting or not crossing or any(owned[k] for k in starting) or (
                not task_crosses and any(owned[k] and cells[k].r1 - cells[k].r0 == 1 for k in ending)):
            r += 1
            continue
        for k in starting:  # an empty cell under a cell of the same columns is the rest of it
            for j in ending:
                if (cells[j].c0, cells[j].c1) == (cells[k].c0, cells[k].c1):
                    cells[j].r1 = cells[k].r1
        cells, owned, ys = _drop_edge(cells, owned, ys, r)
    return cells, owned, ys


def _split_unruled(cells: list[PageCell], lines: list[list[list[Char]]], ys: list[float]) \
        -> tuple[list[PageCell], list[list[list[Char]]]]:
    """Cells spanning rows split where they hold labels laid out in cells of their own.

    A cell over several rows whose text is blocks far apart (more than :data:`SEPARATE_LABEL_GAP`
    font sizes between them: one cell's paragraphs follow each other at the line pitch), each
    opening with a number in the style of the first (五、 then 六、), was two cells the writer drew
    no border between. It is split at the row edge between the blocks; of several, the one that
    centres the block above in its rows (labels are centred in their cells).
    """
    out_cells: list[PageCell] = []
    out_lines: list[list[list[Char]]] = []
    for cell, ls in zip(cells, lines, strict=True):
        style = numbering_style(line_text(ls[0])) if cell.r1 - cell.r0 > 1 and len(ls) > 1 else None
        cuts: list[tuple[int, int]] = []  # (first line, row edge) of each block after the first
        for i in range(1, len(ls)) if style is not None else ():
            above, top = max(g.y1 for g in ls[i - 1]), min(g.y0 for g in ls[i])
            if top - above <= SEPARATE_LABEL_GAP * ls[i][0].size or numbering_style(line_text(ls[i])) != style:
                continue
            first, start = (cuts[-1][0], cuts[-1][1]) if cuts else (0, cell.r0)
            edges = [e for e in range(start + 1, cell.r1) if above <= ys[e] <= top]
            if edges:
                guess = min(g.y0 for g in ls[first]) + above - ys[start]  # twice the block's centre, less its top
                cuts.append((i, min(edges, key=lambda e: abs(ys[e] - guess))))
        bounds = [(0, cell.r0), *cuts, (len(ls), cell.r1)]
        for (i, r0), (j, r1) in itertools.pairwise(bounds):
            out_cells.append(PageCell(r0, r1, cell.c0, cell.c1, cell.x0, cell.x1, [], False))
            out_lines.append(ls[i:j])
    return out_cells, out_lines


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
    set_outside(content, outside)
    return content


def set_outside(content: PageContent, chars: Sequence[Glyph]) -> None:
    """The page's lines outside its tables, from their characters (lines with no text left out)."""
    content.lines, content.glyph_lines = [], []
    for ln in lines_of(chars):
        text = line_text(ln).strip()
        if text:
            content.lines.append((float(ln[0].y0), text))
            content.glyph_lines.append((float(ln[0].y0), ln))
