"""Heading rows: the categories a task table writes in rows of their own.

A heading row is one cell with text spanning (nearly) the whole width (:func:`spanning_heading`),
or, in tables made in Excel or WPS, a row written in the columns that names nothing but a task text
numbered as a category, or a serial so numbered (:class:`NumberedHeadings`). The rows above a
table's header (a title typed into its first row) are lines of its preamble (:func:`header_first`),
and notes typed into its last rows (注：…, 说明：…) lines of its epilogue (:func:`notes_last`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from attrs import evolve

from zwgk._numbering import CATEGORY_STYLES, numbering_style, split_numbering
from zwgk.table.columns import Column, Layout
from zwgk.table.grid import Cell, Grid
from zwgk.table.layout import header_row
from zwgk.table.paragraphs import heading_of
from zwgk.table.place import PlacedRow, Row
from zwgk.vocabulary import UNIT_ROLES, ColumnRole

__all__ = ["BARE_NUMBER_JOIN", "HEADING_SHORT_BY", "MAX_SECTION_CHARS", "MIN_NUMBERED_ROWS",
           "MIN_UNNUMBERED_HEADINGS", "NOTE_START",
           "NumberedHeadings",
           "header_first", "notes_last", "section_headings", "spanning_heading"]

#: A row whose one cell with text covers at least the width less this many columns is a heading.
HEADING_SHORT_BY = 1
#: A section heading above a task table (一、推进决策公开) names a category in at most this many
#: characters (its introductory sentence aside); a longer line is prose.
MAX_SECTION_CHARS = 40
#: What joins a bare Chinese numeral in the serial column to its heading's text (一 | 推进决策公开 →
#: 一、推进决策公开): the mark a heading writes after its number, so the category reads as headings
#: written across the table do.
BARE_NUMBER_JOIN = "、"
#: An unnumbered row holding only a short text in the task column is a heading in a table where at
#: least this many rows name units, each with its serial (fewer say too little of the table's habit);
#: in a table numbering none, where at least this many rows name units and every other row does.
MIN_NUMBERED_ROWS = 2
#: In a table numbering no row, the short unit-less rows are its headings when there are at least this
#: many of them, or when it writes another heading across its columns: one alone may be a task that
#: lacks its unit (what an auditor looks for), so one is not enough.
MIN_UNNUMBERED_HEADINGS = 2
_SENTENCE_ENDS = ("。", "；", ";", "！", "？")
#: A serial that is a Chinese numeral alone (一, 十二): a category's number in a table whose tasks are
#: numbered 1, 2, 3.
_BARE_CN_NUMBER = re.compile("[一二三四五六七八九十百零〇]+")
#: How a note typed into a table begins (注：…, 注1：…, 说明：…, 备注：…, 填表说明：…): a row of
#: nothing else after the tasks is the table's note, not a category.
NOTE_START = re.compile(r"(?:注|注释|附注|说明|备注|填表说明|填报说明)\s*[0-9０-９]?\s*[：:]")


def spanning_heading(row: Sequence[Cell], slots: PlacedRow, layout: Layout) -> str | None:
    """The text of a heading row: one cell with content spanning (nearly) the whole width."""
    if sum(1 for c in row if c.text.strip()) > 1:
        return None
    filled = {id(s.cell): s for s in slots if s is not None and s.cell.text.strip()}
    if len(filled) != 1:
        return None
    slot = next(iter(filled.values()))
    covered = sum(1 for s in slots if s is not None and s.cell is slot.cell)
    if not slot.origin:
        return None
    if covered >= max(2, layout.width - HEADING_SHORT_BY) or (len(row) == 1 and layout.width > 2):
        return slot.cell.text.strip()
    return None


class NumberedHeadings:
    """The heading rows of one table written in its columns (:meth:`find`)."""

    def __init__(self, layout: Layout, rows: Iterable[Row]) -> None:
        self._layout = layout
        self._task: Column | None = layout.find(ColumnRole.TASK)
        self._serial: Column | None = layout.find(ColumnRole.SERIAL)
        self._rows = rows
        self._serial_styles: frozenset[str] | None = None  # of the rows naming units (_styles)
        self._numbered_rows = self._unnumbered_rows = 0  # rows naming units with and without a serial
        # rows naming no unit with a task text: short and alone in its row (a heading's shape), or
        # not; and rows written across the table (spanning headings): read with the serials
        self._short_alone = self._unnamed_tasks = self._spanning = 0
        # (position, column) of the task and serial columns, and of the others, unit columns first:
        # a cell starting in any of the others makes a row no heading (most rows name a unit)
        mine = (self._task.index if self._task else -1, self._serial.index if self._serial else -1)
        placed = list(enumerate(layout.columns))
        self._mine = [(k, c) for k, c in placed if c.index in mine]
        self._others = sorted(((k, c) for k, c in placed if c.index not in mine),
                              key=lambda kc: kc[1].role not in UNIT_ROLES)

    def find(self, slots: PlacedRow) -> tuple[str, list[tuple[Cell, int]]] | None:
        """A heading row written in the columns, not across them (tables made in Excel or WPS): the
        row names no unit, deadline, requirement or other cell, only a task text numbered as a
        category is (一、推进决策公开, （二）…), or a serial so numbered (一 | 推进决策公开), in a
        style no row naming units numbers its serial with (the table's rows, read for that only
        when a row may be such a heading); or a short text, unnumbered, in a table that numbers
        every row naming units (:meth:`_unnumbered_heading`). The heading is the serial and the text as
        written (a bare numeral joined to the text by :data:`BARE_NUMBER_JOIN`, as a heading writes its
        number); with the cells it was read from
        (cell, column)."""
        task, serial = self._task, self._serial
        if task is None:
            return None
        n = len(slots)
        for k, col in self._others:
            if k < n and (s := slots[k]) is not None and s.origin and s.start == col.index and s.cell.text.strip():
                return None
        filled = [(s, col) for k, col in self._mine if k < n and (s := slots[k]) is not None
                  and s.origin and s.start == col.index and s.cell.text.strip()]
        text_slot = next((s for s, col in filled if col is task), None)
        if text_slot is None:
            return None
        text = text_slot.cell.text.strip()
        number_slot = next((s for s, col in filled if serial is not None and col is serial), None)
        if number_slot is None:
            if numbering_style(text) not in CATEGORY_STYLES and not self._unnumbered_heading(text, slots):
                return None
            return text, [(text_slot.cell, task.index)]
        number = number_slot.cell.text.strip()
        style = "cn-bare" if _BARE_CN_NUMBER.fullmatch(number) else numbering_style(number + text)
        if style == "cn-bare":
            heading = f"{number}{BARE_NUMBER_JOIN}{text}"  # as a heading writes its number: 一、推进决策公开
        elif style in CATEGORY_STYLES and split_numbering(number + text)[1] == number:
            heading = number + text
        else:
            return None
        assert serial is not None
        if style in self._styles():
            return None  # the tasks are numbered so: a task naming nothing else
        return heading, [(number_slot.cell, serial.index), (text_slot.cell, task.index)]

    def _unnumbered_heading(self, text: str, slots: PlacedRow) -> bool:
        """Whether a row holding only ``text`` in the task column, unnumbered, is a heading: short
        (:data:`MAX_SECTION_CHARS`), no sentence, no unit merged down into it, in a table where every
        row naming units is numbered (at least :data:`MIN_NUMBERED_ROWS` of them); or in a table
        numbering none, where at least as many rows name units, every other row with a task text is
        such a short row alone, and there are :data:`MIN_UNNUMBERED_HEADINGS` of them or a heading
        written across the table besides."""
        if not _heading_shaped(text) or self._names_units(slots):
            return False  # a sentence, or units merged down from the row above: a task under them
        self._styles()
        if self._numbered_rows:
            return self._numbered_rows >= MIN_NUMBERED_ROWS and not self._unnumbered_rows
        return (self._unnumbered_rows >= MIN_NUMBERED_ROWS and not self._unnamed_tasks
                and (self._short_alone >= MIN_UNNUMBERED_HEADINGS or self._spanning > 0))

    def _names_units(self, slots: PlacedRow) -> bool:
        return any((slot := slots[c.index]) is not None and slot.cell.text.strip()
                   for c in self._layout.columns if c.role in UNIT_ROLES)

    def _styles(self) -> frozenset[str]:
        """The numbering styles of the serials of the rows that name units (一 alone is
        ``"cn-bare"``), and the table's counts of rows (:meth:`_unnumbered_heading`), worked out once
        per table."""
        if self._serial_styles is None:
            serial = self._serial.index if self._serial is not None else None
            task = self._task.index if self._task is not None else None
            styles: set[str] = set()
            for _, row, slots in self._rows:
                number = slots[serial] if serial is not None else None
                if spanning_heading(row, slots, self._layout) is not None:
                    self._spanning += 1
                elif self._names_units(slots):
                    if number is not None and (text := number.cell.text.strip()):
                        styles.add("cn-bare" if _BARE_CN_NUMBER.fullmatch(text) else numbering_style(text + "某") or "")
                        self._numbered_rows += 1
                    else:
                        self._unnumbered_rows += 1
                elif (task is not None and (cell := slots[task]) is not None and cell.origin
                      and (text := cell.cell.text.strip())):
                    alone = sum(1 for s in slots if s is not None and s.origin and s.cell.text.strip()) == 1
                    if alone and _heading_shaped(text):
                        self._short_alone += 1
                    else:
                        self._unnamed_tasks += 1
            self._serial_styles = frozenset(styles)
        return self._serial_styles


def _heading_shaped(text: str) -> bool:
    """Short (:data:`MAX_SECTION_CHARS`) and no sentence: what a heading written in a row may be."""
    return len(text) <= MAX_SECTION_CHARS and not text.endswith(_SENTENCE_ENDS)


def header_first(grid: Grid) -> Grid:
    """``grid`` with the rows above its header (a title typed into the table's first row, a note)
    as lines of its preamble, each row's cells with text joined by a space, so that the title is
    found among them as among the lines above a table; as it is when it has none, when no header
    is found (no task table: the builder names what it lacks), or when a cell above the header
    spans into it."""
    if grid.table is None or grid.header_rows is not None or not grid.rows:
        return grid
    h = header_row(grid)
    if h is None:
        return grid
    above = grid.rows[:h]
    if not h or any(r + c.rowspan > h for r, row in enumerate(above) for c in row):
        return grid
    lines = tuple(line for row in above if (line := " ".join(c.text.strip() for c in row if c.text.strip())))
    return evolve(grid, rows=grid.rows[h:], preamble=(*grid.preamble, *lines),
                  first_row_number=grid.first_row_number + h)


def notes_last(grid: Grid) -> Grid:
    """``grid`` with the notes typed into its last rows (a row holding one cell with text, beginning
    注：, 说明：, 备注： (:data:`NOTE_START`), under its tasks) as lines of its epilogue, before the
    lines below the table; as it is when it has none, or when a cell above them spans into them."""
    if grid.table is None or len(grid.rows) < 3:
        return grid
    rows = grid.rows
    cut = len(rows)
    notes: list[str] = []
    for r in range(len(rows) - 1, 1, -1):
        filled = [c.text.strip() for c in rows[r] if c.text.strip()]
        if not filled:
            continue
        if len(filled) != 1 or not NOTE_START.match(filled[0]):
            break
        notes.append(filled[0])
        cut = r
    if not notes or any(r + c.rowspan > cut for r, row in enumerate(rows[:cut]) for c in row):
        return grid
    return evolve(grid, rows=rows[:cut], epilogue=(*reversed(notes), *grid.epilogue))


def section_headings(grids: Sequence[Grid], title: str | None) -> dict[int, str]:
    """The numbered heading written right above each task table (一、推进决策公开, then its table; 二、…,
    then the next), by the grid's index: the category of that table's tasks. Only when there are
    several task tables (each a header found) and each has such a line as the last above it (the
    document's ``title`` aside), numbered as a category is and naming one in at most
    :data:`MAX_SECTION_CHARS` characters; otherwise none (a heading above a single table may be
    the cover letter's: 二、任务分工)."""
    found: dict[int, str] = {}
    if len(grids) < 2:
        return found
    for k, grid in enumerate(grids):
        if grid.table is None:
            return {}
        if header_row(grid) is None:
            continue
        lines = [line.strip() for line in grid.preamble if line.strip() and line != title]
        if not lines or numbering_style(lines[-1]) not in CATEGORY_STYLES:
            return {}
        if len(heading_of(lines[-1])[0]) > MAX_SECTION_CHARS:
            return {}
        found[k] = lines[-1]
    return found if len(found) > 1 else {}
