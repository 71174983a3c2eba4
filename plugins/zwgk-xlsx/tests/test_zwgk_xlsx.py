"""The xlsx exporter plugin: workbook layout, merged categories, workload, and a read-back."""

from __future__ import annotations

import inspect
import io
import warnings
from importlib.metadata import PackageNotFoundError, distribution
from typing import Any

import attrs
import openpyxl
import pytest
import zwgk_xlsx

import zwgk
from zwgk.errors import ExportError
from zwgk.exporters import ExportWarning
from zwgk.exporters.text import columns_for
from zwgk.model import Plan, Role, task_id
from zwgk.table.build import build_plan
from zwgk.table.grid import Cell, Grid


@pytest.fixture(scope="module")
def sample() -> Plan:
    return zwgk.load_sample()


def _workbook(plan: Plan, **options: Any) -> openpyxl.Workbook:
    data = zwgk.export(plan, "xlsx", **options)
    assert data is not None
    return openpyxl.load_workbook(io.BytesIO(data))


def _grid(ws: Any, lines: int = 2) -> Grid:
    """The task sheet as a Grid: merged ranges become spans, the first ``lines`` rows the preamble."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        covered |= {(r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1)}
    preamble = tuple(ws.cell(r, 1).value for r in range(1, lines + 1))
    rows = []
    for r in range(lines + 1, ws.max_row + 1):
        row = []
        for c in range(1, ws.max_column + 1):
            if (r, c) in covered and (r, c) not in spans:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            value = ws.cell(r, c).value
            row.append(Cell("" if value is None else str(value), rowspan, colspan, c - 1))
        rows.append(tuple(row))
    return Grid(tuple(rows), title=zwgk.model.Metadata.title_of(preamble), preamble=preamble)


def test_registered_through_the_entry_point() -> None:
    try:
        dist = distribution("zwgk-xlsx")
    except PackageNotFoundError:
        pytest.skip("zwgk-xlsx is not installed")
    (ep,) = [ep for ep in dist.entry_points if ep.group == "zwgk"]
    assert (ep.name, ep.value) == ("xlsx", "zwgk_xlsx")
    infos = {p.name: p for p in zwgk.plugins.plugins()}
    assert infos["xlsx"].package == f"zwgk-xlsx {dist.version}"
    write = zwgk.get_exporters()["xlsx"].write  # registered by name: imported when first called
    assert write == zwgk.plugins.lazy_function("zwgk_xlsx._write", "write_xlsx")
    assert inspect.signature(write) == inspect.signature(zwgk_xlsx.write_xlsx)


def test_sheets_header_and_frozen_panes(xlsx: Any, sample: Plan) -> None:
    wb = _workbook(sample)
    assert wb.sheetnames == ["任务分解", "单位任务量"]
    ws = wb["任务分解"]
    assert sample.preamble == ("附件", sample.title)  # one row each above the header
    assert (ws.cell(1, 1).value, ws.cell(2, 1).value) == sample.preamble
    assert [c.value for c in ws[3]] == columns_for(sample)
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:E{len(sample.tasks) + 3}"
    assert ws.max_row == len(sample.tasks) + 3
    assert ws.print_title_rows == "$3:$3"


def test_reads_back_to_an_equal_plan(xlsx: Any, sample: Plan) -> None:
    ws = _workbook(sample)["任务分解"]
    back = build_plan([_grid(ws)], zwgk.unit_registry())
    assert back.tasks == sample.tasks and back.title == sample.title


def test_category_cells_are_merged_over_their_tasks(xlsx: Any, sample: Plan) -> None:
    ws = _workbook(sample)["任务分解"]
    first_level = sorted((r.min_row, r.max_row) for r in ws.merged_cells.ranges if r.min_col == r.max_col == 1)
    assert len(first_level) == len(sample.categories(level=1))
    for (top, bottom), (name,) in zip(first_level, sample.categories(level=1), strict=True):
        assert ws.cell(top, 1).value == name
        assert bottom - top + 1 == len(sample.tasks_in((name,)))


def test_a_shallow_task_spans_the_missing_category_columns(xlsx: Any, sample: Plan) -> None:
    deep = sample.tasks[0]
    shallow = attrs.evolve(sample.tasks[1], path=(), id=task_id((), sample.tasks[1].text, {deep.id}))
    plan = attrs.evolve(sample, tasks=(deep, shallow))
    ws = _workbook(plan)["任务分解"]
    assert "A5:C5" in {str(r) for r in ws.merged_cells.ranges}  # under 附件, the title and the header
    assert ws.cell(5, 1).value == shallow.text
    assert build_plan([_grid(ws)], zwgk.unit_registry()).tasks == plan.tasks


def test_workload_sheet(xlsx: Any, sample: Plan) -> None:
    ws = _workbook(sample)["单位任务量"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("单位", "类别", "牵头单位", "责任单位", "配合单位", "合计")
    load = sample.workload()
    kinds = {u.name: u.kind.value for u in sample.units()}
    assert len(rows) == len(load) + 1
    for name, kind, lead, responsible, cooperating, total in rows[1:]:
        c = load[name]
        assert kind == kinds[name]
        assert (lead, responsible, cooperating, total) == (c[Role.LEAD], c[Role.RESPONSIBLE],
                                                           c[Role.COOPERATING], sum(c.values()))
    totals = [r[-1] for r in rows[1:]]
    assert totals == sorted(totals, reverse=True)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(load) + 1}"
    assert _workbook(sample, workload=False).sheetnames == ["任务分解"]


def test_column_widths_suit_the_content(xlsx: Any, sample: Plan) -> None:
    ws = _workbook(sample)["任务分解"]
    widths = {c: ws.column_dimensions[c].width for c in "ABCDE"}
    assert widths["C"] == max(widths.values())  # the task text
    assert all(w >= 10 for w in widths.values())


def test_bad_characters_are_refused_naming_task_and_column(xlsx: Any, sample: Plan) -> None:
    tasks = (attrs.evolve(sample.tasks[0], text="含\x02控制字符 | 管道。"), *sample.tasks[1:])
    with pytest.raises(ExportError, match=rf"task {tasks[0].id}, 具体任务: holds U\+0002 at character 2, "
                                          r"which XLSX cannot hold"):
        zwgk.export(attrs.evolve(sample, tasks=tasks), "xlsx")


def test_bad_characters_are_replaced_and_reported_when_asked(xlsx: Any, sample: Plan) -> None:
    tasks = (attrs.evolve(sample.tasks[0], text="含\x02控制字符 | 管道。"), *sample.tasks[1:])
    plan = attrs.evolve(sample, tasks=tasks)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = _workbook(plan, replace_invalid=True)
    messages = [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]
    assert any("XLSX cannot hold" in m and tasks[0].id in m for m in messages)
    assert wb["任务分解"].cell(4, 3).value == "含\ufffd控制字符 | 管道。"  # under 附件, the title, the header


def test_a_cell_longer_than_excel_holds_is_refused(xlsx: Any, sample: Plan) -> None:
    tasks = (sample.tasks[0], attrs.evolve(sample.tasks[1], text="很长" * 20_000), *sample.tasks[2:])
    with pytest.raises(ExportError, match=rf"task {tasks[1].id}, 具体任务: .*40,000 characters.*32,767"):
        zwgk.export(attrs.evolve(sample, tasks=tasks), "xlsx")
