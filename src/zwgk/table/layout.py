"""Decide which column of a grid plays which role, from the header row(s).

The header is found among the first rows of the grid by its keywords (牵头单位, 责任单位, 工作任务, ...).
Header text may be letter-spaced (``工 作 任 务``), contain full-width spaces, span several columns
(``工作任务及要求`` over the category columns and the task column) or span two rows (``责任单位`` over
``牵头单位 | 配合单位``).
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Sequence

from attrs import frozen

from zwgk.errors import LayoutError, Position
from zwgk.table.grid import Cell, Grid

__all__ = ["Column", "ColumnRole", "Layout", "detect_layout", "header_key"]


class ColumnRole(str, enum.Enum):
    SERIAL = "serial"
    LEVEL = "level"
    TASK = "task"
    REQUIREMENT = "requirement"
    LEAD = "lead"
    RESPONSIBLE = "responsible"
    COOPERATING = "cooperating"
    DEADLINE = "deadline"
    NOTES = "notes"
    EXTRA = "extra"


UNIT_ROLES = frozenset({ColumnRole.LEAD, ColumnRole.RESPONSIBLE, ColumnRole.COOPERATING})


@frozen
class Column:
    index: int
    role: ColumnRole
    header: str
    level: int | None = None  # 1-based, for LEVEL columns


@frozen
class Layout:
    columns: tuple[Column, ...]
    header_rows: int  # how many grid rows the header takes (from the top of the grid)
    header_start: int  # index of the first header row
    width: int

    def role_of(self, index: int) -> ColumnRole:
        return self.columns[index].role

    @property
    def levels(self) -> int:
        return sum(1 for c in self.columns if c.role is ColumnRole.LEVEL)

    def find(self, role: ColumnRole) -> Column | None:
        for c in self.columns:
            if c.role is role:
                return c
        return None


_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\ufeff:：*＊]+")


def header_key(text: str) -> str:
    """Header text with spaces, colons and footnote stars removed: ``工 作 任 务`` → ``工作任务``."""
    return _SPACES.sub("", text.replace("_x000D_", ""))


# (role, keywords); the first keyword found in a header decides. Order matters.
_KEYWORDS: tuple[tuple[ColumnRole, tuple[str, ...]], ...] = (
    (ColumnRole.SERIAL, ("序号", "编号", "序列号")),
    (ColumnRole.LEAD, ("牵头单位", "牵头部门", "牵头科室", "主办单位", "牵头责任单位", "牵头")),
    (ColumnRole.COOPERATING, ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位", "配合科室",
                              "协同单位", "配合")),
    (ColumnRole.RESPONSIBLE, ("责任单位", "责任部门", "责任科室", "承办单位", "责任主体", "落实单位",
                              "实施单位", "责任处室", "具体负责单位", "负责单位", "责任")),
    (ColumnRole.DEADLINE, ("完成时限", "时限要求", "完成时间", "时间节点", "时限", "进度安排",
                           "完成期限", "时间要求")),
    (ColumnRole.NOTES, ("备注", "说明")),
)

# Task-like headers, most specific first: the most specific one present becomes the task column,
# the less specific ones to its left become hierarchy levels.
_TASK_KEYS: tuple[tuple[str, ...], ...] = (
    ("具体任务", "任务及要求", "工作任务及要求", "具体工作任务", "主要任务及要求", "具体措施", "任务内容",
     "工作内容", "主要内容", "具体内容", "工作措施", "具体工作", "工作事项", "公开内容", "公开事项"),
    ("工作任务", "重点任务", "主要任务", "重点工作", "任务"),
)
_LEVEL_KEYS = ("一级任务", "二级任务", "三级任务", "四级任务", "一级", "二级", "三级", "任务类别",
               "类别", "分类", "工作领域", "领域", "项目", "板块", "事项类别", "目标任务")
_REQUIREMENT_KEYS = ("工作要求", "具体要求", "要求", "工作标准", "目标要求", "完成标准")


def _classify(key: str) -> tuple[ColumnRole | None, int]:
    """(role, specificity) of one header key; specificity orders task-like headers."""
    if not key:
        return None, 0
    for role, words in _KEYWORDS:
        if any(w in key for w in words):
            return role, 0
    if any(key.startswith(w) for w in _LEVEL_KEYS) and "具体" not in key:
        return ColumnRole.LEVEL, 0
    for rank, words in enumerate(_TASK_KEYS):
        if any(w in key for w in words):
            return ColumnRole.TASK, len(_TASK_KEYS) - rank
    if any(w in key for w in _REQUIREMENT_KEYS):
        return ColumnRole.REQUIREMENT, 0
    return None, 0


def _score_row(row: Sequence[Cell]) -> int:
    roles = [_classify(header_key(c.text))[0] for c in row]
    known = [r for r in roles if r is not None]
    if not known:
        return 0
    has_core = any(r in UNIT_ROLES or r is ColumnRole.TASK for r in known)
    long_cells = sum(1 for c in row if len(header_key(c.text)) > 16)
    return (len(known) - long_cells) if has_core else 0


def _expand(row: Sequence[Cell], width: int) -> list[Cell | None]:
    """Place a row's cells on ``width`` columns by their start column and span."""
    out: list[Cell | None] = [None] * width
    pos = 0
    for cell in row:
        start = cell.column if cell.column is not None else pos
        for k in range(start, min(width, start + cell.colspan)):
            out[k] = cell
        pos = start + cell.colspan
    return out


#: A text-form table whose data rows show more cells than its header (a heading spanning columns,
#: as 工作任务及要求 over the category columns) takes the wider width only when at least this many
#: data rows, and more than half of them, show it; otherwise the header's width holds and a longer
#: row is an error naming its extra cell (a stray cell must not shift a whole table).
MIN_WIDENING_ROWS = 2


def data_width(grid: Grid, first_data_row: int, header_width: int = 0, grid_width: int | None = None) -> int:
    """The number of columns the data rows show.

    Grids with known cell columns use their full width. For the text form (no columns known) the
    most common row length among data rows wins (ties go to the longer); a length wider than
    ``header_width`` only when more than half the data rows, and at least
    :data:`MIN_WIDENING_ROWS`, show it.
    """
    rows = grid.rows[first_data_row:]
    width = grid.width if grid_width is None else grid_width
    if any(c.column is not None for r in rows for c in r):
        return width
    lengths = Counter(sum(c.colspan for c in _trim(r)) for r in rows if any(c.text.strip() for c in r))
    if not lengths:
        return width
    best, count = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))
    if best > header_width and (count < MIN_WIDENING_ROWS or 2 * count <= lengths.total()):
        return header_width
    return best


def _trim(row: Sequence[Cell]) -> Sequence[Cell]:
    """A row without its trailing empty cells (a trailing tab in the text form)."""
    end = len(row)
    while end > 0 and not row[end - 1].text.strip() and row[end - 1].column is None:
        end -= 1
    return row[:end]


def find_header(grid: Grid) -> int:
    """Index of the first header row, searching the first ten rows."""
    best, best_score = -1, 0
    for i, row in enumerate(grid.rows[:10]):
        score = _score_row(row)
        if score >= 2 and score > best_score:
            best, best_score = i, score
            break
    if best < 0:
        where = Position(file=grid.source, table=grid.table)
        raise LayoutError(
            "no header row found: expected column headings such as 工作任务, 牵头单位, 责任单位 "
            "in the first rows of the table",
            where,
        )
    return best


def _is_second_header(top: Sequence[Cell], nxt: Sequence[Cell]) -> bool:
    """Whether ``nxt`` continues the header row ``top``: ``top`` has a cell spanning rows or columns
    (or, in the text form, fewer cells than ``nxt``) and every non-empty cell of ``nxt`` is a short,
    known heading."""
    spans = any(c.colspan > 1 or c.rowspan > 1 for c in top)
    if not spans and all(c.column is None for c in top):
        spans = sum(c.colspan for c in top) < len(nxt)
    if not spans:
        return False
    keys = [header_key(c.text) for c in nxt if header_key(c.text)]
    return bool(keys) and all(
        _classify(k)[0] is not None and len(k) <= 8 and not k.endswith(("。", "；")) for k in keys
    )


def detect_layout(grid: Grid) -> Layout:
    """Map each grid column to a :class:`ColumnRole`.

    The grid is first checked against the size limits of :mod:`zwgk.table.grid` (a
    :class:`~zwgk.errors.ParseError` naming the cell), before any per-column work.
    """
    grid_width = grid.width
    start = find_header(grid)
    header_rows = 1
    if grid.header_rows is not None and start < grid.header_rows:
        # The document marks its header rows (Word's "repeat as header row", <thead>): trust it.
        header_rows = min(grid.header_rows, len(grid.rows)) - start
    if header_rows == 1 and start + 1 < len(grid.rows) and _is_second_header(grid.rows[start], grid.rows[start + 1]):
        header_rows = 2  # a second header row the document did not mark
    if not any(c.column is not None for c in grid.rows[start]):
        header_width = max(sum(c.colspan for c in grid.rows[start + k]) for k in range(header_rows))
        width = max(data_width(grid, start + header_rows, header_width, grid_width), header_width)
    else:
        width = data_width(grid, start + header_rows, 0, grid_width)

    # Header text per column: top-to-bottom distinct texts of the header rows.
    texts: list[list[str]] = [[] for _ in range(width)]
    spans: list[int] = [1] * width  # colspan of the top header cell covering each column
    top = grid.rows[start]
    if not any(c.column is not None for c in top) and sum(c.colspan for c in top) < width:
        top = _widen_header(top, width)
    for k in range(header_rows):
        row = top if k == 0 else grid.rows[start + k]
        placed = _expand(row, width)
        for col, cell in enumerate(placed):
            if cell is None:
                continue
            if k == 0:
                spans[col] = cell.colspan
            t = cell.text.strip()
            if t and (not texts[col] or texts[col][-1] != t):
                texts[col].append(t)

    columns = _assign_roles(texts, spans, _expand(top, width))
    return Layout(tuple(columns), header_rows, start, width)


def _widen_header(row: Sequence[Cell], width: int) -> tuple[Cell, ...]:
    """Text-form header with fewer cells than the data: widen the task-like heading cell."""
    missing = width - sum(c.colspan for c in row)
    ranked = [(_classify(header_key(c.text)), i) for i, c in enumerate(row)]
    pick = 0
    for (role, _spec), i in sorted(ranked, key=lambda r: (-(r[0][0] is ColumnRole.TASK), -r[0][1], r[1])):
        if role in (ColumnRole.TASK, ColumnRole.LEVEL):
            pick = i
            break
    out: list[Cell] = []
    pos = 0
    for i, c in enumerate(row):
        span = c.colspan + (missing if i == pick else 0)
        out.append(Cell(c.text, c.rowspan, span, pos, c.position))
        pos += span
    return tuple(out)


def _assign_roles(texts: list[list[str]], spans: list[int], top: list[Cell | None]) -> list[Column]:
    width = len(texts)
    roles: list[ColumnRole | None] = []
    specs: list[int] = []
    for col in range(width):
        role, spec = None, 0
        for t in reversed(texts[col]):  # the most specific (lowest) heading first
            role, spec = _classify(header_key(t))
            if role is not None:
                break
        roles.append(role)
        specs.append(spec)

    # One header cell spanning several columns: a task heading over k columns gives k-1 levels and
    # the task; a level heading over k columns gives k levels.
    col = 0
    while col < width:
        cell = top[col]
        span = spans[col]
        if cell is not None and span > 1 and roles[col] in (ColumnRole.TASK, ColumnRole.LEVEL):
            end = min(width, col + span)
            same = all(top[k] is cell for k in range(col, end))
            if same:
                for k in range(col, end):
                    if roles[k] is ColumnRole.TASK and k < end - 1:
                        roles[k] = ColumnRole.LEVEL
                col = end
                continue
        col += 1

    # The most specific task-like column is the task; task-like columns left of it are levels.
    task_cols = [c for c in range(width) if roles[c] is ColumnRole.TASK]
    if task_cols:
        best = max(task_cols, key=lambda c: (specs[c], c))
        for c in task_cols:
            if c != best:
                roles[c] = ColumnRole.LEVEL if c < best else ColumnRole.EXTRA
    else:
        levels = [c for c in range(width) if roles[c] is ColumnRole.LEVEL]
        if levels and levels[-1] + 1 < width and roles[levels[-1] + 1] is None:
            roles[levels[-1] + 1] = ColumnRole.TASK
        elif levels:
            roles[levels[-1]] = ColumnRole.TASK
        else:
            raise LayoutError("no task column found: expected a heading such as 工作任务 or 具体任务")
    task = next(c for c in range(width) if roles[c] is ColumnRole.TASK)
    # Unnamed columns left of the task are levels; right of it they are kept as extra columns.
    for c in range(width):
        if roles[c] is None:
            roles[c] = ColumnRole.LEVEL if c < task else ColumnRole.EXTRA
        elif roles[c] is ColumnRole.LEVEL and c > task:
            roles[c] = ColumnRole.EXTRA
        elif roles[c] is ColumnRole.REQUIREMENT and c < task:
            roles[c] = ColumnRole.LEVEL
    # Only one column per single-valued role; repeats become extra columns.
    seen: set[ColumnRole] = set()
    columns: list[Column] = []
    level = 0
    for c in range(width):
        role = roles[c]
        assert role is not None
        if role in seen and role is not ColumnRole.LEVEL and role is not ColumnRole.EXTRA:
            role = ColumnRole.EXTRA
        seen.add(role)
        lvl = None
        if role is ColumnRole.LEVEL:
            level += 1
            lvl = level
        header = "/".join(texts[c]) if texts[c] else ""
        columns.append(Column(c, role, header, lvl))
    if not any(c.role in UNIT_ROLES for c in columns):
        raise LayoutError("no unit column found: expected a heading such as 牵头单位 or 责任单位")
    return columns
