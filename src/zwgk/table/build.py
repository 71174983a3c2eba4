"""Turn placed rows into the tasks of a :class:`~zwgk.model.Plan`: the format-blind half of every reader.

Given each data row as the layout placed it on its columns (:func:`~zwgk.table.layout.read_layout`), the builder
fills vertically merged category cells down, treats a category repeated after a page break as the
same category, takes heading rows (一、… （一）… spanning the whole width) as hierarchy levels, and
splits unit cells with the registry.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import islice
from typing import NamedTuple

from attrs import evolve, frozen

from zwgk._gc import paused_gc
from zwgk._numbering import numbering_style, split_numbering
from zwgk.errors import LayoutError, ParseError, Position, ReadWarning
from zwgk.model import CategoryNote, Metadata, Plan, Role, TakenIds, Task, UnitRef, task_id
from zwgk.table.columns import Column, Layout
from zwgk.table.grid import Cell, Grid
from zwgk.table.headings import NumberedHeadings, header_first, notes_last, section_headings, spanning_heading
from zwgk.table.inline import INLINE_REASON, inline_units
from zwgk.table.layout import read_layout
from zwgk.table.ledger import Field, Ledger
from zwgk.table.marks import NOTE_ROW, Said, TableMarks, said_of_marks
from zwgk.table.paragraphs import heading_of
from zwgk.table.place import PlacedRow
from zwgk.table.settle import check_given, settle_metadata
from zwgk.table.two_roles import columns_of_two_roles, two_role_cell, with_reasons
from zwgk.units import ParsedCell, UnitRegistry, default_registry
from zwgk.vocabulary import UNIT_ROLES, ColumnRole, first_leads, header_key, says_how_units_read

__all__ = ["Built", "SeenLayout", "build", "build_plan"]

#: A plan's level, when its title names none, is read from the names among this many first cells.
LEVEL_CELLS = 5_000

#: The note of a unit read as the lead because it is named first in a column whose heading, or a
#: note above or below the table, says the first unit leads (排在第一位的为牵头单位).
FIRST_LEAD_NOTE = "lead: named first in its cell, and the table says the first unit leads"

#: The task field each single-valued column fills.
_FIELD_OF: dict[ColumnRole, Field] = {
    ColumnRole.TASK: "text",
    ColumnRole.REQUIREMENT: "requirement",
    ColumnRole.SERIAL: "serial",
    ColumnRole.DEADLINE: "deadline",
    ColumnRole.NOTES: "notes",
}


class SeenLayout(NamedTuple):
    """The layout the builder took for one table: what ``zwgk parse --explain`` prints."""

    source: str | None
    table: int | None  # None: task paragraphs
    layout: Layout

    def describe(self) -> str:
        """Where the table is, as ``zwgk parse --explain`` says it: ``plan.docx, table 2``,
        ``plan.xlsx, sheet 2 「任务分解」`` (the sheet its header cells are in), ``plan.docx, task
        paragraphs``."""
        if self.table is None:
            return f"{self.source or '-'}, task paragraphs"
        sheet = next((c.position.sheet for row in self.layout.header for c in row if c is not None), None)
        return Position(self.source or "-", self.table, sheet=sheet).describe()

    @property
    def header_row(self) -> int:
        """The number of the table's first header row as its reader numbers the rows (a sheet's
        row, the title rows above it counted): its first header cell's, else its place in the grid."""
        first = next((c.position.row for row in self.layout.header[:1] for c in row if c is not None), None)
        return first if first is not None else self.layout.header_start + 1


@frozen
class Built:
    """What the builder made of a document's grids, to inspect: the plan, the layout it took for
    each task table (what ``zwgk parse --explain`` prints) and the warnings of what the plan does
    not hold (other tables, categories with no task), in order."""

    plan: Plan
    layouts: tuple[SeenLayout, ...] = ()
    warnings: tuple[ReadWarning, ...] = ()


#: The numbering styles a task title may start with that are its serial: 1. （1） ① and, where
#: they number tasks rather than categories above them, （一） and 一、 (第一 is left out: 第一批 is
#: no number).
SERIAL_STYLES = frozenset({"arabic-dot", "arabic-paren", "circled", "cn-paren", "cn-dun"})
_NUMBER_STARTS = frozenset("（(0123456789零〇一二两三四五六七八九十" + "".join(chr(0x2460 + i) for i in range(20)))


def _serial_in_title(layout: Layout, text: str) -> str | None:
    """The number a task title starts with (``1.``, ``22.``, ``（3）``, ``（一）``, ``一、``) where it is
    the serial (:data:`SERIAL_STYLES`).

    A table with a task title column beside a separate requirement column and no 序号 column numbers
    its tasks in the title, and so do task paragraphs (their grid has such columns), whatever style
    numbers the tasks: a heading above them is a category, never a task. The title keeps its text
    as written.
    """
    if text[:1] not in _NUMBER_STARTS:
        return None
    if layout.find(ColumnRole.SERIAL) is not None or layout.find(ColumnRole.REQUIREMENT) is None:
        return None
    style, number, _rest = split_numbering(text)
    return number if style in SERIAL_STYLES else None


class _Builder:
    def __init__(self, registry: UnitRegistry, source: str | None) -> None:
        self.registry = registry
        self.source = source
        self.tasks: list[Task] = []
        self.taken = TakenIds()
        self.heading_styles: list[str | None] = []
        # (column roles, levels, headings) where the last table ended
        self._carry: tuple[tuple[tuple[ColumnRole, int | None], ...], tuple[str | None, ...], tuple[str, ...]] | None
        self._carry = None
        self._task_col: Column | None = None
        self._first_leads: frozenset[int] = frozenset()  # responsible columns whose first unit leads
        # unit columns whose heading names two roles (牵头单位/配合单位), by index: the two roles
        self._two_roles: dict[int, tuple[Role, Role]] = {}
        #: what a line around any task table says of marked units (注：带*号的为牵头单位), and the line
        self.marks_said: Said | None = None
        self._marks = TableMarks({}, {})  # what the marks in the table's unit columns say
        self.mark_warnings: list[ReadWarning] = []  # the marks nothing explains, per table and column
        self._level_cols: list[Column] = []
        # category and heading rows that name no task themselves: (text, where), checked at the end
        self.categories: list[tuple[str, Position]] = []
        # the introductory sentences of heading rows (（二）加强…。围绕…做好以下工作：): their categories' notes
        self.notes: list[tuple[CategoryNote, str]] = []  # (note, where it is written)
        self.layouts: list[SeenLayout] = []
        # every cell read, with where its text went: checked against the plan at the end
        self.ledger = Ledger()

    def _unit_cell(self, text: str) -> ParsedCell:
        """The registry's reading of a unit cell (:meth:`ParsedCell.by_role` sorts it by role).

        Tables repeat the same unit cells: the registry remembers each one it has parsed (until it
        learns a unit), so a cell is read once.
        """
        return self.registry.parse_cell(text, learn=True)

    def build_grid(self, grid: Grid, section: str | None = None) -> None:
        """Read ``grid``'s tasks; ``section``: the numbered heading written above it, the category
        of its tasks (:func:`~zwgk.table.headings.section_headings`)."""
        layout, placement = read_layout(grid)
        layout = self._read_two_roles(self._read_first_leads(grid, layout))
        self._marks = TableMarks.of(layout, self.marks_said)
        layout = self._marks.explained(layout)
        self.layouts.append(SeenLayout(grid.source or self.source, grid.table, layout))
        self._task_col = layout.find(ColumnRole.TASK)
        numbered = NumberedHeadings(layout, placement.rows)  # heading rows written in the columns
        self._level_cols = [c for c in layout.columns if c.role is ColumnRole.LEVEL]
        for r in range(layout.header_start):  # rows above the header (a title, a note): said, not dropped
            for cell in grid.rows[r]:
                self.ledger.left_out(self._cell_where(grid, r, cell), cell.text, "a row above the table's header")
        header_keys = layout.header_keys()
        header_firsts = {keys[0] for keys in header_keys if keys}
        levels: list[str | None] = [None] * layout.levels
        headings: list[str] = []
        shape = tuple((c.role, c.level) for c in layout.columns)
        if self._carry is not None and self._carry[0] == shape:
            # A table continued in a new table (after a section break) with the same columns: its
            # first rows belong to the categories the previous table ended in.
            levels, headings = list(self._carry[1]), list(self._carry[2])
        if section is not None:
            name, intro = heading_of(section)
            levels, headings = [None] * layout.levels, self._push_heading([], name)
            at = Position(grid.source or self.source, grid.table, sheet=grid.sheet)
            self.categories.append((name, at))
            if intro is not None:
                self.notes.append((CategoryNote(tuple(headings), intro), at.describe()))
        for r, row, slots in placement.rows:
            if row and header_key(row[0].text) in header_firsts and (
                tuple(header_key(c.text) for c in row) in header_keys
            ):
                continue  # a header row repeated by hand after a page break
            if not any(s is not None and s.origin and s.cell.text.strip() for s in slots):
                # an empty row, or one with nothing of its own: every cell with text covers it from
                # above (a row a merge runs through), so it repeats the row it continues
                continue
            heading = spanning_heading(row, slots, layout)
            if heading is not None and says_how_units_read(heading):  # 注：… in a row of its own
                self.ledger.left_out(self._cell_where(grid, r, row[0], 0), heading, NOTE_ROW)
                continue
            cells: list[tuple[Cell, int]] = [(row[0], 0)] if row else []  # a row all covered has no cell
            if heading is None:
                found = numbered.find(slots)
                if found is not None:
                    heading, cells = found
            if heading is not None:
                # the heading names the category; an introductory sentence after it is the
                # category's note, as for a heading paragraph (one splitter for both)
                name, intro = heading_of(heading)
                self.categories.append((name, self._where(grid, r, cells[-1][0])))
                headings = self._push_heading(headings, name)
                if intro is not None:
                    self.notes.append((CategoryNote(tuple(headings), intro),
                                       self._where(grid, r, cells[-1][0]).describe()))
                for cell, column in cells:
                    self.ledger.category(self._cell_where(grid, r, cell, column), cell.text, name, intro)
                levels = [None] * layout.levels
                continue
            self._row(layout, slots, levels, headings, grid, r)
        self._carry = (shape, tuple(levels), tuple(headings))
        self.mark_warnings.extend(self._marks.unseen_emphasis(layout, grid))
        if self._marks.unexplained:
            said, explained = self._marks.warnings(layout)
            self.mark_warnings.extend(said)
            self.layouts[-1] = self.layouts[-1]._replace(layout=explained)

    def build_inline(self, grid: Grid, first: int, section: str | None = None) -> Grid:
        """:meth:`build_grid` of a grid given unit columns from the ends of its task cells (from
        column ``first`` on: :func:`~zwgk.table.inline.inline_units`), their reason said."""
        self.build_grid(grid, section)
        seen = self.layouts[-1]
        columns = tuple(evolve(c, reason=INLINE_REASON) if c.index >= first else c for c in seen.layout.columns)
        self.layouts[-1] = seen._replace(layout=evolve(seen.layout, columns=columns))
        return grid

    def _read_first_leads(self, grid: Grid, layout: Layout) -> Layout:
        """Which responsible columns name their lead first (:func:`~zwgk.vocabulary.first_leads`):
        the heading says so (责任单位（排在第一位的为牵头单位）), or, in a table with no lead column, a
        note does (注：排在第一位的为牵头单位: a line above or below it, or a row of it holding the note
        alone: :meth:`~zwgk.table.grid.Grid.note_lines`). Said in the column's reason."""
        responsible = [c for c in layout.columns if c.role is ColumnRole.RESPONSIBLE]
        by_heading = [c for c in responsible if first_leads(c.header)]
        note = next((t for t in grid.note_lines() if first_leads(t)), None)
        by_note = [c for c in responsible if c not in by_heading] \
            if note is not None and layout.find(ColumnRole.LEAD) is None else []
        self._first_leads = frozenset(c.index for c in (*by_heading, *by_note))
        if not self._first_leads:
            return layout
        said = {c.index: "as its heading says" for c in by_heading} | \
            {c.index: f"as the table's note 「{note}」 says" for c in by_note}
        return evolve(layout, columns=tuple(
            evolve(c, reason=f"{c.reason}; the first unit of each cell is its task's lead, {said[c.index]}")
            if c.index in said else c for c in layout.columns))

    def _read_two_roles(self, layout: Layout) -> Layout:
        """Which unit columns name two roles one after the other (:mod:`zwgk.table.two_roles`), said in
        the column's reason."""
        self._two_roles = columns_of_two_roles(layout)
        return with_reasons(layout, self._two_roles)

    def _where(self, grid: Grid, r: int, cell: Cell | None) -> Position:
        """Where row ``r`` (its ``cell``) is: file, table, row and column, or for task paragraphs
        (no table) the file and the paragraph's number as its line."""
        pos = cell.position if cell is not None else Position()
        # Text recognised from an image: the least sure cell of the row speaks for the task.
        sure = [c.position.confidence for c in grid.rows[r] if c.position.confidence is not None] \
            if r < len(grid.rows) else []
        confidence = min(sure) if sure else pos.confidence
        if grid.table is None:
            return Position(pos.file or grid.source, line=pos.line, page=pos.page, box=pos.box, confidence=confidence)
        where = Position(pos.file or grid.source, grid.table, grid.row_number(r), pos.column, pos.line, pos.page,
                         pos.box, confidence, grid.sheet)
        return pos if where == pos else where  # the cell's own (positions are immutable): held once

    def _cell_where(self, grid: Grid, r: int, cell: Cell, column: int | None = None) -> Position:
        """Where one cell is: its row and column (``column``: 0-based on the layout) in its table, or
        its paragraph."""
        pos = cell.position
        if grid.table is None:
            return Position(pos.file or grid.source, line=pos.line, page=pos.page)
        col = column + 1 if column is not None else pos.column
        return Position(pos.file or grid.source, grid.table, grid.row_number(r), col, pos.line, pos.page,
                        sheet=grid.sheet)

    def unused_categories(self) -> list[tuple[str, Position]]:
        """Category and heading rows no task was put under: their text is in no task's path."""
        used = {level for t in self.tasks for level in t.path}
        seen: set[str] = set()
        out: list[tuple[str, Position]] = []
        for text, where in self.categories:
            if text not in used and text not in seen:
                seen.add(text)
                out.append((text, where))
        return out

    def _push_heading(self, headings: list[str], text: str) -> list[str]:
        style = numbering_style(text)
        if style in self.heading_styles:
            depth = self.heading_styles.index(style)
        else:
            depth = len(self.heading_styles) if style is not None else 0
            if style is not None:
                self.heading_styles.append(style)
        return [*headings[:depth], text]

    def _row(
        self,
        layout: Layout,
        slots: PlacedRow,
        levels: list[str | None],
        headings: list[str],
        grid: Grid,
        r: int,
    ) -> None:
        values: dict[ColumnRole, str] = {}
        units: dict[Role, tuple[list[UnitRef], bool]] = {}
        extra: list[tuple[str, str]] = []
        # (cell, column, where its text goes, the unit references read from it) of the cells starting here
        handed: list[tuple[Cell, Column, tuple[UnitRef, ...]]] = []
        task_col = self._task_col
        task_slot = slots[task_col.index] if task_col else None
        changed = False
        for col in self._level_cols:
            idx = (col.level or 1) - 1
            slot = slots[col.index]
            if slot is None:
                text = ""
            elif task_slot is not None and slot.cell is task_slot.cell:
                # The task text spans this category column: the task has no such level.
                levels[idx] = None
                for k in range(idx + 1, len(levels)):
                    levels[k] = None
                changed = True
                continue
            elif slot.start != col.index:
                # A category cell spanning into this column: no sub-level here.
                if slot.origin:
                    levels[idx] = None
                continue
            else:
                text = slot.cell.text.strip()
                if slot.origin and text:
                    handed.append((slot.cell, col, ()))
            if text:
                # a category cell with an introductory sentence: the name is the category, the
                # sentence its note, as for a heading row
                name, intro = heading_of(text)
                if name != levels[idx]:
                    changed = True
                    levels[idx] = name
                    for k in range(idx + 1, len(levels)):
                        levels[k] = None
                    if intro is not None and slot is not None:
                        path = (*headings, *(v for v in levels[: idx + 1] if v is not None))
                        self.notes.append((CategoryNote(path, intro), self._where(grid, r, slot.cell).describe()))
            elif changed:
                levels[idx] = None
        for col in layout.columns:
            slot = slots[col.index]
            if slot is None or col.role is ColumnRole.LEVEL:
                continue
            if slot.start != col.index and slot.origin and col.role is not ColumnRole.TASK:
                continue  # covered by a cell that starts in another column
            text = slot.cell.text
            if col.role in UNIT_ROLES:
                read: list[UnitRef] = []
                parsed = self._unit_cell(text)
                parsed = self._marks.emphasis(parsed, text, slot.cell, col.index)  # 加粗的为牵头单位
                found = self._marks.by_role(parsed, col.index, Role.of(col.role),
                                            partial(self._cell_where, grid, r, slot.cell, col.index))
                if col.index in self._first_leads:
                    found = _first_leads(found)
                elif col.index in self._two_roles:
                    found = two_role_cell(self._unit_cell, text, parsed, found, col.header, self._two_roles[col.index])
                for role, (refs, is_open) in found.items():
                    had, was_open = units.get(role, ([], False))
                    units[role] = (had + list(refs), was_open or is_open)
                    read.extend(refs)
                if slot.origin:
                    handed.append((slot.cell, col, tuple(read)))
                continue
            if slot.origin and (slot.start == col.index or col.role is ColumnRole.TASK):
                handed.append((slot.cell, col, ()))
            if col.role is ColumnRole.EXTRA:
                if text.strip():
                    extra.append((col.header, text.strip()))
            else:
                values[col.role] = text.strip()
        text = values.get(ColumnRole.TASK, "")
        if not text and not any(refs for refs, _ in units.values()) and not extra and \
                not any(values.get(k) for k in (ColumnRole.REQUIREMENT, ColumnRole.DEADLINE)):
            # A category-only row: it has set the levels above and names no task.
            for col in self._level_cols:
                slot = slots[col.index]
                if slot is not None and slot.origin and slot.start == col.index and slot.cell.text.strip():
                    self.categories.append((heading_of(slot.cell.text.strip())[0], self._where(grid, r, slot.cell)))
            for cell, col, _refs in handed:
                where = self._cell_where(grid, r, cell, col.index)
                if col.role is ColumnRole.LEVEL:
                    self.ledger.category(where, cell.text, *heading_of(cell.text.strip()))
                else:
                    self.ledger.left_out(where, cell.text, f"the {col.header or col.role.value} of a row with "
                                         "no task, requirement, deadline or unit")
            return
        path = tuple(headings) + tuple(v for v in levels if v is not None)
        source = self._where(grid, r, task_slot.cell if task_slot is not None else None)
        self.tasks.append(
            Task(
                id=task_id(path, text, self.taken),
                path=path,
                text=text,
                requirement=values.get(ColumnRole.REQUIREMENT) or None,
                serial=values.get(ColumnRole.SERIAL) or _serial_in_title(layout, text),
                deadline=values.get(ColumnRole.DEADLINE) or None,
                notes=values.get(ColumnRole.NOTES) or None,
                leads=tuple(units.get(Role.LEAD, ([], False))[0]),
                responsible=tuple(units.get(Role.RESPONSIBLE, ([], False))[0]),
                cooperating=tuple(units.get(Role.COOPERATING, ([], False))[0]),
                open_roles=frozenset(role for role, (_, is_open) in units.items() if is_open),
                extra=tuple(extra),
                source=source,
            )
        )
        index = len(self.tasks) - 1
        for cell, col, refs in handed:
            where = self._cell_where(grid, r, cell, col.index)
            if col.role in UNIT_ROLES:
                self.ledger.units(where, cell.text, index, refs)
            elif col.role is ColumnRole.EXTRA:
                self.ledger.extra(where, cell.text, index, col.header)
            elif col.role is ColumnRole.LEVEL:
                self.ledger.category(where, cell.text, *heading_of(cell.text.strip()))
            else:
                self.ledger.field(where, cell.text, index, _FIELD_OF[col.role])
        self.ledger.settle(index, self.tasks[index])


def _first_leads(found: Mapping[Role, tuple[tuple[UnitRef, ...], bool]]) \
        -> Mapping[Role, tuple[tuple[UnitRef, ...], bool]]:
    """A responsible cell whose first unit leads: that unit a lead (:data:`FIRST_LEAD_NOTE`),
    unless the cell names its lead in words (牵头：…)."""
    refs, is_open = found.get(Role.RESPONSIBLE, ((), False))
    if Role.LEAD in found or not refs:
        return found
    first = refs[0]
    lead = evolve(first, note=f"{first.note}; {FIRST_LEAD_NOTE}" if first.note else FIRST_LEAD_NOTE)
    return {Role.LEAD: ((lead,), False), **found, Role.RESPONSIBLE: (refs[1:], is_open)}


def _title(grid: Grid) -> str | None:
    """A grid's title: the one it carries (the grid task paragraphs write), else the one chosen among
    the lines above it. Readers leave the title to this one rule."""
    return grid.title if grid.title is not None else Metadata.title_of(grid.preamble)


def build(
    grids: Iterable[Grid],
    registry: UnitRegistry | None = None,
    *,
    source: str | None = None,
    region: str | None = None,
    year: int | None = None,
) -> Built:
    """Build one plan from the task tables among ``grids``, with the layouts taken and the warnings
    (returned, not issued: :func:`build_plan` issues them).

    Grids whose header cannot be recognised are skipped when at least one other grid is a task
    table (each said in a warning); if none is, the first grid's :class:`~zwgk.errors.LayoutError`
    is raised. ``region`` and ``year`` set what the title leaves out
    (:func:`~zwgk.table.settle.settle_metadata`). Every cell the plan does not hold in full is said
    in a warning too (:mod:`zwgk.table.ledger`).
    """
    reg = registry if registry is not None else default_registry()
    grids = [notes_last(header_first(g)) for g in grids]
    if not grids:
        raise ParseError("no table found", Position(file=source))
    # A registry declared for another region (or level) than the title names answers for nothing here.
    check_given(region, year, source)
    # The title names no region or level: the level most unit names are written with (省财政厅 …),
    # so that no unit of another level (a city's 相关部门) answers for them. The first cells tell.
    cells = islice((c.text for g in grids if g.width for row in g.rows for c in row), LEVEL_CELLS)
    titled = next((t for t in map(_title, grids) if t), None)
    named = settle_metadata(titled, region=region, year=year, cells=cells)
    sections = section_headings(grids, titled)  # 一、… above each of several task tables
    builder = _Builder(reg.serving(named.region, named.level), source)
    # what a line around any table says of marked units holds for every table (a note is written once)
    builder.marks_said = said_of_marks(grids)
    errors: list[LayoutError] = []
    built: list[Grid] = []
    for k, grid in enumerate(grids):
        mark = len(builder.notes)
        try:
            with paused_gc():
                try:
                    builder.build_grid(grid, sections.get(k))
                except LayoutError:
                    # no unit column: the units may end each task's text (（市财政局牵头）)
                    inline = inline_units(grid)
                    if inline is None:
                        raise
                    grid = grids[k] = builder.build_inline(*inline, sections.get(k))
            built.append(grid)
            # the notes the step that made the grid read (task paragraphs' headings), in order
            builder.notes[mark:mark] = [(n, grid.source or source or "the document") for n in grid.category_notes]
        except LayoutError as e:
            errors.append(e)
    if not built:
        raise errors[0]
    said: list[ReadWarning] = []
    for other in errors:  # the other tables of a document that has a task table: said, not dropped silently
        at = other.position.describe() if other.position else source or ""
        said.append(ReadWarning(f"{at}: not a task table ({other.message}); its text is not in the plan"))
    said.extend(builder.mark_warnings)
    unused = builder.unused_categories()
    for text, where in unused:
        said.append(ReadWarning(f"{where.describe()}: category 「{text}」 has no task under it, so the plan "
                                "does not hold it"))
    tasks = tuple(builder.tasks)
    notes, unheld, unheld_notes = _category_notes(builder.notes, tasks)
    for missing in builder.ledger.unaccounted(tasks, (text for text, _ in unused),
                                              [*(n.text for n in notes), *unheld_notes]):
        said.append(ReadWarning(missing.message()))
    for grid in built:  # what the step that made a grid (task paragraphs) could not place
        said.extend(ReadWarning(message) for message in grid.unaccounted)
    said.extend(unheld)
    # The title and the text around the table come from the task tables, not from other tables.
    first = built[0]
    title = next((t for t in map(_title, built) if t), None)
    said.extend(_between(grids, first, built[-1], title, source, set(sections.values())))
    plan = Plan(
        title=title,
        tasks=tasks,
        metadata=settle_metadata(title, region=region, year=year),
        preamble=first.preamble,
        epilogue=built[-1].epilogue,
        source=source or first.source,
        category_notes=notes,
    )
    return Built(plan, tuple(builder.layouts), tuple(said))


def _between(grids: Sequence[Grid], first: Grid, last: Grid, title: str | None, source: str | None,
             sections: set[str]) -> Iterator[ReadWarning]:
    """The lines around tables that the plan does not hold: it holds those above its first task
    table (:attr:`Plan.preamble`) and below its last (:attr:`Plan.epilogue`), the title and the
    ``sections`` (headings above tables, its tasks' categories); the lines between two tables, and
    around a table that is not a task table, are said, per table."""
    for n, grid in enumerate(grids):
        # the lines between two tables are the later one's preamble (a reader may give them as the
        # earlier one's epilogue too): each is said once, above the table after it; a table's own
        # notes (:func:`~zwgk.table.headings.notes_last`) are its epilogue alone
        above = [line for line in grid.preamble if line != title and line.strip() not in sections] \
            if grid is not first else []
        after = set(grids[n + 1].preamble) if n + 1 < len(grids) else set()
        below = [line for line in grid.epilogue if line not in after] if grid is not last else []
        for lines, where in ((above, "above"), (below, "below")):
            if lines:
                at = Position(file=grid.source or source, table=grid.table, sheet=grid.sheet).describe()
                yield ReadWarning(f"{at}: the text {where} it is not in the plan, which holds the text above "
                                  f"its first task table and below its last: {' / '.join(f'「{t}」' for t in lines)}")


def _category_notes(
    notes: Sequence[tuple[CategoryNote, str]], tasks: Sequence[Task]
) -> tuple[tuple[CategoryNote, ...], list[ReadWarning], list[str]]:
    """The category notes the plan holds (one per category of its tasks, the first), a warning for
    each other one, and those others' texts (``notes``: each with where it is written)."""
    categories = {t.path[:k] for t in tasks for k in range(1, len(t.path) + 1)}
    kept: dict[tuple[str, ...], CategoryNote] = {}
    said: list[ReadWarning] = []
    said_texts: list[str] = []
    for note, at in notes:
        if note.path in kept and kept[note.path].text == note.text:
            continue  # the same note again (a category written again after a page break): held
        if note.path not in categories or note.path in kept:
            said_texts.append(note.text)
        if note.path not in categories:
            said.append(ReadWarning(f"{at}: the note 「{note.text}」 of category 「{'／'.join(note.path)}」 is "
                                    "not in the plan: no task is in that category"))
        elif note.path in kept:
            said.append(ReadWarning(f"{at}: category 「{'／'.join(note.path)}」 has a second note "
                                    f"「{note.text}」; the plan holds the first"))
        else:
            kept[note.path] = note
    return tuple(kept.values()), said, said_texts


def build_plan(
    grids: Iterable[Grid],
    registry: UnitRegistry | None = None,
    *,
    source: str | None = None,
    region: str | None = None,
    year: int | None = None,
) -> Plan:
    """:func:`build`'s plan, its warnings issued (a :class:`~zwgk.errors.ReadWarning` each)."""
    built = build(grids, registry, source=source, region=region, year=year)
    for warning in built.warnings:
        warnings.warn(warning, stacklevel=2)
    return built.plan
