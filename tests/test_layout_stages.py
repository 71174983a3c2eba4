"""The layout's stages hand values on: the rows are placed once, for the layout and the builder alike.

Counted on the content-read tables of :mod:`tests.test_layout_content` in each form: placing a
grid's rows happens once per grid, however many questions the content answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import zwgk
import zwgk.table.build as build_module
import zwgk.table.content as content_module
import zwgk.table.layout as layout_module
from tests.test_layout_content import FORMS, TABLE_A, TABLE_B, TITLE
from zwgk.table.grid import Cell, Grid
from zwgk.table.place import Placement, place
from zwgk.vocabulary import ColumnRole


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("table", ["A", "B"])
def test_each_grid_is_placed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str, table: str) -> None:
    calls: list[int] = []

    def counted(grid: Grid, first_row: int, roles: tuple[ColumnRole, ...]) -> Placement:
        calls.append(first_row)
        return place(grid, first_row, roles)

    # wherever the stages could place rows from: the layout, the content reader, the builder
    for module in (layout_module, content_module, build_module):
        monkeypatch.setattr(module, "place", counted, raising=False)
    name, writer = FORMS[form]
    plan = zwgk.load(writer(tmp_path / name, TITLE, TABLE_A if table == "A" else TABLE_B))
    assert plan.tasks
    assert len(calls) == 1


def test_rows_placed_by_their_fit_to_the_roles_are_placed_again_for_other_roles() -> None:
    """A text-form row showing fewer cells than columns is placed by how its text fits the roles:
    that placement holds only for those roles; any other placement holds for every role."""
    header = tuple(Cell(t) for t in ("工作任务", "牵头单位", "配合单位"))
    short = (Cell("推进决策公开。"), Cell("市财政局"))
    full = (Cell("推进执行公开。"), Cell("市财政局"), Cell("市审计局"))
    roles = (ColumnRole.TASK, ColumnRole.LEAD, ColumnRole.COOPERATING)
    other = (ColumnRole.TASK, ColumnRole.LEAD, ColumnRole.EXTRA)
    by_fit = place(Grid((header, full, short)), 1, roles)
    assert by_fit.by_roles and by_fit.holds_for(roles) and not by_fit.holds_for(other)
    plain = place(Grid((header, full)), 1, roles)
    assert not plain.by_roles and plain.holds_for(other)
