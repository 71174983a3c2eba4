"""Turn grids into a :class:`~zwgk.model.Plan`: the format-blind half of every reader.

The builder places each row's cells on the layout's columns (resolving rows that show fewer cells
than the table has columns), fills vertically merged category cells down, treats a category
repeated after a page break as the same category, takes heading rows (一、… （一）… spanning the
whole width) as hierarchy levels, and splits unit cells with the registry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from zwgk._gc import paused_gc
from zwgk._numbering import numbering_style, split_numbering
from zwgk.errors import LayoutError, ParseError, Position
from zwgk.model import Metadata, Plan, Role, Task, UnitRef, task_id
from zwgk.table.grid import Cell, Grid
from zwgk.table.layout import UNIT_ROLES, Column, ColumnRole, Layout, detect_layout, header_key
from zwgk.units import UnitRegistry, default_registry

__all__ = ["build_plan", "metadata_from_title"]


class _Slot(NamedTuple):
    """What one column of one row holds."""

    cell: Cell
    origin: bool  # the cell starts in this row (not covered by a rowspan from above)
    start: int  # the grid column where the cell starts


_ROLE_OF = {
    ColumnRole.LEAD: Role.LEAD,
    ColumnRole.RESPONSIBLE: Role.RESPONSIBLE,
    ColumnRole.COOPERATING: Role.COOPERATING,
}

_TITLE_RE = re.compile(r"(?P<year>(?:19|20)\d\d)\s*年\s*(?:度)?\s*(?P<region>[\u4e00-\u9fff]{1,12}?[省市县区州盟旗])")


def metadata_from_title(title: str | None) -> Metadata:
    """Region and year read from a title such as 2020年泰安市政务公开重点工作任务分解表."""
    if not title:
        return Metadata()
    m = _TITLE_RE.search(title)
    if m:
        return Metadata(region=m["region"], year=int(m["year"]))
    y = re.search(r"(?:19|20)\d\d(?=\s*年)", title)
    return Metadata(year=int(y.group()) if y else None)


def _looks_like_units(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) < 200 and not t.endswith(("。", "；", ";")) and "。" not in t


def _fit(role: ColumnRole, text: str) -> int:
    """How plausible ``text`` is for a column of ``role`` (higher is better)."""
    t = text.strip()
    if not t:
        return 0
    if role in UNIT_ROLES:
        return 1 if _looks_like_units(t) else -3
    if role is ColumnRole.TASK:
        return 1
    if role is ColumnRole.LEVEL:
        return -1 if t.endswith("。") or len(t) > 80 else 0
    if role is ColumnRole.SERIAL:
        return 1 if len(t) <= 8 else -2
    return 0


def _serial_in_title(layout: Layout, text: str) -> str | None:
    """The number a task title starts with (``1.``, ``22.``, ``（3）``) where it is the serial.

    A table with a task title column beside a separate requirement column and no 序号 column numbers
    its tasks in the title; the title keeps its text as written.
    """
    if not text[:1].isdigit() and not text.startswith(("（", "(")):
        return None
    if layout.find(ColumnRole.SERIAL) is not None or layout.find(ColumnRole.REQUIREMENT) is None:
        return None
    style, number, _rest = split_numbering(text)
    return number if style in ("arabic-dot", "arabic-paren") else None


class _RoleWindows:
    """Which column roles a run of columns holds, in constant time (prefix counts per role)."""

    def __init__(self, layout: Layout) -> None:
        self.roles = [c.role for c in layout.columns]
        self.counts: dict[ColumnRole, list[int]] = {}
        for role in set(self.roles):
            run = [0]
            for r in self.roles:
                run.append(run[-1] + (r is role))
            self.counts[role] = run
        self.unit_run = [0]
        for r in self.roles:
            self.unit_run.append(self.unit_run[-1] + (r in UNIT_ROLES))

    def present(self, start: int, end: int) -> list[ColumnRole]:
        """The roles among columns ``start`` to ``end - 1``."""
        return [role for role, run in self.counts.items() if run[end] > run[start]]

    def units(self, start: int, end: int) -> int:
        """How many of columns ``start`` to ``end - 1`` are unit columns."""
        return self.unit_run[end] - self.unit_run[start]


def _resolve_short_row(
    cells: Sequence[Cell], layout: Layout, windows: _RoleWindows | None = None
) -> list[tuple[Cell, int, int]]:
    """Place a text-form row that shows fewer cells than columns: one cell must span.

    Returns ``(cell, start column, span)`` for each cell. The spanning cell is chosen by how well
    every cell's text fits its column; a cell with content spanning into the task column (the task
    text written across the category columns it has no value for) is preferred over an empty one.
    Each choice is scored from prefix sums, so a row costs time linear in the table's width.
    """
    win = windows if windows is not None else _RoleWindows(layout)
    roles = win.roles
    n = len(cells)
    missing = layout.width - n
    # left[i]: cells before i in their own columns; right[i]: cells after i shifted by ``missing``.
    left = [0] * (n + 1)
    for k, cell in enumerate(cells):
        left[k + 1] = left[k] + _fit(roles[k], cell.text)
    right = [0] * (n + 1)
    for k in range(n - 1, 0, -1):
        right[k - 1] = right[k] + _fit(roles[k + missing], cells[k].text)
    best, best_score = n, left[n] - 3  # the row simply ends early
    for i in range(n):
        text = cells[i].text
        end = i + missing + 1
        present = win.present(i, end)
        score = left[i] + right[i] + max(_fit(r, text) for r in present)
        if not text.strip():
            score -= 2
        elif roles[end - 1] is ColumnRole.TASK:
            score += 2
        elif 0 < win.units(i, end) < end - i:
            score -= 2
        if score > best_score or (score == best_score and i < best):
            best, best_score = i, score
    out: list[tuple[Cell, int, int]] = []
    pos = 0
    for k, cell in enumerate(cells):
        span = 1 + (missing if k == best else 0)
        out.append((cell, pos, span))
        pos += span
    return out


class _Builder:
    def __init__(self, registry: UnitRegistry, source: str | None) -> None:
        self.registry = registry
        self.source = source
        self.tasks: list[Task] = []
        self.taken: set[str] = set()
        self.heading_styles: list[str | None] = []
        # (column roles, levels, headings) where the last table ended
        self._carry: tuple[tuple[tuple[ColumnRole, int | None], ...], tuple[str | None, ...], tuple[str, ...]] | None
        self._carry = None
        self._windows: _RoleWindows | None = None
        self._task_col: Column | None = None
        self._level_cols: list[Column] = []
        self._unit_cells: dict[tuple[str, Role, int], dict[Role, tuple[tuple[UnitRef, ...], bool]]] = {}

    def _unit_roles(self, text: str, column_role: Role) -> dict[Role, tuple[tuple[UnitRef, ...], bool]]:
        """The registry's reading of a unit cell in a column of ``column_role``, by role.

        Tables repeat the same unit cells, so each is read once per column role (and again once the
        registry has learnt new units).
        """
        key = (text, column_role, len(self.registry))
        found = self._unit_cells.get(key)
        if found is None:
            parsed = self.registry.parse_cell(text, learn=True)
            found = parsed.by_role(column_role)
            if len(self._unit_cells) < 100_000:
                self._unit_cells[(text, column_role, len(self.registry))] = found
        return found

    def build_grid(self, grid: Grid) -> None:
        layout = detect_layout(grid)
        self._windows = _RoleWindows(layout)
        self._task_col = layout.find(ColumnRole.TASK)
        self._level_cols = [c for c in layout.columns if c.role is ColumnRole.LEVEL]
        header_keys = [
            tuple(header_key(c.text) for c in grid.rows[layout.header_start + k])
            for k in range(layout.header_rows)
        ]
        header_firsts = {keys[0] for keys in header_keys if keys}
        pending: dict[int, tuple[_Slot, int]] = {}  # column -> (the covered slot, rows left)
        levels: list[str | None] = [None] * layout.levels
        headings: list[str] = []
        shape = tuple((c.role, c.level) for c in layout.columns)
        if self._carry is not None and self._carry[0] == shape:
            # A table continued in a new table (after a section break) with the same columns: its
            # first rows belong to the categories the previous table ended in.
            levels, headings = list(self._carry[1]), list(self._carry[2])
        first = layout.header_start + layout.header_rows
        for r in range(first, len(grid.rows)):
            row = grid.rows[r]
            slots = self._place(grid, layout, row, pending, r)
            if row and header_key(row[0].text) in header_firsts and (
                tuple(header_key(c.text) for c in row) in header_keys
            ):
                continue  # a header row repeated by hand after a page break
            if not any(s is not None and s.cell.text.strip() for s in slots):
                continue  # an empty row
            heading = self._heading(row, slots, layout)
            if heading is not None:
                headings = self._push_heading(headings, heading)
                levels = [None] * layout.levels
                continue
            self._row(layout, slots, levels, headings, grid, r)
        self._carry = (shape, tuple(levels), tuple(headings))

    def _place(
        self,
        grid: Grid,
        layout: Layout,
        row: Sequence[Cell],
        pending: dict[int, tuple[_Slot, int]],
        r: int,
    ) -> list[_Slot | None]:
        width = layout.width
        slots: list[_Slot | None] = [None] * width
        for col, (covered, left) in list(pending.items()):
            slots[col] = covered
            if left <= 1:
                del pending[col]
            else:
                pending[col] = (covered, left - 1)
        cells = list(row)
        known = all(c.column is not None for c in cells)
        if not known:
            # Trailing empty cells beyond the width (a trailing tab) carry nothing: drop them.
            while len(cells) > width and not cells[-1].text.strip():
                cells.pop()
            total = sum(c.colspan for c in cells)
            free = [c for c in range(width) if slots[c] is None]
            if total > len(free):
                extra = cells[len(free)] if len(free) < len(cells) else cells[-1]
                pos = extra.position
                raise ParseError(
                    f"row has {len(cells)} cells but the table has {width} columns; "
                    f"unexpected cell {extra.text.strip()[:20]!r}",
                    Position(pos.file or grid.source, grid.table, r + 1, len(free) + 1, pos.line),
                )
            if total < len(free) and len(free) == width:
                placed = _resolve_short_row(cells, layout, self._windows)
            else:
                placed = []
                it = iter(free)
                for c in cells:
                    start = next(it)
                    for _ in range(c.colspan - 1):
                        next(it, None)
                    placed.append((c, start, c.colspan))
        else:
            placed = [(c, c.column or 0, c.colspan) for c in cells]
        for cell, start, span in placed:
            if start >= width:
                if cell.text.strip():
                    raise ParseError(
                        f"cell {cell.text.strip()[:20]!r} lies beyond the table's {width} columns",
                        Position(grid.source, grid.table, r + 1, start + 1, cell.position.line),
                    )
                continue
            slot = _Slot(cell, True, start)
            below = _Slot(cell, False, start) if cell.rowspan > 1 else None
            for k in range(start, min(width, start + span)):
                held = slots[k]
                if held is not None and held.cell.text.strip():
                    # Cells a reader placed overlapping: an empty one never hides text, and of
                    # two with text neither may silently replace the other.
                    if not cell.text.strip():
                        continue
                    raise ParseError(
                        f"cell {cell.text.strip()[:20]!r} overlaps cell {held.cell.text.strip()[:20]!r} "
                        f"in column {k + 1}",
                        Position(cell.position.file or grid.source, grid.table, r + 1, k + 1,
                                 cell.position.line),
                    )
                slots[k] = slot
                if below is not None:
                    pending[k] = (below, cell.rowspan - 1)
        return slots

    def _heading(self, row: Sequence[Cell], slots: list[_Slot | None], layout: Layout) -> str | None:
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
        if covered >= max(2, layout.width - 1) or (len(row) == 1 and layout.width > 2):
            return slot.cell.text.strip()
        return None

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
        slots: list[_Slot | None],
        levels: list[str | None],
        headings: list[str],
        grid: Grid,
        r: int,
    ) -> None:
        values: dict[ColumnRole, str] = {}
        units: dict[Role, tuple[list[UnitRef], bool]] = {}
        extra: list[tuple[str, str]] = []
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
            if text:
                if text != levels[idx]:
                    changed = True
                    levels[idx] = text
                    for k in range(idx + 1, len(levels)):
                        levels[k] = None
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
                for role, (refs, is_open) in self._unit_roles(text, _ROLE_OF[col.role]).items():
                    had, was_open = units.get(role, ([], False))
                    units[role] = (had + list(refs), was_open or is_open)
            elif col.role is ColumnRole.EXTRA:
                if text.strip():
                    extra.append((col.header, text.strip()))
            else:
                values[col.role] = text.strip()
        text = values.get(ColumnRole.TASK, "")
        if not text and not any(refs for refs, _ in units.values()) and not extra:
            # A category-only row: it has set the levels above and names no task.
            if any(values.get(k) for k in (ColumnRole.REQUIREMENT, ColumnRole.DEADLINE)):
                pass
            else:
                return
        path = tuple(headings) + tuple(v for v in levels if v is not None)
        cell = task_slot.cell if task_slot is not None else None
        pos = cell.position if cell is not None else Position()
        source = Position(pos.file or grid.source, grid.table, r + 1, pos.column, pos.line)
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


def build_plan(
    grids: Iterable[Grid],
    registry: UnitRegistry | None = None,
    *,
    source: str | None = None,
) -> Plan:
    """Build one plan from the task tables among ``grids``.

    Grids whose header cannot be recognised are skipped when at least one other grid is a task
    table; if none is, the first grid's :class:`~zwgk.errors.LayoutError` is raised.
    """
    reg = registry if registry is not None else default_registry()
    grids = list(grids)
    if not grids:
        raise ParseError("no table found", Position(file=source))
    builder = _Builder(reg, source)
    errors: list[LayoutError] = []
    built: list[Grid] = []
    for grid in grids:
        try:
            with paused_gc():
                builder.build_grid(grid)
            built.append(grid)
        except LayoutError as e:
            errors.append(e)
    if not built:
        raise errors[0]
    # The title and the text around the table come from the task tables, not from other tables.
    first = built[0]
    title = next((g.title for g in built if g.title), None)
    return Plan(
        title=title,
        tasks=tuple(builder.tasks),
        metadata=metadata_from_title(title),
        preamble=first.preamble,
        epilogue=built[-1].epilogue,
        source=source or first.source,
    )
