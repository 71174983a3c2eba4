"""Layout generality: the table shapes published in practice, each as .docx and as HTML."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

import zwgk
from tests.fixtures.layouts import C, Spec, write_docx, write_html
from zwgk.model import Plan

TITLE = "2021年泰安市政务公开工作要点任务分解表"


def _docx(tmp: Path, rows: Spec) -> Plan:
    return zwgk.load(write_docx(tmp / "t.docx", TITLE, rows))


def _html(tmp: Path, rows: Spec) -> Plan:
    return zwgk.load(write_html(tmp / "t.html", TITLE, rows))


def _html_gbk(tmp: Path, rows: Spec) -> Plan:
    return zwgk.load(write_html(tmp / "t.htm", TITLE, rows, encoding="gbk"))


READ = pytest.mark.parametrize("read", [_docx, _html, _html_gbk], ids=["docx", "html", "html-gbk"])
Reader = Callable[[Path, Spec], Plan]


def names(refs: tuple[zwgk.UnitRef, ...]) -> list[str]:
    return [u.name for u in refs]


def check_common(plan: Plan) -> None:
    assert plan.title == TITLE
    assert plan.metadata.year == 2021 and plan.metadata.region == "泰安市"
    assert plan.preamble == ("附件", TITLE)
    assert plan.epilogue == ("说明：本表未尽事项由市政务公开办负责解释。",)


@READ
def test_hierarchy_as_heading_rows(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["序号", "工作任务", "牵头单位", "责任单位"],
        [C("一、推进决策公开", colspan=4)],
        [C("（一）决策预公开", colspan=4)],
        ["1", "制定发布重大行政决策事项目录。", "市司法局", "各县（市、区）"],
        ["2", "公开征求意见。", "市政府办公室", ""],
        [C("（二）执行公开", colspan=4)],
        ["3", "公开执行情况。", "市财政局", "市审计局"],
        [C("二、推进管理公开", colspan=4)],
        ["4", "公开行政执法信息。", "市司法局", "市政府各部门（单位）"],
    ]
    plan = read(tmp_path, rows)
    check_common(plan)
    assert [t.path for t in plan.tasks] == [
        ("一、推进决策公开", "（一）决策预公开"),
        ("一、推进决策公开", "（一）决策预公开"),
        ("一、推进决策公开", "（二）执行公开"),
        ("二、推进管理公开",),
    ]
    assert [t.serial_number for t in plan.tasks] == [1, 2, 3, 4]
    # numbered headings are kept as written and parse to their number
    assert [zwgk.parse_number(p[-1]) for p in plan.categories(2)] == [1, 2]
    assert [zwgk.parse_number(p[0]) for p in plan.categories(1)] == [1, 2]
    assert names(plan.tasks[3].responsible) == ["市政府各部门（单位）"]


@READ
def test_a_category_with_no_task_is_a_warning_naming_its_row(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["工作任务", "具体任务", "牵头单位"],
        [C("一、推进决策公开", colspan=3)],
        ["（一）决策预公开", "制定发布重大行政决策事项目录。", "市司法局"],
        ["（二）尚无任务的类别", "", ""],
        [C("二、尚无任务的标题", colspan=3)],
        [C("三、推进管理公开", colspan=3)],
        ["（一）执行公开", "公开执行情况。", "市财政局"],
        ["（二）最后的类别", "", ""],
    ]
    with pytest.warns(zwgk.ReadWarning) as caught:
        plan = read(tmp_path, rows)
    assert len(plan.tasks) == 2
    said = [str(w.message) for w in caught if issubclass(w.category, zwgk.ReadWarning)]
    assert len(said) == 3
    for message, text, row in zip(said, ["（二）尚无任务的类别", "二、尚无任务的标题", "（二）最后的类别"], [4, 5, 8],
                                  strict=True):
        assert f"row {row}" in message and f"category 「{text}」 has no task under it" in message


def test_no_warning_where_every_category_has_tasks(tmp_path: Path, recwarn: pytest.WarningsRecorder) -> None:
    zwgk.load_sample()
    rows: Spec = [
        ["工作任务", "具体任务", "牵头单位"],
        [C("一、推进决策公开", colspan=3)],
        [C("（一）决策预公开", colspan=3)],  # a heading row above a heading row: both in the path
        ["1", "制定发布重大行政决策事项目录。", "市司法局"],
    ]
    _docx(tmp_path, rows)
    assert not [w for w in recwarn if issubclass(w.category, zwgk.ReadWarning)]


def test_a_table_beside_the_task_table_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "two.html"
    path.write_text("<p>政务公开重点工作任务分解表</p><table><tr><td>一级任务</td><td>具体任务</td><td>牵头单位</td></tr>"
                    "<tr><td>一、加强公开</td><td>做好公开。</td><td>市政府办公室</td></tr></table><p>附：联系人</p>"
                    "<table><tr><td>姓名</td><td>电话</td></tr><tr><td>张三</td><td>123</td></tr></table>",
                    encoding="utf-8")
    with pytest.warns(zwgk.ReadWarning, match=r"two\.html, table 2: not a task table \(no header row found"):
        plan = zwgk.load(path)
    assert len(plan.tasks) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(zwgk.load(path, table=1).tasks) == 1  # the table asked for: nothing left out to say


def test_the_command_line_prints_the_warning_and_succeeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zwgk.cli import main

    rows: Spec = [["工作任务", "具体任务", "牵头单位"], ["一、类别", "任务。", "市财政局"], ["二、空类别", "", ""]]
    path = write_html(tmp_path / "t.html", TITLE, rows)
    assert main(["parse", str(path), "-o", str(tmp_path / "out.json")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"zwgk: warning: {path}, table 1, line 16, row 3, column 1: category 「二、空类别」 has no task "
                   "under it, so the plan does not hold it"]


@READ
def test_task_title_and_separate_requirement(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["工作任务", "工作要求", "牵头单位", "配合/责任单位"],
        ["1. 推进决策公开", ["制定发布重大行政决策事项目录，", "决策前公开征求意见。"], "市司法局",
         "市财政局 市审计局"],
        ["22.推进执行公开", "公开执行情况。", "市财政局", "各县（市、区）"],
    ]
    plan = read(tmp_path, rows)
    check_common(plan)
    first, second = plan.tasks
    assert (first.serial, first.serial_number, second.serial, second.serial_number) == ("1.", 1, "22.", 22)
    assert first.text == "1. 推进决策公开"  # the text as written
    assert first.requirement == "制定发布重大行政决策事项目录，\n决策前公开征求意见。"
    assert second.requirement == "公开执行情况。"
    assert names(first.leads) == ["市司法局"]
    assert names(first.cooperating) == ["市财政局", "市审计局"]


@READ
def test_units_separated_every_way(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["工作任务", "牵头单位", "责任单位"],
        ["公开预算。", ["市财政局", "市审计局"], "市统计局 市大数据局"],
        ["公开决算。", "市司法局、市政府办公室，市发展改革委", ["市统计局、市财政局", "各县（市、区）"]],
    ]
    plan = read(tmp_path, rows)
    a, b = plan.tasks
    assert names(a.leads) == ["市财政局", "市审计局"]
    assert names(a.responsible) == ["市统计局", "市大数据局"]
    assert names(b.leads) == ["市司法局", "市政府办公室", "市发展改革委"]
    assert names(b.responsible) == ["市统计局", "市财政局", "各县（市、区）"]


@READ
def test_letter_spaced_headers_serial_deadline_cooperating(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["序　号", "工 作 任 务", "牵 头 单 位", "配　合　单　位", "完 成 时 限"],
        ["1", "公开预算。", "市财政局", "市审计局", "2021年6月底前"],
        ["2", "公开决算。", "市财政局", "", "长期坚持"],
    ]
    plan = read(tmp_path, rows)
    a, b = plan.tasks
    assert (a.serial, a.text, a.deadline) == ("1", "公开预算。", "2021年6月底前")
    assert names(a.cooperating) == ["市审计局"] and b.cooperating == ()
    assert (b.serial_number, b.deadline) == (2, "长期坚持")
    assert a.path == ()


@READ
def test_requirement_column_last(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["工作任务", "牵头单位", "责任单位", "工作要求"],
        ["推进决策公开", "市司法局", "各县（市、区）", "制定发布目录。"],
    ]
    (task,) = read(tmp_path, rows).tasks
    assert (task.text, task.requirement) == ("推进决策公开", "制定发布目录。")
    assert names(task.leads) == ["市司法局"] and names(task.responsible) == ["各县（市、区）"]


@READ
def test_three_hierarchy_levels(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        ["一级任务", "二级任务", "三级任务", "具体任务", "牵头单位", "责任单位"],
        [C("一、全过程公开", rowspan=4), C("（一）决策公开", rowspan=3), C("1.预公开", rowspan=2),
         "任务一。", "市司法局", ""],
        ["任务二。", "市财政局", ""],
        ["2.结果公开", "任务三。", "市审计局", ""],
        [C("（二）执行公开"), C("任务四。", colspan=2), "市统计局", ""],
    ]
    plan = read(tmp_path, rows)
    assert [t.path for t in plan.tasks] == [
        ("一、全过程公开", "（一）决策公开", "1.预公开"),
        ("一、全过程公开", "（一）决策公开", "1.预公开"),
        ("一、全过程公开", "（一）决策公开", "2.结果公开"),
        ("一、全过程公开", "（二）执行公开"),
    ]
    assert [t.text for t in plan.tasks] == ["任务一。", "任务二。", "任务三。", "任务四。"]
    assert [zwgk.parse_number(x) for x in plan.tasks[2].path] == [1, 1, 2]


@READ
def test_header_spanning_two_rows(tmp_path: Path, read: Reader) -> None:
    rows: Spec = [
        [C("序号", rowspan=2), C("工作任务", rowspan=2), C("责任单位", colspan=2), C("完成时限", rowspan=2)],
        ["牵头单位", "配合单位"],
        ["1", "公开预算。", "市财政局", "市审计局、市统计局", "2021年底"],
        ["2", "公开决算。", "市财政局", "", "2021年底"],
    ]
    plan = read(tmp_path, rows)
    a, b = plan.tasks
    assert (a.serial, a.text, a.deadline) == ("1", "公开预算。", "2021年底")
    assert names(a.leads) == ["市财政局"] and names(a.cooperating) == ["市审计局", "市统计局"]
    assert a.responsible == () and b.cooperating == ()


def test_text_sample_keeps_its_shape() -> None:
    plan = zwgk.load_sample()
    assert len(plan.tasks) == 143
    assert len(plan.categories(1)) == 6 and len(plan.categories(2)) == 25
    (spanning,) = [t for t in plan.tasks if t.text.startswith("各县（市、区）、各市直部门要")]
    assert spanning.leads == ()  # its text spans the second-level and task columns
    assert len(spanning.path) == 1
    assert all(t.serial is None and t.requirement is None for t in plan.tasks)


def test_second_header_row_the_document_does_not_mark(tmp_path: Path) -> None:
    page = tmp_path / "h.html"
    page.write_text(
        "<html><head><meta charset=utf-8></head><body><table>"
        "<thead><tr><th rowspan=2>工作任务</th><th colspan=2>责任单位</th></tr></thead>"
        "<tbody><tr><td>牵头单位</td><td>配合单位</td></tr>"
        "<tr><td>公开预算。</td><td>市财政局</td><td>市审计局</td></tr></tbody></table></body></html>",
        encoding="utf-8",
    )
    (task,) = zwgk.load(page).tasks
    assert names(task.leads) == ["市财政局"] and names(task.cooperating) == ["市审计局"]
