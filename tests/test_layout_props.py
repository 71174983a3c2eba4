"""Layout and builder on arbitrary small grids: a Plan or a ZwgkError, never another exception,
and no cell text of a row that became a task is lost."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import examples
from zwgk.errors import ZwgkError
from zwgk.model import Plan, Task
from zwgk.table.build import build_plan
from zwgk.table.grid import MAX_SPAN, Cell, Grid
from zwgk.table.layout import read_layout
from zwgk.table.place import place

HEADINGS = ("序号", "工作任务", "具体任务", "工作任务及要求", "一级任务", "牵头单位", "责任单位",
            "配合单位", "完成时限", "备注", "工作要求", "其他")
TEXTS = ("", "", "市财政局", "市审计局、市教育局", "各县（市、区）等", "市财政局牵头，市审计局配合",
         "推进决策公开。", "（一）执行公开", "一、管理公开", "2020年底前", "1", "等", "，", " ")

texts = st.one_of(st.sampled_from(TEXTS), st.sampled_from(HEADINGS), st.text(max_size=6))

spans = st.sampled_from([1] * 12 + [2, 2, 3, 4])
# In one grid of six, spans below 1 or above the limit and negative start columns (errors).
bad_spans = st.sampled_from([1] * 12 + [2, 3, 0, -1, MAX_SPAN + 1])


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    """A small grid: text-form (no columns) or with known start columns, ragged rows and spans."""
    known = draw(st.booleans())
    hostile = draw(st.integers(0, 5)) == 0
    span = bad_spans if hostile else spans
    header = draw(st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=6))
    if draw(st.integers(0, 3)):  # mostly a header zwgk recognises
        header[:0] = ["工作任务", "牵头单位"]
    rows: list[tuple[Cell, ...]] = []
    for r, cells in enumerate([header, *draw(st.lists(st.lists(texts, max_size=7), max_size=8))]):
        row: list[Cell] = []
        col = 0
        for text in cells:
            rowspan = draw(span) if known and r else 1
            colspan = draw(span) if r else 1
            if known:
                col += draw(st.sampled_from([0] * 12 + [1] + ([-3] if hostile else [])))
            row.append(Cell(text, rowspan, colspan, col if known else None))
            col += max(colspan, 1)
        rows.append(tuple(row))
    return Grid(tuple(rows), source="g", header_rows=draw(st.sampled_from([None, 1, 2, 40])))


def _holds(task: Task, text: str) -> bool:
    fields = [task.text, task.requirement or "", task.serial or "", task.deadline or "",
              task.notes or "", *task.path, *(v for _, v in task.extra)]
    if any(text in f for f in fields):
        return True
    written = "".join(u.as_written for u in (*task.leads, *task.responsible, *task.cooperating))
    # A unit cell is split: its names are kept as written; separators, 等 and role words are not
    # (a cell holding only those, such as 等 alone, gives no unit).
    return all(ch in written or not ch.isalnum() or ch in "牵头配合负责等" for ch in text)


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_a_grid_gives_a_plan_or_a_zwgk_error(grid: Grid) -> None:
    try:
        plan = build_plan([grid])
    except ZwgkError:
        return
    assert isinstance(plan, Plan)
    # Every non-empty cell of a row that became a task is in that task (its text, path, fields,
    # extra columns or units).
    by_row: dict[int, Task] = {}
    for task in plan.tasks:
        assert task.source is not None and task.source.row is not None
        by_row[task.source.row] = task
    for r, row in enumerate(grid.rows):
        task = by_row.get(r + 1)
        if task is None:
            continue
        for cell in row:
            text = cell.text.strip()
            assert not text or _holds(task, text), (text, task)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids())
def test_the_rows_read_layout_hands_over_are_placed_on_its_final_roles(grid: Grid) -> None:
    """The layout's stages hand the placed rows on: what the builder reads is exactly what placing
    the rows on the final roles gives, whether or not the content changed a role."""
    try:
        layout, placement = read_layout(grid)
    except ZwgkError:
        return
    again = place(grid, layout.first_data_row, layout.roles)
    assert placement.rows == again.rows


def test_a_row_every_cell_of_which_is_covered_from_above() -> None:
    """A row with no cell of its own (each column covered by a cell merged down from above) is read,
    not an IndexError, and repeats the row above: one task."""
    rows = ((Cell("工作任务", column=0), Cell("牵头单位", column=1)),
            (Cell("推进决策公开", rowspan=2, column=0), Cell("市司法局", rowspan=2, column=1)),
            ())
    plan = build_plan([Grid(rows, source="g")])
    assert [(t.text, tuple(u.name for u in t.leads)) for t in plan.tasks] == [("推进决策公开", ("市司法局",))]
