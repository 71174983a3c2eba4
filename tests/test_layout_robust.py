"""Tables that do not fit their header, and grids beyond the size limits: clear errors, never a
silent reinterpretation or a blow-up."""

from __future__ import annotations

from pathlib import Path

import pytest

import zwgk
from tests.bounded import MEMORY_BYTES, load_bounded
from zwgk.errors import LayoutError, ParseError, Position
from zwgk.table import layout
from zwgk.table.build import build_plan
from zwgk.table.grid import MAX_COLUMNS, MAX_SPAN, Cell, Grid
from zwgk.table.layout import detect_layout

HEADER = "\t工作任务\n\t牵头单位\n\t责任单位\n\n"
ROW = "\t任务{i}。\n\t市财政局\n\t市审计局\n\n"
STRAY = "\t任务九。\n\t市财政局\n\t市审计局\n\t多出来的\n\n"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("normal", "stray"),
    [(0, 1), (1, 1), (2, 2), (1, 0)],
    ids=["only-row", "one-of-two", "half", "stray-first"],
)
def test_a_stray_cell_in_a_simple_table_is_an_error(tmp_path: Path, normal: int, stray: int) -> None:
    rows = [ROW.format(i=i) for i in range(normal)] + [STRAY] * stray
    if not stray:  # the stray row first, then one normal row
        rows = [STRAY, ROW.format(i=1)]
    with pytest.raises(ParseError, match="columns") as e:
        zwgk.load(write(tmp_path, HEADER + "".join(rows)))
    pos = e.value.position
    assert pos is not None and pos.column == 4 and pos.row is not None and pos.line is not None
    assert "多出来的" in str(e.value) and "t.txt" in str(e.value)


def test_a_spanning_text_form_header_still_widens_over_many_rows(tmp_path: Path) -> None:
    # 工作任务及要求 spans the category column and the task column (as the sample's does).
    rows = "".join(f"\t类别{i // 2}\n\t任务{i}。\n\t市财政局\n\t市审计局\n\n" for i in range(4))
    text = "\t工作任务及要求\n\t牵头单位\n\t责任单位\n\n" + rows + "\t任务末。\n\t市财政局\n\t\n\n"
    plan = zwgk.load(write(tmp_path, text))
    assert [t.text for t in plan.tasks] == ["任务0。", "任务1。", "任务2。", "任务3。", "任务末。"]
    assert [t.path for t in plan.tasks] == [("类别0",), ("类别0",), ("类别1",), ("类别1",), ()]


def _grid(rows: list[list[Cell]]) -> Grid:
    header = (Cell("工作任务", column=0), Cell("牵头单位", column=1), Cell("责任单位", column=2))
    return Grid((header, *(tuple(r) for r in rows)), source="g.docx")


def _pos(row: int, column: int) -> Position:
    return Position(file="g.docx", table=1, row=row, column=column)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (Cell("x", colspan=MAX_SPAN + 1, column=0), "spans"),
        (Cell("x", colspan=10**9, column=0), "spans"),
        (Cell("x", rowspan=10**9, column=0), "spans"),
        (Cell("x", colspan=0, column=0), "spans"),
        (Cell("x", rowspan=-1, column=0), "spans"),
        (Cell("x", column=-1), "column"),
        (Cell("x", column=-(10**9)), "column"),
        (Cell("x", column=MAX_COLUMNS), "columns"),
        (Cell("x", column=10**9), "columns"),
        (Cell("x", colspan=MAX_SPAN, column=MAX_COLUMNS - 10), "columns"),
    ],
)
def test_spans_and_columns_beyond_the_limits_are_errors(cell: Cell, message: str) -> None:
    cell = Cell(cell.text, cell.rowspan, cell.colspan, cell.column, _pos(2, 1))
    grid = _grid([[cell, Cell("市财政局", column=(cell.column or 0) + 1)]])
    for run in (detect_layout, lambda g: build_plan([g])):
        with pytest.raises(ParseError, match=message) as e:
            run(grid)
        assert e.value.position is not None and e.value.position.row == 2
        assert "g.docx" in str(e.value)


def test_limits_far_above_real_tables_are_accepted() -> None:
    rows = [[Cell("任务。", column=0), Cell("市财政局", column=1), Cell("市审计局", column=2)]]
    rows.append([Cell("（一）类别", colspan=3, rowspan=MAX_SPAN, column=0)])
    plan = build_plan([_grid(rows)])
    assert [t.text for t in plan.tasks] == ["任务。"]


def test_a_rowspan_inside_the_grid_is_accepted_however_long() -> None:
    n = MAX_SPAN + 200
    rows = [[Cell("（一）类别", rowspan=n, column=0), Cell(f"任务{i}。", column=1), Cell("市财政局", column=2)]
            if i == 0 else [Cell(f"任务{i}。", column=1), Cell("市财政局", column=2)] for i in range(n)]
    header = (Cell("工作任务", column=0), Cell("具体任务", column=1), Cell("牵头单位", column=2))
    plan = build_plan([Grid((header, *(tuple(r) for r in rows)), source="g.docx")])
    assert len(plan.tasks) == n
    assert {t.path for t in plan.tasks} == {("（一）类别",)}


def test_a_header_wider_than_the_limit_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    header = "".join(f"\t工作任务{i}\n" for i in range(20_000)) + "\t牵头单位\n\t责任单位\n\n"
    rows = "\t任务。\n\t市财政局\n\n" * 2_000
    classified: list[str] = []
    classify = layout.classify
    monkeypatch.setattr(layout, "classify", lambda key: classified.append(key) or classify(key))
    with pytest.raises(ParseError, match="columns") as e:
        zwgk.load(write(tmp_path, header + rows))
    assert classified == []  # refused before the layout looked at a single heading (it classified 20,002)
    assert f"{MAX_COLUMNS:,}" in str(e.value)
    assert e.value.position is not None and e.value.position.row == 1 and e.value.position.column == MAX_COLUMNS + 1


@pytest.mark.slow
def test_a_wide_table_of_short_rows_is_linear(tmp_path: Path) -> None:
    width = 900
    header = "\t工作任务\n\t牵头单位\n\t责任单位\n" + "".join(f"\t附加{i}\n" for i in range(width - 3)) + "\n"
    short = "\t任务。\n\t市财政局\n\n"
    almost = "\t任务。\n\t市财政局\n\t市审计局\n" + "".join(f"\t值{i}\n" for i in range(width - 4)) + "\n"
    # 60 CPU seconds in a child (quadratic resolution took many minutes), however busy the machine
    outcome = load_bounded(write(tmp_path, header + (short + almost) * 300), cpu_seconds=60,
                           memory_bytes=2 * MEMORY_BYTES)
    assert outcome.kind == "plan", str(outcome)
    assert len(outcome.tasks) == 600


def test_overlapping_cells_never_hide_text() -> None:
    row = [Cell("任务。", column=0), Cell("市财政局", column=1), Cell("市审计局", column=2), Cell("", column=2)]
    [task] = build_plan([_grid([row])]).tasks
    assert [u.name for u in task.responsible] == ["市审计局"]
    row[-1] = Cell("市教育局", column=2, position=_pos(2, 3))
    with pytest.raises(ParseError, match="overlaps") as e:
        build_plan([_grid([row])])
    assert e.value.position == Position("g.docx", 1, 2, 3)


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (("序号", "牵头单位", "责任单位"), "no task column"),
        (("序号", "工作任务", "完成时限"), "no unit column"),
    ],
)
def test_every_layout_error_names_the_header_row(header: tuple[str, ...], words: str) -> None:
    rows = (
        (Cell("2020年某市任务分解表", colspan=len(header), column=0),),
        tuple(Cell(h, column=k) for k, h in enumerate(header)),
        tuple(Cell("x", column=k) for k in range(len(header))),
    )
    with pytest.raises(LayoutError, match=words) as caught:
        detect_layout(Grid(rows, source="t.docx", table=3))
    assert (caught.value.position.file, caught.value.position.table) == ("t.docx", 3)
    assert caught.value.position.row == 2  # the header row, below the title


def test_identical_tasks_get_numbered_ids_as_with_a_plain_set() -> None:
    from zwgk.model import TakenIds, task_id

    plain: set[str] = set()
    taken = TakenIds()
    asked = [(("一、类别",), "同一任务。")] * 50 + [((), "另一任务。")] * 3 + [(("一、类别",), "同一任务。")] * 5
    fast = [task_id(path, text, taken) for path, text in asked]
    assert fast == [task_id(path, text, plain) for path, text in asked]
    assert len(set(fast)) == len(fast) and fast[1] == f"{fast[0]}-2" and fast[54] == f"{fast[0]}-52"
    # an id already taken by another task (a hash-like suffix) is stepped over, as before
    clash = TakenIds({f"{fast[0]}"})
    assert task_id(("一、类别",), "同一任务。", clash) == f"{fast[0]}-2"


def test_many_identical_rows_read_into_distinct_ids() -> None:
    header = (Cell("一级任务"), Cell("具体任务"), Cell("牵头单位"))
    rows = [header] + [(Cell("一、类别"), Cell("同一任务。"), Cell("市财政局"))] * 3000
    plan = build_plan([Grid(tuple(rows), source="same.txt")])
    assert len({t.id for t in plan.tasks}) == 3000
