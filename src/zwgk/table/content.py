"""Roles read from the cells' content where the headings cannot tell: the second pass of the layout.

Two questions are answered here, each by counting the data rows placed on the layout the headings
gave (placed once, by :func:`~zwgk.table.layout.read_layout`), and each answer is recorded in the
columns' reasons and in :attr:`~zwgk.table.columns.Layout.decisions` with the counts that decided it:

- columns with no heading of their own (under one heading spanning them, or with an empty heading):
  per-row numbers are the serial, cells covering several rows a category level, the last other
  column keeps the heading's role (:func:`read_sub_columns`);
- a general task heading (工作任务) beside a requirement column: categories of numbered tasks, or
  each row's own title (:func:`read_task_column`).
"""

from __future__ import annotations

import attrs
from attrs import frozen

from zwgk._numbering import CATEGORY_STYLES, ITEM_STYLES, numbering_style
from zwgk.table.columns import Column, Layout, number_levels
from zwgk.table.place import SERIAL_RE, Placement
from zwgk.vocabulary import UNIT_ROLES, ColumnRole, classify, header_key, looks_like_units

__all__ = ["MAX_CATEGORY_SPECIFICITY", "MIN_CATEGORY_SIGNALS", "MIN_SERIAL_CELLS", "MIN_SERIAL_SHARE",
           "MIN_SIGNAL_SHARE", "MIN_TITLE_CHARS", "read_sub_columns", "read_task_column"]

# Reading a general task heading (工作任务) beside a requirement column (工作要求) from its content.
# The same header means two tables: the 工作任务 column holding categories (一、加强…, merged over the
# rows of its tasks) with one numbered task per 工作要求 cell, or holding each row's own task title
# (3.做好…工作) with that task's requirement. Each signal below is counted over the cells of the
# 工作任务 column (a run of rows under one merged, filled-down or repeated cell is one cell).

#: Only a task column named by a heading of this specificity or lower (工作任务, 重点任务, 任务:
#: :data:`zwgk.vocabulary.TASK_KEYWORDS`' last group) may be read as a category: 具体任务 never is.
MAX_CATEGORY_SPECIFICITY = 1
#: A signal holds when at least this share of the cells (or of the requirement cells) shows it.
MIN_SIGNAL_SHARE = 0.5
#: The task column reads as categories when at least this many of the three signals hold (cells
#: covering several rows; cells numbered as categories 一、/（一）; requirement cells numbered as items
#: 1./（1）, one per row) and its own cells are not mostly numbered as items (per-row titles, 3.做好…).
MIN_CATEGORY_SIGNALS = 2


def _share(count: int, total: int) -> bool:
    return total > 0 and count >= MIN_SIGNAL_SHARE * total


def read_task_column(placement: Placement, layout: Layout) -> Layout:
    """The layout with a general task column read from its content as a category level, when its
    cells are categories of the numbered tasks in the requirement column right of it.

    Either reading is recorded in :attr:`Layout.decisions` and in the two columns' reasons.
    """
    task = layout.find(ColumnRole.TASK)
    req = layout.find(ColumnRole.REQUIREMENT)
    if task is None or req is None or req.index < task.index:
        return layout
    if _task_specificity(task.header) > MAX_CATEGORY_SPECIFICITY:
        return layout
    header_keys = layout.header_keys()
    runs: list[tuple[str, int]] = []  # (text, rows covered) of each cell of the task column
    run_text: str | None = None
    run_rows = 0
    req_cells = req_items = 0
    for _r, row, slots in placement.rows:
        t_slot, q_slot = slots[task.index], slots[req.index]
        if tuple(header_key(c.text) for c in row) in header_keys:
            continue  # a header row repeated by hand
        if t_slot is not None and q_slot is not None and t_slot.cell is q_slot.cell:
            run_text = None  # a heading row spanning both columns ends the cell above
            continue
        own_req = q_slot is not None and q_slot.origin and q_slot.start == req.index
        req_text = q_slot.cell.text.strip() if own_req and q_slot is not None else ""
        t_text = t_slot.cell.text.strip() if t_slot is not None and t_slot.start == task.index else ""
        continues = t_slot is None or not t_slot.origin or not t_text or t_text == run_text
        if not t_text and not req_text:
            continue
        if continues and run_text is not None:
            run_rows += 1
        elif t_text:
            if run_text is not None:
                runs.append((run_text, run_rows))
            run_text, run_rows = t_text, 1
        if req_text:
            req_cells += 1
            req_items += numbering_style(req_text) in ITEM_STYLES
    if run_text is not None:
        runs.append((run_text, run_rows))
    if not runs:
        return layout
    n = len(runs)
    merged = [rows for _, rows in runs if rows > 1]
    styles = [numbering_style(text) for text, _ in runs]
    as_categories = sum(s in CATEGORY_STYLES for s in styles)
    as_items = sum(s in ITEM_STYLES for s in styles)
    signals = (_share(len(merged), n) and bool(merged)) + _share(as_categories, n) + _share(req_items, req_cells)
    category = signals >= MIN_CATEGORY_SIGNALS and not _share(as_items, n)
    span = f"{min(merged)}–{max(merged)}" if merged and min(merged) != max(merged) else str(merged[0] if merged else 1)
    evidence = (f"{len(merged)} of {n} cells cover several rows" + (f" ({span} rows)" if merged else "")
                + f", {as_categories} of {n} are numbered as categories (一、 （一）), {as_items} of {n} as "
                f"items (1. （1）), and {req_items} of {req_cells} cells of {req.header} are numbered as items")
    t_name, q_name = f"column {task.index + 1} {task.header}", f"column {req.index + 1} {req.header}"
    if not category:
        sentence = f"{t_name} read as the task text and {q_name} as its requirement: {evidence}"
        columns = [
            Column(c.index, c.role, c.header, c.level, f"read from its content: {evidence}")
            if c.index in (task.index, req.index) else c
            for c in layout.columns
        ]
        return attrs.evolve(layout, columns=tuple(columns), decisions=(*layout.decisions, sentence))
    title = _title_column(placement, layout, task.index, req.index)
    if title is not None:
        # a column between them with no heading the vocabulary knows, one text a row: the tasks'
        # titles, and the requirement column keeps its role
        got = title[1]
        said = (f"{got.cells} cells of one row each, {got.serials} bare numbers, {got.multi_row} over "
                f"several rows")
        named = f"column {title[0].index + 1} {title[0].header or '(no heading)'}"
        sentence = (f"{t_name} read as a category level, {named} as the task text ({said}) and {q_name} as its "
                    f"requirement: {evidence}")
    else:
        sentence = f"{t_name} read as a category level and {q_name} as the task text: {evidence}"
    columns = []
    for c in layout.columns:
        if c.index == task.index:
            c = Column(c.index, ColumnRole.LEVEL, c.header, None, f"a category level, from its content: {evidence}")
        elif title is not None and c.index == title[0].index:
            c = Column(c.index, ColumnRole.TASK, c.header, None,
                       f"the task text, from its content: {said}, between a category column and {req.header}")
        elif c.index == req.index and title is None:
            c = Column(c.index, ColumnRole.TASK, c.header, None, f"the task text, from its content: {evidence}")
        columns.append(c)
    return attrs.evolve(layout, columns=tuple(number_levels(columns)), decisions=(*layout.decisions, sentence))


def _title_column(placement: Placement, layout: Layout, task: int, req: int) -> tuple[Column, _Content] | None:
    """The last column between a task column read as categories (``task``) and the requirement
    column (``req``) that the headings left unnamed (an extra column: no heading, or one the
    vocabulary does not know, 具体事项) and that holds one text a row, no cells over several rows, and
    mostly words (at least :data:`MIN_TITLE_CHARS` letters or ideographs: not 10分, not a name of
    two or three characters): the tasks' titles. ``None`` when there is none."""
    between = [c for c in layout.columns if task < c.index < req and c.role is ColumnRole.EXTRA]
    if not between:
        return None
    content = _contents(placement, layout, {c.index for c in between})
    for c in reversed(between):
        got = content[c.index]
        if got.cells and not got.serial and not got.multi_row and _share(got.worded, got.cells):
            return c, got
    return None


def _task_specificity(header: str) -> int:
    """The specificity (:func:`~zwgk.vocabulary.classify`) of the most specific task-like heading text."""
    return max((classify(header_key(t))[1] for t in header.split("/")), default=0)


# Columns with no heading of their own — under one heading spanning several columns (工作要求 over a
# per-row serial and the text), or with an empty heading — are named by their content.

#: A column is a serial column when at least this share of its cells (and at least
#: :data:`MIN_SERIAL_CELLS`) are bare per-row numbers (1, 2, （3）, 4.).
MIN_SERIAL_SHARE = 0.8
MIN_SERIAL_CELLS = 2


#: A cell between a category column and 工作要求 reads as a task title when it holds at least this
#: many letters or ideographs (digits not counted): 做好财政信息公开, not 10分 or a person's name.
MIN_TITLE_CHARS = 4

#: Under a unit heading spanning columns with no sub-headings (责任单位 over two columns), a column
#: is a unit column when at least this share of its cells read as lists of names
#: (:func:`~zwgk.vocabulary.looks_like_units`); the others hold text, kept as extra columns.
MIN_UNIT_SHARE = 0.5


@frozen
class _Content:
    """What the cells of one column hold, counted as cells (a cell over several rows is one)."""

    cells: int = 0
    serials: int = 0
    multi_row: int = 0
    units: int = 0  # cells reading as a list of names
    worded: int = 0  # cells of at least MIN_TITLE_CHARS letters or ideographs (not digits)

    @property
    def names_units(self) -> bool:
        return self.cells > 0 and self.units >= MIN_UNIT_SHARE * self.cells

    @property
    def serial(self) -> bool:
        return self.cells >= MIN_SERIAL_CELLS and self.serials >= MIN_SERIAL_SHARE * self.cells

    @property
    def category(self) -> bool:
        return self.multi_row > 0 and _share(self.multi_row, self.cells)


def _contents(placement: Placement, layout: Layout, columns: set[int]) -> dict[int, _Content]:
    """The content of ``columns``, from the data rows placed on ``layout``."""
    header_keys = layout.header_keys()
    runs: dict[int, list[list[int]]] = {c: [] for c in columns}  # column -> [rows covered] per cell
    last: dict[int, str | None] = dict.fromkeys(columns)
    serials: dict[int, int] = dict.fromkeys(columns, 0)
    units: dict[int, int] = dict.fromkeys(columns, 0)
    worded: dict[int, int] = dict.fromkeys(columns, 0)
    for _r, row, slots in placement.rows:
        if tuple(header_key(c.text) for c in row) in header_keys:
            continue
        for col in columns:
            slot = slots[col]
            if slot is None or slot.start != col:
                last[col] = None
                continue
            text = slot.cell.text.strip()
            # a cell covering this row from above, an empty cell below one with text (the text form
            # shows a merge so), or the same text again (a merge broken in the source): the same cell
            if not slot.origin or not text or text == last[col]:
                if runs[col] and last[col] is not None:
                    runs[col][-1][0] += 1
                continue
            runs[col].append([1])
            last[col] = text
            serials[col] += SERIAL_RE.fullmatch(text) is not None
            units[col] += looks_like_units(text)
            worded[col] += sum(ch.isalpha() for ch in text) >= MIN_TITLE_CHARS
    return {c: _Content(len(runs[c]), serials[c], sum(1 for (n,) in runs[c] if n > 1), units[c], worded[c])
            for c in columns}


def read_sub_columns(placement: Placement, layout: Layout, groups: list[tuple[int, int]]) -> Layout:
    """The layout with the columns of ``groups`` (no heading of their own) named by their content.

    In a group: a column of bare per-row numbers is the serial (when no column is headed 序号); a
    column whose cells mostly cover several rows, left of another text column, is a category level;
    the last other column keeps the role of the group's heading and the others before it are levels
    (left of the task) or extra columns. Each decision is said in the column's reason and in
    :attr:`Layout.decisions`.
    """
    if not groups:
        return layout
    content = _contents(placement, layout, {c for a, b in groups for c in range(a, b)})
    columns = list(layout.columns)
    decisions = list(layout.decisions)
    has_serial = any(c.role is ColumnRole.SERIAL for c in columns)
    for first, end in groups:
        group = columns[first:end]
        heading = group[-1].header.split("/")[0] if group[-1].header else ""
        where = (f"under {heading} spanning columns {first + 1}–{end}" if end - first > 1 and heading
                 else f"under {heading} with no sub-heading of its own" if heading else "with no heading")
        serial = next((c for c in group if content[c.index].serial), None) if not has_serial else None
        rest = [c for c in group if c is not serial]
        if serial is None and len(group) == 1:
            continue
        role = next((c.role for c in reversed(group) if c.role not in (ColumnRole.LEVEL, ColumnRole.EXTRA)),
                    group[-1].role)
        if serial is not None:
            has_serial = True
            got = content[serial.index]
            why = (f"per-row numbers, from its content: {got.serials} of {got.cells} cells are bare numbers "
                   f"(1, 2, …), {where}")
            columns[serial.index] = Column(serial.index, ColumnRole.SERIAL, serial.header, None, why)
            decisions.append(f"column {serial.index + 1} {serial.header or '(no heading)'} read as the serial: "
                             f"{why}")
        if len(group) == 1 or not rest:
            continue
        if role in UNIT_ROLES and len(rest) > 1:
            read = _unit_columns(rest, role, content, where)
            if read is not None:
                for c in read[0]:
                    columns[c.index] = c
                decisions.append(read[1])
                continue
        keep = rest[-1]
        for c in rest[:-1]:
            got = content[c.index]
            if got.category:
                why = (f"a category level, from its content: {got.multi_row} of {got.cells} cells cover several "
                       f"rows, {where}")
                columns[c.index] = Column(c.index, ColumnRole.LEVEL, c.header, None, why)
        if keep.role is not role:
            columns[keep.index] = Column(keep.index, role, keep.header, None,
                                         f"the last column {where} that holds neither numbers nor categories")
            for c in rest[:-1]:
                if columns[c.index].role is role:
                    columns[c.index] = Column(c.index, ColumnRole.LEVEL if role is ColumnRole.TASK else
                                              ColumnRole.EXTRA, c.header, None,
                                              f"a column {where} left of its last text column")
    if columns == list(layout.columns) and decisions == list(layout.decisions):
        return layout
    return attrs.evolve(layout, columns=tuple(number_levels(columns)), decisions=tuple(decisions))


def _unit_columns(
    group: list[Column], role: ColumnRole, content: dict[int, _Content], where: str
) -> tuple[list[Column], str] | None:
    """The columns under a unit heading with no sub-headings, each named by its content: lists of
    names keep the heading's role (several columns of one role: the task's units of that role are
    read from each), text is an extra column under the heading. ``None`` when no column holds names
    (the last one keeps the role, as for any heading)."""
    if not any(content[c.index].names_units for c in group):
        return None
    out: list[Column] = []
    said: list[str] = []
    for c in group:
        got = content[c.index]
        counts = f"{got.units} of {got.cells} cells read as lists of names"
        if got.names_units:
            out.append(Column(c.index, role, c.header, None, f"units, from its content: {counts}, {where}"))
            said.append(f"column {c.index + 1} as {role.value} units ({counts})")
        else:
            out.append(Column(c.index, ColumnRole.EXTRA, c.header, None,
                              f"text, not units, from its content: {counts}, {where}; kept as an extra column"))
            said.append(f"column {c.index + 1} as text kept in an extra column ({counts})")
    return out, f"the columns {where} read by their content: {'; '.join(said)}"
