"""Task paragraphs that say who does the task in the words 方案 use: role verbs qualified by how
(市政府办公室按职责分工负责, 分别负责), a bracket of role words ending in a deadline
(（市政府办公室牵头，各有关单位按职责分工负责，2023年底前完成）), and labels written on the task's own
line after its sentence (…公开。责任单位：市财政局). Every form of paragraphs reads them alike."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import zwgk
from tests.fixtures import kinds
from zwgk.model import Plan, Role
from zwgk.units import UnitRegistry

LINES = [
    "2023年某某市政务公开工作要点",
    "一、推进决策公开",
    "1.全面推行重大行政决策事项目录管理，按时公开目录。（市政府办公室牵头，市司法局配合）",
    "2.做好决策草案公开征求意见工作。（市委宣传部、市政府办公室按职责分工负责）",
    "二、加强政策解读",
    "3.推进政务公开平台建设。（市政府办公室牵头，各县区政府分别负责，2023年底前完成）",
    "4.持续做好重点领域信息公开。责任单位：市财政局、市生态环境局；完成时限：2023年12月底前",
    "5.加强政策解读工作。工作要求：提升解读质量，牵头单位：市委宣传部",
    "三、保障措施",
    "各单位要加强组织领导。工作要求：按时报送进展情况。",
]
WANT = [  # (text, leads, responsible, cooperating, deadline)
    ("1.全面推行重大行政决策事项目录管理，按时公开目录。", ["市政府办公室"], [], ["市司法局"], None),
    ("2.做好决策草案公开征求意见工作。", [], ["市委宣传部", "市政府办公室"], [], None),
    ("3.推进政务公开平台建设。", ["市政府办公室"], ["各县区政府"], [], "2023年底前完成"),
    ("4.持续做好重点领域信息公开。", [], ["市财政局", "市生态环境局"], [], "2023年12月底前"),
    ("5.加强政策解读工作。", ["市委宣传部"], [], [], None),
]


def _read(path: Path) -> Plan:
    with warnings.catch_warnings():
        warnings.simplefilter("error", zwgk.ReadWarning)  # every character in the plan
        return zwgk.load(path)


@pytest.mark.parametrize("form", ["docx", "html", "text"])
def test_role_words_brackets_and_labels_on_the_tasks_line(tmp_path: Path, form: str) -> None:
    plan = _read(kinds.write_paragraphs(tmp_path, form, LINES))
    got = [(t.text, [u.name for u in t.leads], [u.name for u in t.responsible], [u.name for u in t.cooperating],
            t.deadline) for t in plan.tasks]
    assert got == WANT
    assert plan.tasks[4].requirement == "提升解读质量"
    # what was written stays written: the role words with the unit, the prose after the tasks as prose
    assert [u.as_written for u in plan.tasks[1].responsible] == ["市委宣传部", "市政府办公室按职责分工负责"]
    assert plan.epilogue == ("三、保障措施", "各单位要加强组织领导。工作要求：按时报送进展情况。")


@pytest.mark.parametrize(("cell", "role", "names"), [
    ("市教育局、市财政局分别负责", Role.RESPONSIBLE, ["市教育局", "市财政局"]),
    ("市财政局按照职责分工负责落实", Role.RESPONSIBLE, ["市财政局"]),
    ("市委宣传部根据职责分工牵头", Role.LEAD, ["市委宣传部"]),
    ("市司法局共同配合", Role.COOPERATING, ["市司法局"]),
])
def test_a_role_verb_qualified_by_how_is_taken_off_the_name(cell: str, role: Role, names: list[str]) -> None:
    found = UnitRegistry().parse_cell(cell).by_role(Role.RESPONSIBLE)
    assert list(found) == [role]
    assert [u.name for u in found[role][0]] == names
    assert "".join(u.as_written for u in found[role][0]) == cell.replace("、", "")


def test_a_bracket_of_role_words_and_something_else_is_no_unit_list(tmp_path: Path) -> None:
    lines = [LINES[0], "一、推进决策公开", "1.推进公开。（市政府办公室牵头，做好解读工作）",
             "2.做好解读。（责任单位：市司法局）"]
    plan = _read(kinds.write_paragraphs(tmp_path, "text", lines))
    assert plan.tasks[0].text == "1.推进公开" and plan.tasks[0].requirement == "（市政府办公室牵头，做好解读工作）"
    assert plan.tasks[0].leads == () and plan.tasks[0].responsible == ()


@pytest.mark.parametrize("form", ["docx", "html", "text"])
def test_labels_in_square_brackets_close_themselves_wherever_they_stand(tmp_path: Path, form: str) -> None:
    lines = [LINES[0], "一、推进决策公开", "（一）做好回应关切。【责任单位】县政府办公室【完成时限】2023年6月底前",
             "（二）推进平台建设。", "【牵头单位】县大数据中心【配合单位】县财政局"]
    plan = _read(kinds.write_paragraphs(tmp_path, form, lines))
    assert [(t.text, [u.name for u in t.leads], [u.name for u in t.responsible], [u.name for u in t.cooperating],
             t.deadline) for t in plan.tasks] == [
        ("（一）做好回应关切。", [], ["县政府办公室"], [], "2023年6月底前"),
        ("（二）推进平台建设。", ["县大数据中心"], [], ["县财政局"], None)]
