"""Scans as files like any other: the reader plugin, positions with boxes, findings, the core's correction.

Fast tests use no recognition model; the end-to-end reads of rendered tables are slow.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import zwgk
from zwgk import plugins
from zwgk.errors import Position, ReadWarning
from zwgk.readers import Reader
from zwgk.readers.scan._engine import Char, Line
from zwgk.readers.scan._positions import locate
from zwgk.table.grid import Cell, Grid

HEADER = ("序号", "工作任务", "牵头单位")


def _grid(rows: list[tuple[str, str, str]], confidence: float | None = None, page: int = 1) -> Grid:
    def cell(text: str, col: int, r: int) -> Cell:
        box = (10 * col, 10 * r, 10 * col + 9, 10 * r + 9) if confidence is not None else None
        return Cell(text, column=col, position=Position("scan.tif", page=page, box=box,
                                                          confidence=confidence if r == 2 else None))
    out = [tuple(Cell(h, column=i) for i, h in enumerate(HEADER))]
    out += [tuple(cell(t, i, r) for i, t in enumerate(row)) for r, row in enumerate(rows, start=1)]
    return Grid(tuple(out), source="scan.tif")


def _line(text: str, box: tuple[int, int, int, int], conf: float) -> Line:
    return Line(box, tuple(Char(ch, box[0], box[1], box[2], box[3], conf) for ch in text))


def test_cells_get_the_box_and_confidence_of_their_lines() -> None:
    grid = _grid([("1", "加强政务公开", "市财政局"), ("2", "推进决策公开", "市财政局")])
    lines = {1: [
        _line("加强政务", (100, 50, 300, 80), 0.99), _line("公开", (100, 85, 160, 115), 0.42),
        _line("市财政局", (400, 50, 520, 80), 0.97),
        _line("推进决策公开", (100, 150, 300, 180), 0.95), _line("市财政局", (400, 150, 520, 180), 0.9),
    ]}
    (out,) = locate([grid], lines)
    task1, unit1 = out.rows[1][1].position, out.rows[1][2].position
    assert task1.box == (100, 50, 300, 115) and task1.confidence == 0.42
    assert unit1.box == (400, 50, 520, 80)
    assert out.rows[2][2].position.box == (400, 150, 520, 180)  # the second 市财政局 is the second line
    assert out.rows[0][0].position.box is None  # the header's 序号 was read from no line here


class _FakeScans:
    """A reader of ``.fake`` files handing over grids as the scan reader does (positions with boxes)."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid

    @zwgk.hookimpl
    def register_readers(self, register: Callable[[Reader], None]) -> None:
        def read(path: str | Path) -> Iterator[Grid]:
            yield self.grid

        register(Reader("fake-scan", (".fake",), read))


@pytest.fixture
def fake_scan(tmp_path: Path) -> Iterator[Callable[[Grid], Path]]:
    names: list[str] = []

    def make(grid: Grid) -> Path:
        names.append(plugins.register(_FakeScans(grid), name=f"fake-scan-{len(names)}"))
        p = tmp_path / "scan.fake"
        p.write_text("x", encoding="utf-8")
        return p

    yield make
    for n in names:
        plugins.unregister(n)


def test_a_recognised_plan_is_corrected_and_checked(fake_scan: Callable[[Grid], Path]) -> None:
    rows = [("1", "加强政务公开", "市行政审批服务届"), ("2", "推进决策公开", "市财政局"),
            ("7", "深化政策解读", "市财政局"), ("4", "回应社会关切", "市财政局")]
    p = fake_scan(_grid(rows, confidence=0.35))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = zwgk.load(p)
    lead = plan.tasks[0].leads[0]
    assert (lead.as_written, lead.name, lead.resolved) == ("市行政审批服务届", "市行政审批服务局", True)
    messages = [str(w.message) for w in caught if issubclass(w.category, ReadWarning)]
    assert any("serial 7 follows 2" in m for m in messages)
    assert plan.tasks[1].source is not None and plan.tasks[1].source.confidence == 0.35
    report = zwgk.validate(plan, select="ZW4")
    codes = sorted((f.code, f.task_id) for f in report.findings)
    assert codes == sorted([("ZW401", plan.tasks[1].id), ("ZW402", plan.tasks[0].id)])
    uncertain = next(f for f in report.findings if f.code == "ZW401")
    assert "page 1, box (10, 20, 19, 29)" in (uncertain.hint or "")


def test_text_read_from_a_file_is_neither_corrected_nor_reported(fake_scan: Callable[[Grid], Path]) -> None:
    p = fake_scan(_grid([("1", "加强政务公开", "市行政审批服务届")]))
    plan = zwgk.load(p)
    assert plan.tasks[0].leads[0].name == "市行政审批服务届"
    assert zwgk.validate(plan, select="ZW4").findings == ()


def test_positions_with_boxes_survive_json(fake_scan: Callable[[Grid], Path]) -> None:
    plan = zwgk.load(fake_scan(_grid([("1", "加强政务公开", "市财政局"), ("2", "推进", "市财政局")], 0.5)))
    back = zwgk.loads(zwgk.dumps(plan))
    assert back.tasks[1].source == plan.tasks[1].source
    assert plan.tasks[1].source is not None and "box (10, 20, 19, 29)" in plan.tasks[1].source.describe()
