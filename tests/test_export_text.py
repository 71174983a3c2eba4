"""The text exporter: the text form of a Word table, read back by the text reader to an equal plan."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.strategies import examples
from tests.strategies import realistic_plans as plans
from zwgk.errors import ExportError
from zwgk.exporters.text import columns_for, plan_to_text, row_cells
from zwgk.model import Plan, Role
from zwgk.readers.text import parse_text
from zwgk.table.build import build_plan
from zwgk.vocabulary import LEVEL_HEADINGS


def test_sample_round_trips_through_a_file(sample: Plan, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    zwgk.export(sample, "text", path)
    assert zwgk.load(path) == sample


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_generated_plans_round_trip(plan: Plan) -> None:
    assert build_plan([parse_text(plan_to_text(plan))], zwgk.unit_registry()) == plan


def test_columns_only_what_the_plan_uses(sample: Plan) -> None:
    assert columns_for(sample) == ["一级任务", "二级任务", "具体任务", "牵头单位", "责任单位"]
    task = attrs.evolve(sample.tasks[0], serial="1", deadline="年底前", extra=(("责任人", "张三"),),
                        open_roles=frozenset({Role.COOPERATING}))
    plan = attrs.evolve(sample, tasks=(task,))
    assert columns_for(plan) == ["序号", "一级任务", "二级任务", "具体任务", "牵头单位", "责任单位", "配合单位",
                                 "完成时限", "责任人"]
    cells = row_cells(task, columns_for(plan), None)
    assert [c.text for c in cells][-2:] == ["年底前", "张三"]
    assert cells[columns_for(plan).index("配合单位")].text == "等"


def test_row_cells_mark_continued_categories_and_spans(sample: Plan) -> None:
    cols = columns_for(sample)
    first, second = sample.tasks[0], sample.tasks[1]
    assert [c.continued for c in row_cells(second, cols, first.path)][:2] == [True, True]
    shallow = attrs.evolve(second, path=first.path[:1])
    cells = row_cells(shallow, cols, first.path)
    assert [(c.header, c.span, c.continued) for c in cells[:2]] == [("一级任务", 1, True), ("具体任务", 2, False)]


def test_too_deep_a_hierarchy_is_an_export_error(sample: Plan) -> None:
    deep = attrs.evolve(sample.tasks[0], path=tuple(f"第{i}级" for i in range(len(LEVEL_HEADINGS) + 1)))
    with pytest.raises(ExportError, match="levels deep"):
        zwgk.export(attrs.evolve(sample, tasks=(deep,)), "text")


@pytest.mark.parametrize("text", ["第一行\n\t第二行以制表符开头。", "含\r回车。", "空行\n\n之后。"])
def test_cells_the_text_form_cannot_hold_are_export_errors(sample: Plan, text: str) -> None:
    plan = attrs.evolve(sample, tasks=(attrs.evolve(sample.tasks[0], text=text),))
    with pytest.raises(ExportError):
        zwgk.export(plan, "text")
