"""The xlsx exporter writes every text as text (never a formula) and every cell the plan holds."""

from __future__ import annotations

import io
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.strategies import examples, reader_plans
from zwgk.errors import ExportError
from zwgk.model import Metadata, Plan
from zwgk.table.build import build_plan
from zwgk.table.grid import Cell, Grid

FORMULA_LIKE = ('=HYPERLINK("http://example.com","点击")', "=1+1", "+86 538 1234567", "-1", "@SUM(A1)")


def _sheet(plan: Plan) -> Any:
    data = zwgk.export(plan, "xlsx")
    assert data is not None
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_text_that_looks_like_a_formula_is_written_as_text(xlsx: Any, text: str) -> None:
    sample = zwgk.load_sample()
    task = attrs.evolve(sample.tasks[0], text=text, extra=(("链接", text),))
    plan = attrs.evolve(sample, title=text, preamble=(text,), metadata=Metadata.from_title(text),
                        tasks=(task, *sample.tasks[1:3]))
    wb = _sheet(plan)
    ws = wb["任务分解"]
    title, text_cell = ws.cell(1, 1), ws.cell(3, 3)
    extra = ws.cell(3, [c.value for c in ws[2]].index("链接") + 1)
    for cell in (title, text_cell, extra):
        assert (cell.value, cell.data_type) == (text, "s")
    wb_formulas = openpyxl.load_workbook(io.BytesIO(zwgk.export(plan, "xlsx") or b""), data_only=False)
    assert not any(c.data_type == "f" for row in wb_formulas["任务分解"].iter_rows() for c in row)


def test_a_unit_name_that_looks_like_a_formula_is_text_in_the_workload_sheet(xlsx: Any) -> None:
    sample = zwgk.load_sample()
    registry = zwgk.unit_registry()
    refs = registry.parse_cell("=市财政局", learn=True).refs
    plan = attrs.evolve(sample, tasks=(attrs.evolve(sample.tasks[0], leads=refs),))
    ws = _sheet(plan)["单位任务量"]
    names = {ws.cell(r, 1).value: ws.cell(r, 1).data_type for r in range(2, ws.max_row + 1)}
    assert any(n.startswith("=") for n in names)
    assert set(names.values()) == {"s"}


def _grid(ws: Any, titled: bool) -> Grid:
    """The task sheet as a Grid (merged ranges as spans), as a reader of the sheet would give it."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        covered |= {(r, c) for r in range(rng.min_row, rng.max_row + 1)
                    for c in range(rng.min_col, rng.max_col + 1)}
    rows = []
    for r in range(2 if titled else 1, ws.max_row + 1):
        row = []
        for c in range(1, ws.max_column + 1):
            if (r, c) in covered and (r, c) not in spans:
                continue
            cell = ws.cell(r, c)
            assert cell.value is None or cell.data_type == "s", (r, c, cell.value)
            rowspan, colspan = spans.get((r, c), (1, 1))
            row.append(Cell("" if cell.value is None else str(cell.value), rowspan, colspan, c - 1))
        rows.append(tuple(row))
    title = ws.cell(1, 1).value if titled else None
    return Grid(tuple(rows), title=title, preamble=(title,) if title else ())


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
@given(reader_plans())
def test_reader_plans_are_written_whole_or_refused(xlsx: Any, plan: Plan) -> None:
    """Every cell of a plan a reader produced is in the sheet, as text: the written cells build an
    equal plan (or the exporter refused)."""
    try:
        wb = _sheet(plan)
    except ExportError:
        return
    grid = _grid(wb["任务分解"], plan.title is not None)
    assert build_plan([grid], zwgk.unit_registry()) == plan
