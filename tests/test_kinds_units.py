"""Unit columns of documents from other bureaus and regions: the headings that name their role
(承办科室, 主办处室 …), cells that write the roles without separators or one unit a line, and
collectives in the plan of a region no registry serves; each read from .docx, HTML, OpenDocument
and the text form (:mod:`tests.fixtures.kinds`)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import zwgk
from tests.fixtures import kinds
from tests.fixtures.layouts import Spec
from tests.strategies import CollectiveTable, collective_tables, examples
from zwgk.model import Plan, Role, UnitKind, UnitRef
from zwgk.units._registry import TAIL_UNSERVED

FORMS = pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
TITLE = "2021年某某市某某局政务公开工作任务分解表"


def load_quietly(path: Path) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)
        return zwgk.load(path)


def written(refs: tuple[UnitRef, ...]) -> list[str]:
    return [u.as_written for u in refs]


def names(refs: tuple[UnitRef, ...]) -> list[str]:
    return [u.name for u in refs]


# One heading for each role as real tables write them, with what the column holds.
ROLE_HEADINGS = [("本局承办科室", Role.RESPONSIBLE), ("承办处室", Role.RESPONSIBLE), ("责任处室", Role.RESPONSIBLE),
                 ("主办处室", Role.LEAD), ("协办科室", Role.COOPERATING), ("参与部门", Role.COOPERATING)]


@FORMS
@pytest.mark.parametrize(("heading", "role"), ROLE_HEADINGS)
def test_a_unit_heading_of_another_wording_names_its_column(tmp_path: Path, form: str, heading: str,
                                                             role: Role) -> None:
    rows: Spec = [["编号", "具体措施", heading, "完成期限"],
                  ["1", "推进决策公开。", "办公室", "2021年底前"],
                  ["2", "推进执行公开。", "法规科、督查科", "长期坚持"]]
    plan = load_quietly(kinds.write_table(tmp_path, form, TITLE, rows))
    assert [names(t.units(role)) for t in plan.tasks] == [["办公室"], ["法规科", "督查科"]]
    assert [t.deadline for t in plan.tasks] == ["2021年底前", "长期坚持"]
    assert [t.serial for t in plan.tasks] == ["1", "2"]
    assert all(not t.extra for t in plan.tasks)


# Roles written inside one cell with no separator, in brackets, and one unit a line.
CELL_ROWS: Spec = [
    ["序号", "工作任务", "本局承办科室"],
    ["1", "推进决策公开。", "办公室牵头法规科配合"],
    ["2", "推进执行公开。", "办公室（牵头）法规科、督查科（配合）"],
    ["3", "推进结果公开。", ["办公室", "法规科"]],
    ["4", "推进管理公开。", "办公室牵头，法规科配合"],
    ["5", "推进服务公开。", ["信息中心牵头", "执法大队配合落实"]],
]


@FORMS
def test_roles_written_in_one_cell_without_a_separator_and_one_unit_a_line(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, form, TITLE, CELL_ROWS))
    first, second, third, fourth, fifth = plan.tasks
    for task in (first, fourth):
        assert (names(task.leads), names(task.cooperating), task.responsible) == (["办公室"], ["法规科"], ())
    assert written(first.leads) == ["办公室牵头"] and written(first.cooperating) == ["法规科配合"]
    assert names(second.leads) == ["办公室"] and names(second.cooperating) == ["法规科", "督查科"]
    assert written(second.leads) == ["办公室（牵头）"]
    # a line break between two complete names: two units of the column's role
    assert (names(third.responsible), third.leads, third.cooperating) == (["办公室", "法规科"], (), ())
    assert (names(fifth.leads), names(fifth.cooperating)) == (["信息中心"], ["执法大队"])
    for task in plan.tasks:
        for ref in task.units():
            assert not any(word in ref.name for word in ("牵头", "配合", "落实")), ref


def test_a_name_that_wraps_at_a_line_break_is_one_unit() -> None:
    registry = zwgk.unit_registry()
    # the half before the break is no complete name: one unit, read as the registry knows it
    assert names(tuple(registry.split("市自然资源和\n规划局"))) == ["市自然资源和规划局"]
    # spaces inside one name (a letter-spaced cell) are no break between names
    assert len(registry.split("办 公 室")) == 1


def test_a_registered_name_holding_a_role_word_is_not_cut() -> None:
    registry = zwgk.unit_registry()
    name = "市老干部局协助服务中心"  # both sides of 协助 end like unit names
    assert names(tuple(registry.split(name))) == ["市老干部局", "服务中心"]
    registry.add(zwgk.Unit(name, UnitKind.PUBLIC_INSTITUTION))
    assert names(tuple(registry.split(name))) == [name]


# Collectives of the plan's own level in the plan of a region no registry serves.
COLLECTIVE_ROWS: Spec = [
    ["序号", "工作任务", "牵头单位", "配合单位"],
    ["1", "推进决策公开。", "市政府办公室", "市直各部门"],
    ["2", "推进执行公开。", "市司法局", "市财政局、市政府各部门"],
]


@FORMS
def test_a_collective_in_another_citys_plan_stays_as_written(tmp_path: Path, form: str) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, form, "2021年某某市政务公开工作要点任务分解表", COLLECTIVE_ROWS))
    assert (plan.metadata.region, plan.metadata.level) == ("某某市", "市")
    collectives = [plan.tasks[0].cooperating[0], plan.tasks[1].cooperating[-1]]
    assert [(u.as_written, u.name, u.kind, u.resolved) for u in collectives] == [
        ("市直各部门", "市直各部门", UnitKind.COLLECTIVE, False),
        ("市政府各部门", "市政府各部门", UnitKind.COLLECTIVE, False)]
    assert all(u.note == TAIL_UNSERVED for u in collectives)
    assert not any(u.resolved for t in plan.tasks for u in t.units())


def test_a_collective_in_the_registrys_own_city_resolves(tmp_path: Path) -> None:
    plan = load_quietly(kinds.write_table(tmp_path, "html", "2021年泰安市政务公开工作要点任务分解表", COLLECTIVE_ROWS))
    assert [plan.tasks[0].cooperating[0].name, plan.tasks[1].cooperating[-1].name] == ["市政府各部门（单位）"] * 2
    assert all(u.resolved for t in plan.tasks for u in t.units())


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=collective_tables())
@FORMS
def test_generated_collectives_of_an_unserved_region_stay_as_written(
    tmp_path_factory: pytest.TempPathFactory, form: str, table: CollectiveTable
) -> None:
    plan = load_quietly(kinds.write_table(tmp_path_factory.mktemp("coll"), form, table.title, table.rows))
    assert plan.metadata.level == table.level
    for task, collective in zip(plan.tasks, table.collectives, strict=True):
        last = task.units()[-1]
        assert (last.as_written, last.name, last.kind, last.resolved) == (
            collective, collective, UnitKind.COLLECTIVE, False)
        assert not any(u.resolved for u in task.units()), task


@pytest.mark.parametrize(("cell", "want"), [
    ("办公室\n法规科", ["办公室", "法规科"]),  # a section, then another name: two units
    ("法规科\n办公室", ["法规科", "办公室"]),
    ("执法大队\n信息中心", ["执法大队", "信息中心"]),
    ("市政府\n办公室", ["市政府办公室"]),  # a government's office: one name over two lines
    ("泰山职业技术学院\n山东服装职业学院", ["泰山职业技术学院山东服装职业学院"]),  # left to the registry
    ("办公室 法规科", ["办公室法规科"]),  # spaces are no line break
    # a body of the plan's level, then its own section on the next line: one name, the office's section
    ("市政府办公室\n政务公开科", ["市政府办公室政务公开科"]),
    ("县政府办公室\n政务公开股", ["县政府办公室政务公开股"]),
    ("市政府办公室\n政务公开科\n市财政局", ["市政府办公室政务公开科", "市财政局"]),
    ("市政府办公室\n市财政局", ["市政府办公室", "市财政局"]),  # a name of its own level: two units
])
def test_a_line_break_after_a_section_separates_two_units(cell: str, want: list[str]) -> None:
    assert names(tuple(zwgk.UnitRegistry().split(cell))) == want
