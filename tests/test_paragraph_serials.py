"""Task paragraphs numbered （一）（二）… or 一、二、… get that number as their serial, as tasks numbered
1. 2. do, whichever style numbers the categories above them: （一） numbering tasks under 一、
categories, （一） numbering categories over 1. tasks, 一、 numbering tasks under the title alone."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import zwgk
from tests.fixtures import kinds
from zwgk.model import Plan

TITLE = "2023年某某市政务公开工作要点任务分解"
PARAGRAPH_FORMS = ("docx", "html", "text")

#: (paragraphs, the serials, the paths, the leads) of each way of numbering.
LAYOUTS: dict[str, tuple[list[str], list[str], list[tuple[str, ...]], list[list[str]]]] = {
    # 一、 categories over （一） tasks, numbered on through the document
    "cn-paren tasks under cn-dun categories": (
        [TITLE, "一、推进决策公开",
         "（一）推进重大行政决策事项目录管理。按时公开目录。", "牵头单位：市政府办公室", "配合单位：市司法局",
         "（二）做好政策解读工作。", "牵头单位：市发展改革委",
         "二、推进执行公开",
         "（三）加大督查结果公开力度。", "责任单位：市政府督查室", "完成时限：2023年底前"],
        ["（一）", "（二）", "（三）"],
        [("一、推进决策公开",)] * 2 + [("二、推进执行公开",)],
        [["市政府办公室"], ["市发展改革委"], []]),
    # （一） categories over 1. tasks
    "arabic tasks under cn-paren categories": (
        [TITLE, "（一）推进决策公开",
         "1.推进重大行政决策事项目录管理。按时公开目录。", "牵头单位：市政府办公室",
         "2.做好政策解读工作。", "牵头单位：市发展改革委",
         "（二）推进执行公开",
         "3.加大督查结果公开力度。", "牵头单位：市政府督查室"],
        ["1.", "2.", "3."],
        [("（一）推进决策公开",)] * 2 + [("（二）推进执行公开",)],
        [["市政府办公室"], ["市发展改革委"], ["市政府督查室"]]),
    # 一、 numbering the tasks themselves, units in a bracket after each
    "cn-dun tasks, units in brackets": (
        [TITLE, "一、推进重大行政决策事项目录管理，按时公开目录。（牵头单位：市政府办公室；配合单位：市司法局）",
         "二、做好政策解读工作。（牵头单位：市发展改革委）",
         "三、加大督查结果公开力度。（市政府督查室牵头，市财政局配合）"],
        ["一、", "二、", "三、"],
        [()] * 3,
        [["市政府办公室"], ["市发展改革委"], ["市政府督查室"]]),
    # 一、 and （一） both categories over 1. tasks
    "arabic tasks under two levels": (
        [TITLE, "一、推进决策公开", "（一）目录管理",
         "1.推进重大行政决策事项目录管理。", "牵头单位：市政府办公室",
         "（二）政策解读",
         "2.做好政策解读工作。", "牵头单位：市发展改革委",
         "二、推进执行公开",
         "3.加大督查结果公开力度。", "牵头单位：市政府督查室"],
        ["1.", "2.", "3."],
        [("一、推进决策公开", "（一）目录管理"), ("一、推进决策公开", "（二）政策解读"), ("二、推进执行公开",)],
        [["市政府办公室"], ["市发展改革委"], ["市政府督查室"]]),
    # （一） tasks under 一、 categories, with prose around them numbered the same ways
    "cn-paren tasks with prose around": (
        [TITLE, "为做好2023年政务公开工作，制定本方案。", "一、工作目标", "全面提升政务公开质量。",
         "二、重点任务",
         "（一）推进重大行政决策事项目录管理。", "牵头单位：市政府办公室",
         "（二）做好政策解读工作。", "牵头单位：市发展改革委",
         "三、保障措施", "（一）加强组织领导。各单位要高度重视。", "（二）强化督查考核。"],
        ["（一）", "（二）"],
        [("二、重点任务",)] * 2,
        [["市政府办公室"], ["市发展改革委"]]),
}


def _load(path: Path) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)  # every character in the plan
        return zwgk.load(path)


@pytest.mark.parametrize("form", PARAGRAPH_FORMS)
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_task_paragraphs_get_their_number_as_serial(tmp_path: Path, form: str, layout: str) -> None:
    lines, serials, paths, leads = LAYOUTS[layout]
    plan = _load(kinds.write_paragraphs(tmp_path, form, lines))
    assert [t.serial for t in plan.tasks] == serials
    assert [t.path for t in plan.tasks] == paths
    assert [[u.name for u in t.leads] for t in plan.tasks] == leads
    assert all(t.text.startswith(s) for t, s in zip(plan.tasks, serials, strict=True))  # the text as written


@pytest.mark.parametrize("form", PARAGRAPH_FORMS)
def test_the_prose_numbered_as_tasks_are_stays_prose(tmp_path: Path, form: str) -> None:
    plan = _load(kinds.write_paragraphs(tmp_path, form, LAYOUTS["cn-paren tasks with prose around"][0]))
    assert "（一）加强组织领导。各单位要高度重视。" in plan.epilogue and len(plan.tasks) == 2


@pytest.mark.parametrize("form", sorted(kinds.TABLE_FORMS))
def test_a_table_numbering_its_task_titles_so_gives_the_serial_too(tmp_path: Path, form: str) -> None:
    rows = [["工作任务", "工作要求", "牵头单位"],
            ["（一）推进决策公开", "推进重大行政决策事项目录管理。", "市政府办公室"],
            ["（二）推进执行公开", "加大督查结果公开力度。", "市政府督查室"],
            ["三、推进结果公开", "及时公开审计结果。", "市审计局"]]
    plan = _load(kinds.write_table(tmp_path, form, TITLE + "表", rows))
    assert [t.serial for t in plan.tasks] == ["（一）", "（二）", "三、"]
    assert [t.text for t in plan.tasks] == ["（一）推进决策公开", "（二）推进执行公开", "三、推进结果公开"]


@pytest.mark.parametrize("text", ["第一批试点推进", "二〇二三年重点工作", "一是推进决策公开"])
def test_words_that_only_look_like_numbers_are_no_serial(tmp_path: Path, text: str) -> None:
    rows = [["工作任务", "工作要求", "牵头单位"], [text, "推进重大行政决策事项目录管理。", "市政府办公室"]]
    plan = _load(kinds.write_table(tmp_path, "docx", TITLE + "表", rows))
    assert plan.tasks[0].serial is None and plan.tasks[0].text == text
