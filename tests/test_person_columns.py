"""Columns naming people (责任人, 责任领导, 联系人, 分管领导 …) are no unit columns: their cells are kept
as extra cells of their tasks, in every table form, and never become units."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

import zwgk
from tests.fixtures import kinds
from tests.strategies import (
    PersonLabelDoc,
    PersonTable,
    QualifiedTable,
    examples,
    person_column_tables,
    person_label_docs,
    qualified_header_tables,
)
from zwgk._api import read
from zwgk.model import Plan
from zwgk.vocabulary import ColumnRole, classify, header_key, names_people

FORMS = pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))


def _load(path: Path) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)  # every character in the plan: nothing said lost
        return zwgk.load(path)


@pytest.mark.parametrize("heading", ["责任人", "责任领导", "牵头领导", "牵头人", "联系人", "分管领导", "分管市领导",
                                     "负责人", "责任单位负责人", "配合人员", "联系电话", "经办人"])
def test_a_heading_naming_people_is_an_extra_column(heading: str) -> None:
    assert names_people(header_key(heading))
    assert classify(header_key(heading)) == (ColumnRole.EXTRA, 0)


@pytest.mark.parametrize(("heading", "role"), [
    ("责任单位", ColumnRole.RESPONSIBLE), ("牵头单位", ColumnRole.LEAD), ("配合单位", ColumnRole.COOPERATING),
    ("责任单位及责任人", ColumnRole.RESPONSIBLE), ("责任科室、责任人", ColumnRole.RESPONSIBLE),
    ("牵头单位（联系人）", ColumnRole.LEAD), ("工作任务", ColumnRole.TASK), ("完成时限", ColumnRole.DEADLINE),
])
def test_headings_naming_bodies_keep_their_role(heading: str, role: ColumnRole) -> None:
    assert classify(header_key(heading))[0] is role


@FORMS
def test_people_beside_the_unit_columns_are_extra_cells(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.PEOPLE_TITLE, kinds.PEOPLE_ROWS)
    plan = _load(path)
    want = kinds.PEOPLE_READ
    assert [[u.name for u in t.leads] for t in plan.tasks] == want["leads"]
    assert [[u.name for u in t.cooperating] for t in plan.tasks] == want["cooperating"]
    assert all(t.responsible == () for t in plan.tasks)
    extra = list(want["extra"])
    if form == "text":  # the text form shows no merge: the 分管领导 cell merged down is empty below
        extra[1] = extra[1][1:]
    assert [t.extra for t in plan.tasks] == extra
    assert all(t.path == () for t in plan.tasks)  # 分管领导 left of the task is no category
    lines = "\n".join(read(path).layouts[0].layout.explain())
    assert "column 5 责任人: extra (named by its heading)" in lines
    assert "column 1 分管领导: extra (named by its heading)" in lines


@FORMS
def test_people_under_a_unit_heading_are_extra_cells(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.PEOPLE_TITLE, kinds.PEOPLE_SPANNED_ROWS)
    plan = _load(path)
    assert [[u.name for u in t.responsible] for t in plan.tasks] == [["市司法局"], ["市政府办公室", "市审计局"]]
    assert [t.extra for t in plan.tasks] == [(("责任单位/责任人", "张三"),), (("责任单位/责任人", "李四、王五"),)]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=person_column_tables())
@FORMS
def test_generated_person_columns_never_feed_units(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                   table: PersonTable) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("people"), form, kinds.PEOPLE_TITLE, table.rows)
    plan = _load(path)
    assert [[u.as_written for u in t.leads] for t in plan.tasks] == table.leads
    assert [[u.as_written for u in t.cooperating] for t in plan.tasks] == table.cooperating
    assert all(t.responsible == () for t in plan.tasks)
    assert [t.extra for t in plan.tasks] == table.extra


@FORMS
def test_a_table_naming_only_people_reads_as_tasks_naming_no_unit(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.PEOPLE_TITLE, kinds.PEOPLE_ONLY_ROWS)
    plan = _load(path)
    want = kinds.PEOPLE_ONLY_READ
    assert [t.text for t in plan.tasks] == ["推进决策公开。", "推进执行公开。", "推进结果公开。"]
    assert all(t.units() == () for t in plan.tasks)
    assert [t.extra for t in plan.tasks] == want["extra"]
    assert [t.deadline for t in plan.tasks] == want["deadlines"]
    # the validator that says a task has no lead says so of each, naming its people
    found = [f for f in zwgk.validate(plan).findings if f.slug == "missing-lead"]
    assert [f.message for f in found] == ["the task names no unit at all, only people (责任人：张三)",
                                          "the task names no unit at all, only people (责任人：李四\n0538-6991234)",
                                          "the task names no unit at all"]


def test_a_table_naming_neither_units_nor_people_is_no_task_table() -> None:
    from zwgk.errors import LayoutError
    from zwgk.table import Cell, Grid, detect_layout

    rows = ((Cell("序号"), Cell("工作任务"), Cell("联系方式说明")), (Cell("1"), Cell("任务。"), Cell("无")))
    with pytest.raises(LayoutError, match="no unit column found"):
        detect_layout(Grid(rows, source="t.docx", table=1))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=person_column_tables(units=False))
@FORMS
def test_generated_tables_naming_only_people_keep_every_cell(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                             table: PersonTable) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("only"), form, kinds.PEOPLE_TITLE, table.rows)
    plan = _load(path)
    assert all(t.units() == () for t in plan.tasks)
    assert [t.extra for t in plan.tasks] == table.extra


@pytest.mark.parametrize(("fmt", "suffix"), [("text", ".txt"), ("docx", ".docx"), ("json", ".json")])
def test_person_columns_go_through_the_exporters(tmp_path: Path, fmt: str, suffix: str) -> None:
    plan = _load(kinds.write_table(tmp_path, "docx", kinds.PEOPLE_TITLE, kinds.PEOPLE_ROWS))
    out = tmp_path / f"back{suffix}"
    zwgk.export(plan, fmt, out)
    assert _load(out) == plan


@FORMS
def test_a_unit_heading_over_its_bodies_and_people_is_a_two_row_header(tmp_path: Path, form: str) -> None:
    path = kinds.write_table(tmp_path, form, kinds.PEOPLE_TITLE, kinds.PEOPLE_QUALIFIED_ROWS)
    plan = _load(path)
    assert [t.text for t in plan.tasks] == ["推进决策公开。", "推进执行公开。"]  # the sub-heading row is no task
    assert [[u.as_written for u in t.responsible] for t in plan.tasks] == [["市司法局"], ["市政府办公室", "市审计局"]]
    assert [t.extra for t in plan.tasks] == [(("责任主体/责任人", "张三"),), (("责任主体/责任人", "李四、王五"),)]
    assert read(path).layouts[0].layout.header_rows == 2


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(table=qualified_header_tables())
@FORMS
def test_generated_qualified_headers_read_as_two_header_rows(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                             table: QualifiedTable) -> None:
    path = kinds.write_table(tmp_path_factory.mktemp("qualified"), form, kinds.PEOPLE_TITLE, table.rows)
    plan = _load(path)
    assert [[u.as_written for u in t.units(table.role)] for t in plan.tasks] == table.units
    assert all(t.units() == t.units(table.role) for t in plan.tasks)
    assert [t.extra for t in plan.tasks] == table.extra


PARAGRAPH_FORMS = pytest.mark.parametrize("form", ["docx", "html", "text"])


@PARAGRAPH_FORMS
def test_a_label_naming_people_under_a_task_is_its_extra_cell(tmp_path: Path, form: str) -> None:
    plan = _load(kinds.write_paragraphs(tmp_path, form, kinds.PEOPLE_PARAGRAPHS))
    assert [t.text for t in plan.tasks] == ["1.推进决策公开。", "2.推进执行公开"]
    assert [[u.name for u in t.leads] for t in plan.tasks] == [["区司法局"], ["区政府办公室"]]
    assert [t.extra for t in plan.tasks] == kinds.PEOPLE_PARAGRAPHS_EXTRA
    assert plan.epilogue == ("请各单位抓好落实。", "联系人：赵六，联系电话：0538-6991234")


@PARAGRAPH_FORMS
def test_labels_naming_people_alone_make_no_task(tmp_path: Path, form: str) -> None:
    """A numbered paragraph with only people under it (（三）联系方式 / 联系人：…) is prose, as before."""
    lines = [*kinds.PEOPLE_PARAGRAPHS[:5], "二、工作要求", "（一）加强领导。", "（二）联系方式", "联系人：赵六"]
    plan = _load(kinds.write_paragraphs(tmp_path, form, lines))
    assert len(plan.tasks) == 1
    assert plan.epilogue == ("二、工作要求", "（一）加强领导。", "（二）联系方式", "联系人：赵六")


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(doc=person_label_docs())
# labels naming people in one order by one task and in another by a later one: each value once
@example(doc=PersonLabelDoc(
    lines=["某某区2022年政务公开重点任务分工方案", "一、重点任务", "1.全面推行重大行政决策事项目录管理。",
           "牵头单位：市财政局", "责任人：王丽", "2.做好决策草案公开征求意见工作。", "牵头单位：市财政局",
           "联系人：王丽", "3.加大督查结果公开力度。", "牵头单位：市财政局", "责任人：王丽", "联系人：王丽"],
    leads=[["市财政局"]] * 3,
    extra=[(("责任人", "王丽"),), (("联系人", "王丽"),), (("责任人", "王丽"), ("联系人", "王丽"))], epilogue=()))
@PARAGRAPH_FORMS
def test_generated_labels_naming_people_are_extra_cells(tmp_path_factory: pytest.TempPathFactory, form: str,
                                                        doc: PersonLabelDoc) -> None:
    path = kinds.write_paragraphs(tmp_path_factory.mktemp("labels"), form, doc.lines)
    plan = _load(path)
    assert [[u.as_written for u in t.leads] for t in plan.tasks] == doc.leads
    assert [t.extra for t in plan.tasks] == doc.extra
    assert plan.epilogue == doc.epilogue
    # the paragraph form writes them back as labelled lines
    for fmt, suffix in (("text", ".txt"), ("docx", ".docx")):
        out = path.parent / f"back{suffix}"
        zwgk.export(plan, fmt, out, form="list")
        assert _load(out) == plan


@pytest.mark.parametrize("heading", ["责任主体/责任人", "备注说明", "责任人 "])
def test_the_paragraph_form_refuses_extra_cells_it_would_not_read_as_people(heading: str) -> None:
    from zwgk.model import Task

    plan = Plan(title=None, tasks=(Task(id="t1", path=(), text="推进决策公开。", extra=((heading, "张三"),)),))
    with pytest.raises(zwgk.ExportError, match=f"extra column {heading!r}: the paragraph form writes only"):
        zwgk.export(plan, "text", form="list")
